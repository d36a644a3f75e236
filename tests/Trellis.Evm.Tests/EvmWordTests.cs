using System.Numerics;
using Trellis.Core;

namespace Trellis.Evm.Tests;

public class EvmWordTests
{
    [Fact]
    public void ReadBigEndian_MatchesBigIntegerForEveryLength()
    {
        var random = new Random(1014);
        for (int length = 0; length <= 32; length++)
        {
            for (int trial = 0; trial < 20; trial++)
            {
                byte[] bytes = new byte[length];
                random.NextBytes(bytes);
                var expected = new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
                Assert.Equal(expected, EvmWord.ReadBigEndian(bytes).ToBigInteger());
            }
        }
    }

    [Fact]
    public void PushN_PushesItsImmediateForEveryN()
    {
        var random = new Random(5656);
        for (int n = 1; n <= 32; n++)
        {
            byte[] immediate = new byte[n];
            random.NextBytes(immediate);
            byte[] code = [(byte)(0x5f + n), .. immediate, .. Assembler.Assemble(EvmHarness.ReturnTop)];
            var result = new EvmHarness().RunCode(code);
            Assert.Equal(new BigInteger(immediate, isUnsigned: true, isBigEndian: true), EvmHarness.Word(result).ToBigInteger());
        }
    }

    [Fact]
    public void AddressWords_RoundTripAndDropHighBits()
    {
        var address = Address.Parse("0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b");
        var word = EvmWord.FromAddress(address);
        Assert.Equal(UInt256.Parse("0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b"), word);
        Assert.Equal(address, EvmWord.ToAddress(word | (UInt256.MaxValue << 160)));
    }
}
