using Trellis.Evm.Precompiles;

namespace Trellis.Evm.Tests.Precompiles;

public class IdentityPrecompileTests
{
    private readonly IdentityPrecompile _precompile = new();

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1000)]
    public void Run_ReturnsACopyOfTheInput(int length)
    {
        var input = new byte[length];
        new Random(length).NextBytes(input);
        Assert.True(_precompile.TryRun(input, out var output));
        Assert.Equal(input, output);
        Assert.NotSame(input, output);
    }

    [Theory]
    [InlineData(0, 15)]
    [InlineData(1, 18)]
    [InlineData(32, 18)]
    [InlineData(33, 21)]
    public void RequiredGas_IsFifteenPlusThreePerWord(int length, long gas) =>
        Assert.Equal(gas, _precompile.RequiredGas(new byte[length]));
}
