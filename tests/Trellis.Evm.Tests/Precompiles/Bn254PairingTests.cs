using System.Numerics;
using Trellis.Evm.Precompiles;

namespace Trellis.Evm.Tests.Precompiles;

public class Bn254PairingTests
{
    // The G2 generator of EIP-197 (x = x0 + x1·i, y = y0 + y1·i, encoded imaginary part first).
    private const string G2Generator =
        "198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c21800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed"
        + "090689d0585ff075ec9e99ad690c3395bc4b313370b38ef355acdadcd122975b12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7daa";

    [Fact]
    public void FinalExponentiation_AdditionChainEqualsPlainHardExponent()
    {
        var (p, q) = Generators();
        var (px, py) = p.ToAffine();
        var (qx, qy) = q.Multiply(Scalar(77)).ToAffine();
        var f = Bn254Pairing.MillerLoop(px, py, qx, qy);
        Assert.Equal(Bn254Pairing.FinalExponentiationReference(f), Bn254Pairing.FinalExponentiation(f));
    }

    [Fact]
    public void Pair_IsBilinear()
    {
        var (p, q) = Generators();
        var e = Bn254Pairing.Pair(p, q);
        Assert.False(e.IsOne);
        var a = Scalar(1234567);
        var b = Scalar(7654321);
        var left = Bn254Pairing.Pair(p.Multiply(a), q.Multiply(b));
        Assert.Equal(e.Pow(new BigInteger(1234567) * 7654321), left);
        Assert.Equal(left, Bn254Pairing.Pair(p.Multiply(b), q.Multiply(a)));
    }

    [Fact]
    public void Pair_HasOrderR()
    {
        var (p, q) = Generators();
        Assert.True(Bn254Pairing.Pair(p, q).Pow(Bn254Reference.R).IsOne);
    }

    [Fact]
    public void G2Generator_TimesGroupOrderIsInfinity()
    {
        var (_, q) = Generators();
        Assert.True(q.Multiply(Bn254Curve.GroupOrderBytes).IsInfinity);
        Assert.False(q.Multiply(Scalar(5)).IsInfinity);
    }

    private static byte[] Scalar(BigInteger value)
    {
        var bytes = new byte[32];
        Bn254Reference.Write(value, bytes);
        return bytes;
    }

    private static (Bn254G1 P, Bn254G2 Q) Generators()
    {
        var g1 = new byte[64];
        g1[31] = 1;
        g1[63] = 2;
        Assert.True(Bn254G1.TryDecode(g1, out var p));
        Assert.True(Bn254G2.TryDecode(Convert.FromHexString(G2Generator), out var q));
        return (p, q);
    }
}
