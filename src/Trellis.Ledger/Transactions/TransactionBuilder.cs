using Trellis.Core;
using Trellis.Crypto;

namespace Trellis.Ledger.Transactions;

/// <summary>
/// The fields of a transaction before signing; <see cref="Sign"/> produces the signed <see cref="Transaction"/>.
/// For legacy and EIP-2930, <see cref="MaxFeePerGas"/> is the gas price and <see cref="MaxPriorityFeePerGas"/> is ignored.
/// </summary>
public sealed class TransactionBuilder
{
    /// <summary>The envelope; <see cref="TxType.Native"/> by default (valid in both suites).</summary>
    public TxType Type { get; init; } = TxType.Native;

    /// <summary>The chain id; a legacy transaction with null is pre-EIP-155 (not replay-protected).</summary>
    public ulong? ChainId { get; init; }

    /// <summary>The sender's nonce.</summary>
    public ulong Nonce { get; init; }

    /// <summary>The priority fee cap (EIP-1559 and native).</summary>
    public UInt256 MaxPriorityFeePerGas { get; init; }

    /// <summary>The fee cap, or the gas price for legacy and EIP-2930.</summary>
    public UInt256 MaxFeePerGas { get; init; }

    /// <summary>The gas limit.</summary>
    public ulong GasLimit { get; init; } = IntrinsicGas.Transaction;

    /// <summary>The recipient; null creates a contract.</summary>
    public Address? To { get; init; }

    /// <summary>The value, in wei.</summary>
    public UInt256 Value { get; init; }

    /// <summary>Call data or init code.</summary>
    public ReadOnlyMemory<byte> Data { get; init; }

    /// <summary>The access list (ignored for legacy).</summary>
    public IReadOnlyList<AccessListEntry> AccessList { get; init; } = [];

    /// <summary>Signs with <paramref name="privateKey"/> in <paramref name="suite"/>'s scheme.</summary>
    /// <exception cref="InvalidOperationException">A typed envelope without a chain id, or an Ethereum envelope in a non-secp256k1 suite.</exception>
    public Transaction Sign(ICryptoSuite suite, PrivateKey privateKey)
    {
        ArgumentNullException.ThrowIfNull(suite);
        ArgumentNullException.ThrowIfNull(privateKey);
        if (Type != TxType.Legacy && ChainId is null)
        {
            throw new InvalidOperationException($"a {Type} transaction needs a chain id");
        }

        if (Type != TxType.Native && suite.Curve != CurveKind.Secp256k1)
        {
            throw new InvalidOperationException($"a {Type} envelope carries a secp256k1 signature; the {suite.Name} suite signs only the native envelope");
        }

        UInt256 priority = Type is TxType.DynamicFee or TxType.Native ? MaxPriorityFeePerGas : MaxFeePerGas;
        AccessListEntry[] accessList = Type == TxType.Legacy ? [] : [.. AccessList];
        byte[] data = Data.ToArray();
        Transaction unsigned = Create(priority, data, accessList, UInt256.Zero, UInt256.Zero, UInt256.Zero, []);
        byte[] signature = suite.Sign(privateKey, unsigned.GetSigningPayload());
        if (Type == TxType.Native)
        {
            return Create(priority, data, accessList, UInt256.Zero, UInt256.Zero, UInt256.Zero, signature);
        }

        UInt256 r = UInt256.FromBigEndian(signature.AsSpan(0, 32));
        UInt256 s = UInt256.FromBigEndian(signature.AsSpan(32, 32));
        UInt256 v = signature[64];
        if (Type == TxType.Legacy)
        {
            v = ChainId is ulong chainId ? (new UInt256(chainId) * 2) + 35 + v : 27 + v;
        }

        return Create(priority, data, accessList, v, r, s, signature);
    }

    private Transaction Create(UInt256 priority, byte[] data, AccessListEntry[] accessList, UInt256 v, UInt256 r, UInt256 s, byte[] signature) =>
        new(Type, ChainId, Nonce, priority, MaxFeePerGas, GasLimit, To, Value, data, accessList, v, r, s, signature, null);
}
