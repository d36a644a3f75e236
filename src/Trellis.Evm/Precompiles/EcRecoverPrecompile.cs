using Trellis.Core;
using Trellis.Crypto.Standard;

namespace Trellis.Evm.Precompiles;

/// <summary>
/// 0x01 ECRECOVER (yellow paper appendix E): input hash ‖ v ‖ r ‖ s (32 bytes each, zero-padded to 128), output the
/// signer's address left-padded to 32 bytes, or nothing when the signature does not recover. Always secp256k1 and
/// Keccak-256, in both suites, since it is Ethereum's contract-visible function. Costs 3000 gas.
/// </summary>
public sealed class EcRecoverPrecompile : Precompile
{
    private const int InputLength = 128;

    /// <inheritdoc />
    public override int AddressByte => 0x01;

    /// <inheritdoc />
    public override string Name => "ECRECOVER";

    /// <inheritdoc />
    public override long RequiredGas(ReadOnlySpan<byte> input) => 3000;

    /// <summary>Recovers the signer; an invalid signature is not a failure but an empty output.</summary>
    public override bool TryRun(ReadOnlySpan<byte> input, out byte[] output)
    {
        Span<byte> padded = stackalloc byte[InputLength];
        padded.Clear();
        input[..Math.Min(input.Length, InputLength)].CopyTo(padded);

        // v is a full 32-byte word that must be exactly 27 or 28.
        ReadOnlySpan<byte> v = padded.Slice(32, 32);
        if (v[..31].IndexOfAnyExcept((byte)0) >= 0 || (v[31] != 27 && v[31] != 28))
        {
            output = [];
            return true;
        }

        Span<byte> publicKey = stackalloc byte[64];
        if (!Secp256k1.TryRecover(padded[..32], padded.Slice(64, 64), v[31] - 27, publicKey))
        {
            output = [];
            return true;
        }

        output = new byte[32];
        Keccak256.Hash(publicKey, output);
        output.AsSpan(0, 12).Clear();
        return true;
    }
}
