using Trellis.Evm.Precompiles;

namespace Trellis.Evm.Tests.Precompiles;

public class Bn254AddPrecompileTests
{
    private const string Vectors = "bn256Add.json";
    private readonly Bn254AddPrecompile _precompile = new();

    public static TheoryData<string> VectorNames => PrecompileVector.Names(Vectors);

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void Run_MatchesGoEthereumVector(string name) => PrecompileVector.AssertPasses(_precompile, Vectors, name);

    [Fact]
    public void Run_RejectsPointNotOnCurve()
    {
        // (1, 3): 3^2 = 9 but 1^3 + 3 = 4.
        var input = new byte[128];
        input[31] = 1;
        input[63] = 3;
        Assert.False(_precompile.TryRun(input, out var output));
        Assert.Empty(output);
    }

    [Fact]
    public void Run_RejectsCoordinateEqualToFieldModulus()
    {
        // (p, 2) is (0, 2) modulo p, but EIP-196 demands canonical coordinates below p.
        var input = new byte[128];
        Bn254Reference.Write(Bn254Reference.P, input.AsSpan(0, 32));
        input[63] = 2;
        Assert.False(_precompile.TryRun(input, out _));
    }

    [Fact]
    public void Run_RejectsOffCurveSecondPointInTruncatedInput()
    {
        // Only x2 is given (y2 is padded with zeros): (1, 0) is not on the curve.
        var input = new byte[96];
        input[31] = 1;
        input[63] = 2;
        input[95] = 1;
        Assert.False(_precompile.TryRun(input, out _));
    }

    [Fact]
    public void Run_PointPlusItsNegationIsInfinity()
    {
        var input = new byte[128];
        input[31] = 1;
        input[63] = 2;
        input[95] = 1;
        Bn254Reference.Write(Bn254Reference.P - 2, input.AsSpan(96, 32));
        Assert.True(_precompile.TryRun(input, out var output));
        Assert.Equal(new byte[64], output);
    }

    [Fact]
    public void Run_AgreesWithBigIntegerReferenceOnRandomMultiples()
    {
        var random = new Random(1108);
        for (var i = 0; i < 20; i++)
        {
            var a = Bn254Reference.Multiply(Bn254Reference.Generator, Bn254Reference.RandomScalar(random));
            var b = Bn254Reference.Multiply(Bn254Reference.Generator, Bn254Reference.RandomScalar(random));
            var input = new byte[128];
            Bn254Reference.WritePoint(a, input.AsSpan(0, 64));
            Bn254Reference.WritePoint(b, input.AsSpan(64, 64));
            var expected = new byte[64];
            Bn254Reference.WritePoint(Bn254Reference.Add(a, b), expected);

            Assert.True(_precompile.TryRun(input, out var output));
            Assert.Equal(expected, output);
        }
    }

    [Fact]
    public void RequiredGas_IsOneHundredFiftyRegardlessOfInput()
    {
        Assert.Equal(150, _precompile.RequiredGas([]));
        Assert.Equal(150, _precompile.RequiredGas(new byte[10_000]));
    }
}
