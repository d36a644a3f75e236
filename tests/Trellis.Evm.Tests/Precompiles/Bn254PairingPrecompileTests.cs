using System.Numerics;
using Trellis.Evm.Precompiles;

namespace Trellis.Evm.Tests.Precompiles;

public class Bn254PairingPrecompileTests
{
    private const string Vectors = "bn256Pairing.json";
    private readonly Bn254PairingPrecompile _precompile = new();

    public static TheoryData<string> VectorNames => PrecompileVector.Names(Vectors);

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void Run_MatchesGoEthereumVector(string name) => PrecompileVector.AssertPasses(_precompile, Vectors, name);

    [Theory]
    [InlineData(1)]
    [InlineData(191)]
    [InlineData(193)]
    [InlineData(383)]
    public void Run_RejectsLengthNotMultipleOf192(int length)
    {
        var input = PrecompileVector.Get(Vectors, "two_point_match_2").InputBytes;
        Array.Resize(ref input, length);
        Assert.False(_precompile.TryRun(input, out var output));
        Assert.Empty(output);
    }

    [Fact]
    public void Run_RejectsG1PointNotOnCurve()
    {
        var input = PrecompileVector.Get(Vectors, "one_point").InputBytes;
        input[63] = 3;
        Assert.False(_precompile.TryRun(input, out _));
    }

    [Fact]
    public void Run_RejectsG2PointNotOnTwist()
    {
        var input = PrecompileVector.Get(Vectors, "one_point").InputBytes;
        input[191] ^= 1;
        Assert.False(_precompile.TryRun(input, out _));
    }

    [Theory]
    [InlineData(64)]
    [InlineData(96)]
    [InlineData(128)]
    [InlineData(160)]
    public void Run_RejectsG2CoordinateNotBelowFieldModulus(int offset)
    {
        // Replace one F_p half of the generator's coordinates by itself + p: same value mod p, not canonical.
        var input = PrecompileVector.Get(Vectors, "one_point").InputBytes;
        var half = new BigInteger(input.AsSpan(offset, 32), isUnsigned: true, isBigEndian: true);
        Bn254Reference.Write(half + Bn254Reference.P, input.AsSpan(offset, 32));
        Assert.False(_precompile.TryRun(input, out _));
    }

    [Fact]
    public void Run_RejectsG2PointOnTwistButOutsideSubgroup()
    {
        var (x, y) = FindTwistPointWithRealX();
        var input = new byte[192];
        input[31] = 1;
        input[63] = 2;
        Bn254Reference.Write(x.B, input.AsSpan(64, 32));
        Bn254Reference.Write(x.A, input.AsSpan(96, 32));
        Bn254Reference.Write(y.B, input.AsSpan(128, 32));
        Bn254Reference.Write(y.A, input.AsSpan(160, 32));

        Assert.False(_precompile.TryRun(input, out var output));
        Assert.Empty(output);
    }

    [Fact]
    public void Run_PairsWithInfinityContributeOne()
    {
        // G1 at infinity with the G2 generator, and the G1 generator with G2 at infinity.
        var g2 = PrecompileVector.Get(Vectors, "one_point").InputBytes.AsSpan(64, 128).ToArray();
        var input = new byte[384];
        g2.CopyTo(input, 64);
        input[192 + 31] = 1;
        input[192 + 63] = 2;
        Assert.True(_precompile.TryRun(input, out var output));
        Assert.Equal(1, output[31]);
        Assert.Equal(new byte[31], output[..31]);
    }

    [Fact]
    public void Run_ChecksBilinearityOfScaledGenerators()
    {
        // e(aP, Q) · e(-aP, Q) = e(aP, Q) · e(aP, Q)^-1 = 1, while e(aP, Q) · e(P, Q) = e(P, Q)^(a + 1) ≠ 1 for a + 1 ≢ 0 mod r.
        var g2 = PrecompileVector.Get(Vectors, "one_point").InputBytes.AsSpan(64, 128).ToArray();
        var a = Bn254Reference.Multiply(Bn254Reference.Generator, 123456789);
        var negA = (a!.Value.X, Bn254Reference.Mod(-a.Value.Y));

        var cancelling = new byte[384];
        Bn254Reference.WritePoint(a, cancelling.AsSpan(0, 64));
        g2.CopyTo(cancelling, 64);
        Bn254Reference.WritePoint(negA, cancelling.AsSpan(192, 64));
        g2.CopyTo(cancelling, 256);
        Assert.True(_precompile.TryRun(cancelling, out var one));
        Assert.Equal(1, one[31]);

        var notCancelling = cancelling.ToArray();
        Bn254Reference.WritePoint(Bn254Reference.Generator, notCancelling.AsSpan(192, 64));
        Assert.True(_precompile.TryRun(notCancelling, out var zero));
        Assert.Equal(new byte[32], zero);
    }

    [Theory]
    [InlineData(0, 45000)]
    [InlineData(192, 79000)]
    [InlineData(384, 113000)]
    [InlineData(1920, 385000)]
    [InlineData(191, 45000)]
    public void RequiredGas_Is34000PerPairPlus45000(int length, long gas) =>
        Assert.Equal(gas, _precompile.RequiredGas(new byte[length]));

    /// <summary>The first point (x, y) with x = k (real) on y^2 = x^3 + 3/(9 + i), computed with BigInteger.</summary>
    private static ((BigInteger A, BigInteger B) X, (BigInteger A, BigInteger B) Y) FindTwistPointWithRealX()
    {
        var twistB = Bn254Reference.Fp2Multiply((3, 0), Bn254Reference.Fp2Inverse((9, 1)));
        for (BigInteger k = 1; ; k++)
        {
            var x = (k, BigInteger.Zero);
            var x3 = Bn254Reference.Fp2Multiply(Bn254Reference.Fp2Multiply(x, x), x);
            var rhs = (Bn254Reference.Mod(x3.Item1 + twistB.A), Bn254Reference.Mod(x3.Item2 + twistB.B));
            var y = Bn254Reference.Fp2SquareRoot(rhs);
            if (y is not null)
            {
                return (x, y.Value);
            }
        }
    }
}
