namespace Trellis.Evm.Precompiles;

/// <summary>
/// Precompile 0x08 (EIP-197): checks whether the product of the pairings e(P_i, Q_i) is 1. Input is k pairs of
/// 192 bytes: a G1 point (64 bytes) and a G2 point (128 bytes, each F_p2 coordinate as imaginary then real part).
/// Output is 32 bytes, 1 or 0. Fails if the length is not a multiple of 192, a coordinate is not below p, a point is not
/// on its curve, or a G2 point is not in the order-r subgroup. Empty input yields 1. Gas 34000·k + 45000 (EIP-1108).
/// </summary>
public sealed class Bn254PairingPrecompile : Precompile
{
    /// <summary>Bytes per (G1, G2) pair.</summary>
    public const int PairLength = 192;

    /// <inheritdoc />
    public override int AddressByte => 0x08;

    /// <inheritdoc />
    public override string Name => "BN254_PAIRING";

    /// <inheritdoc />
    public override long RequiredGas(ReadOnlySpan<byte> input) => (34000L * (input.Length / PairLength)) + 45000;

    /// <inheritdoc />
    public override bool TryRun(ReadOnlySpan<byte> input, out byte[] output)
    {
        output = [];
        if (input.Length % PairLength != 0)
        {
            return false;
        }

        var count = input.Length / PairLength;
        var g1 = new Bn254G1[count];
        var g2 = new Bn254G2[count];
        for (var i = 0; i < count; i++)
        {
            var pair = input.Slice(i * PairLength, PairLength);
            if (!Bn254G1.TryDecode(pair[..64], out g1[i]) || !Bn254G2.TryDecode(pair[64..], out g2[i]))
            {
                return false;
            }
        }

        output = new byte[32];
        if (Bn254Pairing.ProductIsOne(g1, g2))
        {
            output[31] = 1;
        }

        return true;
    }
}
