namespace Trellis.Evm.Precompiles;

/// <summary>Precompile 0x04: returns its input unchanged. Gas 15 + 3 per 32-byte word.</summary>
public sealed class IdentityPrecompile : Precompile
{
    /// <inheritdoc />
    public override int AddressByte => 0x04;

    /// <inheritdoc />
    public override string Name => "IDENTITY";

    /// <inheritdoc />
    public override long RequiredGas(ReadOnlySpan<byte> input) => 15 + (3 * WordCount(input.Length));

    /// <inheritdoc />
    public override bool TryRun(ReadOnlySpan<byte> input, out byte[] output)
    {
        output = input.ToArray();
        return true;
    }
}
