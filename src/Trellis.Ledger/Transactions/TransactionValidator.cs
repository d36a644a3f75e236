using Trellis.Core;
using Trellis.Crypto;
using Trellis.Crypto.Standard;

namespace Trellis.Ledger.Transactions;

/// <summary>
/// Checks a decoded transaction against the chain's rules that need no state: envelope allowed by the suite,
/// chain id, nonce bound (EIP-2681), fee caps (EIP-1559), gas limit * fee overflow, init-code size (EIP-3860),
/// intrinsic gas, and the signature, from which it finds the sender. Stateless and thread-safe.
/// </summary>
public sealed class TransactionValidator
{
    // secp256k1 group order n and n / 2 (EIP-2: s must be at most n / 2).
    private static readonly UInt256 CurveOrder = UInt256.Parse("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141");
    private static readonly UInt256 HalfCurveOrder = UInt256.Parse("0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0");

    private readonly ICryptoSuite _suite;
    private readonly ulong _chainId;
    private readonly bool _requireReplayProtection;

    /// <summary>Creates a validator for one chain.</summary>
    /// <param name="suite">The chain's crypto suite.</param>
    /// <param name="chainId">The chain id every signature must commit to.</param>
    /// <param name="requireReplayProtection">
    /// Refuse pre-EIP-155 legacy transactions (which commit to no chain). True for admission; false only to check
    /// Ethereum's own conformance data.
    /// </param>
    public TransactionValidator(ICryptoSuite suite, ulong chainId, bool requireReplayProtection = true)
    {
        ArgumentNullException.ThrowIfNull(suite);
        _suite = suite;
        _chainId = chainId;
        _requireReplayProtection = requireReplayProtection;
    }

    /// <summary>The chain id signatures must commit to.</summary>
    public ulong ChainId => _chainId;

    /// <summary>The chain's crypto suite.</summary>
    public ICryptoSuite Suite => _suite;

    /// <summary>Decodes and validates; never throws for any input.</summary>
    public TxValidation DecodeAndValidate(ReadOnlySpan<byte> encoded, out VerifiedTransaction? verified)
    {
        verified = null;
        TxValidation decoded = TransactionDecoder.TryDecode(encoded, out Transaction? transaction);
        return decoded.IsValid ? Validate(transaction!, out verified) : decoded;
    }

    /// <summary>Validates a decoded transaction and recovers its sender.</summary>
    public TxValidation Validate(Transaction transaction, out VerifiedTransaction? verified)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        verified = null;
        if (_suite.Curve != CurveKind.Secp256k1 && transaction.Type != TxType.Native)
        {
            return TxValidation.Invalid(
                TxError.SuiteMismatch,
                $"{Describe(transaction.Type)} envelopes carry secp256k1 signatures; this chain uses the {_suite.Name} suite ({_suite.SignatureAlgorithm}), which accepts only the native 0x54 envelope");
        }

        if (transaction.ChainId is not ulong chainId)
        {
            if (_requireReplayProtection)
            {
                return TxValidation.Invalid(
                    TxError.NotReplayProtected,
                    $"legacy transaction with v {transaction.V} is not replay-protected: sign with EIP-155 (v = chainId * 2 + 35/36, chain id {_chainId}) or use a typed transaction");
            }
        }
        else if (chainId != _chainId)
        {
            return TxValidation.Invalid(TxError.InvalidChainId, $"invalid chain id {chainId} (this chain is {_chainId})");
        }

        if (transaction.Nonce == ulong.MaxValue)
        {
            return TxValidation.Invalid(TxError.NonceTooBig, $"nonce {transaction.Nonce} is 2^64 - 1; nonces must be below it (EIP-2681)");
        }

        if (transaction.MaxPriorityFeePerGas > transaction.MaxFeePerGas)
        {
            return TxValidation.Invalid(
                TxError.PriorityFeeAboveMaxFee,
                $"maxPriorityFeePerGas {transaction.MaxPriorityFeePerGas} exceeds maxFeePerGas {transaction.MaxFeePerGas} (EIP-1559)");
        }

        if (UInt256.MultiplyOverflow(transaction.MaxFeePerGas, transaction.GasLimit, out _))
        {
            return TxValidation.Invalid(
                TxError.FeeOverflow,
                $"gasLimit {transaction.GasLimit} * fee per gas {transaction.MaxFeePerGas} does not fit in 256 bits");
        }

        if (transaction.IsContractCreation && transaction.Data.Length > IntrinsicGas.MaxInitCodeSize)
        {
            return TxValidation.Invalid(
                TxError.InitCodeTooLarge,
                $"init code is {transaction.Data.Length} bytes; a contract creation may carry at most {IntrinsicGas.MaxInitCodeSize} (EIP-3860)");
        }

        ulong intrinsicGas = IntrinsicGas.Compute(transaction);
        if (transaction.GasLimit < intrinsicGas)
        {
            return TxValidation.Invalid(
                TxError.IntrinsicGasTooLow,
                $"intrinsic gas too low: gas limit {transaction.GasLimit} < intrinsic gas {intrinsicGas}");
        }

        TxValidation signature = RecoverSender(transaction, out Address sender);
        if (!signature.IsValid)
        {
            return signature;
        }

        verified = new VerifiedTransaction(transaction, sender, transaction.ComputeHash(_suite), intrinsicGas);
        return TxValidation.Valid;
    }

    private TxValidation RecoverSender(Transaction transaction, out Address sender)
    {
        sender = default;
        ReadOnlySpan<byte> signature = transaction.Signature;
        if (_suite.Curve == CurveKind.Secp256k1)
        {
            if (signature.Length != Secp256k1.SignatureLength)
            {
                return TxValidation.Invalid(
                    TxError.InvalidSignature,
                    $"invalid signature: {signature.Length} bytes; the standard suite's signature is 65 bytes (r || s || v)");
            }

            UInt256 r = UInt256.FromBigEndian(signature[..32]);
            UInt256 s = UInt256.FromBigEndian(signature[32..64]);
            if (r.IsZero || r >= CurveOrder)
            {
                return TxValidation.Invalid(TxError.InvalidSignature, $"invalid signature: r {r.ToHexString()} is not in [1, n - 1]");
            }

            if (s.IsZero || s > HalfCurveOrder)
            {
                return TxValidation.Invalid(TxError.InvalidSignature, $"invalid signature: s {s.ToHexString()} is not in [1, n / 2] (EIP-2 low s)");
            }

            if (signature[64] > 1)
            {
                return TxValidation.Invalid(TxError.InvalidSignature, $"invalid signature: recovery id {signature[64]} is not 0 or 1");
            }
        }
        else if (signature.Length != _suite.SignatureLength)
        {
            return TxValidation.Invalid(
                TxError.InvalidSignature,
                $"invalid signature: {signature.Length} bytes; the {_suite.Name} suite's signature is {_suite.SignatureLength} bytes");
        }

        if (!_suite.TryRecoverSigner(transaction.GetSigningPayload(), signature, out PublicKey signer))
        {
            return TxValidation.Invalid(
                TxError.InvalidSignature,
                _suite.Curve == CurveKind.Secp256k1
                    ? "invalid signature: no public key recovers from (r, s, v) for this transaction"
                    : $"invalid signature: the {_suite.SignatureAlgorithm} signature does not verify against the carried public key");
        }

        sender = _suite.ToAddress(signer);
        return TxValidation.Valid;
    }

    private static string Describe(TxType type) => type switch
    {
        TxType.Legacy => "legacy",
        TxType.AccessList => "EIP-2930 (0x01)",
        TxType.DynamicFee => "EIP-1559 (0x02)",
        _ => $"type 0x{(byte)type:x2}",
    };
}
