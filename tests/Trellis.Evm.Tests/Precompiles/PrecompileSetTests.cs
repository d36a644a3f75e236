using Trellis.Evm.Precompiles;

namespace Trellis.Evm.Tests.Precompiles;

public class PrecompileSetTests
{
    [Fact]
    public void All_ListsAddressesOneThroughNineInOrder()
    {
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8, 9], PrecompileSet.All.Select(p => p.AddressByte));
    }

    [Theory]
    [InlineData(1, typeof(EcRecoverPrecompile))]
    [InlineData(2, typeof(Sha256Precompile))]
    [InlineData(3, typeof(Ripemd160Precompile))]
    [InlineData(4, typeof(IdentityPrecompile))]
    [InlineData(5, typeof(ModExpPrecompile))]
    [InlineData(6, typeof(Bn254AddPrecompile))]
    [InlineData(7, typeof(Bn254MulPrecompile))]
    [InlineData(8, typeof(Bn254PairingPrecompile))]
    [InlineData(9, typeof(Blake2FPrecompile))]
    public void Get_ReturnsThePrecompileAtItsAddress(int address, Type type)
    {
        var precompile = PrecompileSet.Get(address);
        Assert.IsType(type, precompile);
        Assert.Equal(address, precompile!.AddressByte);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(256)]
    public void Get_ReturnsNullWhereThereIsNone(int address) => Assert.Null(PrecompileSet.Get(address));

    [Fact]
    public void EveryPrecompile_FailsOrSucceedsCleanlyOnHostileInputs()
    {
        var random = new Random(7);
        var inputs = new List<byte[]> { Array.Empty<byte>(), new byte[1], new byte[213], Enumerable.Repeat((byte)0xff, 192).ToArray() };
        for (var i = 0; i < 30; i++)
        {
            var input = new byte[random.Next(0, 600)];
            random.NextBytes(input);
            inputs.Add(input);
        }

        foreach (var precompile in PrecompileSet.All)
        {
            foreach (var input in inputs)
            {
                var gas = precompile.RequiredGas(input);
                Assert.True(gas >= 0, $"{precompile} gave negative gas for {input.Length} bytes");
                if (gas > 10_000_000)
                {
                    continue;
                }

                var ok = precompile.TryRun(input, out var output);
                Assert.NotNull(output);
                if (!ok)
                {
                    Assert.Empty(output);
                }
            }
        }
    }
}
