namespace Trellis.Evm.Precompiles;

/// <summary>
/// Precompile 0x07 (EIP-196): multiplies a bn254 G1 point by a 256-bit scalar. Input (x, y, s), 32-byte big-endian
/// each, right-padded with zeros to 96 bytes (longer input is truncated). Fails if a coordinate is not below p or the
/// point is not on the curve. Gas 6000 (EIP-1108).
/// </summary>
public sealed class Bn254MulPrecompile : Precompile
{
    /// <inheritdoc />
    public override int AddressByte => 0x07;

    /// <inheritdoc />
    public override string Name => "BN254_MUL";

    /// <inheritdoc />
    public override long RequiredGas(ReadOnlySpan<byte> input) => 6000;

    /// <inheritdoc />
    public override bool TryRun(ReadOnlySpan<byte> input, out byte[] output)
    {
        output = [];
        Span<byte> padded = stackalloc byte[96];
        padded.Clear();
        input[..Math.Min(input.Length, 96)].CopyTo(padded);
        if (!Bn254G1.TryDecode(padded[..64], out var point))
        {
            return false;
        }

        output = new byte[64];
        point.Multiply(padded[64..]).Encode(output);
        return true;
    }
}
