namespace Trellis.Evm.Precompiles;

/// <summary>
/// Precompile 0x06 (EIP-196): adds two bn254 G1 points. Input (x1, y1, x2, y2), 32-byte big-endian each, right-padded
/// with zeros to 128 bytes (longer input is truncated); (0, 0) is the point at infinity. Fails if a coordinate is not
/// below p or a point is not on the curve. Gas 150 (EIP-1108).
/// </summary>
public sealed class Bn254AddPrecompile : Precompile
{
    /// <inheritdoc />
    public override int AddressByte => 0x06;

    /// <inheritdoc />
    public override string Name => "BN254_ADD";

    /// <inheritdoc />
    public override long RequiredGas(ReadOnlySpan<byte> input) => 150;

    /// <inheritdoc />
    public override bool TryRun(ReadOnlySpan<byte> input, out byte[] output)
    {
        output = [];
        Span<byte> padded = stackalloc byte[128];
        padded.Clear();
        input[..Math.Min(input.Length, 128)].CopyTo(padded);
        if (!Bn254G1.TryDecode(padded[..64], out var a) || !Bn254G1.TryDecode(padded[64..], out var b))
        {
            return false;
        }

        output = new byte[64];
        a.Add(b).Encode(output);
        return true;
    }
}
