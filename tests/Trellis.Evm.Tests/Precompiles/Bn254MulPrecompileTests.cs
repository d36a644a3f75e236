using System.Numerics;
using Trellis.Evm.Precompiles;

namespace Trellis.Evm.Tests.Precompiles;

public class Bn254MulPrecompileTests
{
    private const string Vectors = "bn256ScalarMul.json";
    private readonly Bn254MulPrecompile _precompile = new();

    public static TheoryData<string> VectorNames => PrecompileVector.Names(Vectors);

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void Run_MatchesGoEthereumVector(string name) => PrecompileVector.AssertPasses(_precompile, Vectors, name);

    [Fact]
    public void Run_AgreesWithBigIntegerReferenceOnRandomScalars()
    {
        var random = new Random(196);
        for (var i = 0; i < 10; i++)
        {
            var point = Bn254Reference.Multiply(Bn254Reference.Generator, Bn254Reference.RandomScalar(random));
            var scalar = Bn254Reference.RandomScalar(random);
            var input = new byte[96];
            Bn254Reference.WritePoint(point, input.AsSpan(0, 64));
            Bn254Reference.Write(scalar, input.AsSpan(64, 32));
            var expected = new byte[64];
            Bn254Reference.WritePoint(Bn254Reference.Multiply(point, scalar), expected);

            Assert.True(_precompile.TryRun(input, out var output));
            Assert.Equal(expected, output);
        }
    }

    [Fact]
    public void Run_ByGroupOrderGivesInfinity()
    {
        var input = new byte[96];
        input[31] = 1;
        input[63] = 2;
        Bn254Reference.Write(Bn254Reference.R, input.AsSpan(64, 32));
        Assert.True(_precompile.TryRun(input, out var output));
        Assert.Equal(new byte[64], output);
    }

    [Fact]
    public void Run_InfinityTimesAnythingIsInfinity()
    {
        var input = new byte[96];
        input.AsSpan(64).Fill(0xff);
        Assert.True(_precompile.TryRun(input, out var output));
        Assert.Equal(new byte[64], output);
    }

    [Fact]
    public void Run_RejectsPointNotOnCurve()
    {
        var input = new byte[96];
        input[31] = 1;
        input[63] = 3;
        input[95] = 2;
        Assert.False(_precompile.TryRun(input, out var output));
        Assert.Empty(output);
    }

    [Fact]
    public void Run_RejectsCoordinateAboveFieldModulus()
    {
        var input = new byte[96];
        input.AsSpan(0, 32).Fill(0xff);
        input[63] = 2;
        input[95] = 1;
        Assert.False(_precompile.TryRun(input, out _));
    }

    [Fact]
    public void Run_TreatsMissingScalarBytesAsZeros()
    {
        // 64 bytes of point and one scalar byte 0x01: the scalar is 0x01 followed by 31 zero bytes = 2^248.
        var input = new byte[65];
        input[31] = 1;
        input[63] = 2;
        input[64] = 1;
        var expected = new byte[64];
        Bn254Reference.WritePoint(Bn254Reference.Multiply(Bn254Reference.Generator, BigInteger.One << 248), expected);

        Assert.True(_precompile.TryRun(input, out var output));
        Assert.Equal(expected, output);
    }

    [Fact]
    public void RequiredGas_IsSixThousand() => Assert.Equal(6000, _precompile.RequiredGas(new byte[96]));
}
