namespace Trellis.Evm.Precompiles;

/// <summary>
/// Precompile 0x03: RIPEMD-160 of the input, left-padded with zeros to 32 bytes. Gas 600 + 120 per 32-byte word.
/// </summary>
public sealed class Ripemd160Precompile : Precompile
{
    /// <inheritdoc />
    public override int AddressByte => 0x03;

    /// <inheritdoc />
    public override string Name => "RIPEMD160";

    /// <inheritdoc />
    public override long RequiredGas(ReadOnlySpan<byte> input) => 600 + (120 * WordCount(input.Length));

    /// <inheritdoc />
    public override bool TryRun(ReadOnlySpan<byte> input, out byte[] output)
    {
        output = new byte[32];
        Ripemd160.HashData(input, output.AsSpan(12));
        return true;
    }
}
