using System.Security.Cryptography;

namespace Trellis.Evm.Precompiles;

/// <summary>Precompile 0x02: SHA-256 of the input. Gas 60 + 12 per 32-byte word.</summary>
public sealed class Sha256Precompile : Precompile
{
    /// <inheritdoc />
    public override int AddressByte => 0x02;

    /// <inheritdoc />
    public override string Name => "SHA256";

    /// <inheritdoc />
    public override long RequiredGas(ReadOnlySpan<byte> input) => 60 + (12 * WordCount(input.Length));

    /// <inheritdoc />
    public override bool TryRun(ReadOnlySpan<byte> input, out byte[] output)
    {
        output = SHA256.HashData(input);
        return true;
    }
}
