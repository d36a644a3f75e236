using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using Trellis.Core;
using Trellis.Sdk.Abi;

namespace Trellis.Sdk.Tests.Abi;

/// <summary>Strict decoding: truncation, out-of-range offsets and lengths, dirty padding, and hostile layouts.</summary>
public class AbiDecoderTests
{
    private static byte[] Word(string hex) => Hex.Decode(hex.PadLeft(64, '0'));

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    [Fact]
    public void Decode_RejectsTruncatedWord()
    {
        var e = Assert.Throws<AbiException>(() => AbiDecoder.Decode(AbiType.UInt256, new byte[31]));
        Assert.Contains("needs 32 bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_RejectsDirtyHighBitsInAddress()
    {
        byte[] word = Word("01" + new string('0', 22) + "00112233445566778899aabbccddeeff00112233");
        var e = Assert.Throws<AbiException>(() => AbiDecoder.Decode(AbiType.Address, word));
        Assert.Contains("address", e.Message, StringComparison.Ordinal);
        Assert.Contains("high bits", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_RejectsDirtyHighBitsInSmallUint()
    {
        Assert.Throws<AbiException>(() => AbiDecoder.Decode(AbiType.Parse("uint32"), Word("100000000")));
        Assert.Equal(new UInt256(0xffffffff), AbiDecoder.Decode(AbiType.Parse("uint32"), Word("ffffffff")));
    }

    [Theory]
    [InlineData("2")]
    [InlineData("100")]
    [InlineData("ff")]
    public void Decode_RejectsBoolOtherThanZeroOrOne(string hex)
    {
        Assert.Throws<AbiException>(() => AbiDecoder.Decode(AbiType.Bool, Word(hex)));
    }

    [Fact]
    public void Decode_RejectsIntNotSignExtended()
    {
        // int8 -1 must be all 0xff; 0x00..00ff is 255, out of int8's range.
        Assert.Throws<AbiException>(() => AbiDecoder.Decode(AbiType.Parse("int8"), Word("ff")));
        Assert.Equal(new BigInteger(-1), AbiDecoder.Decode(AbiType.Parse("int8"), Hex.Decode("0x" + new string('f', 64))));
        Assert.Equal(new BigInteger(127), AbiDecoder.Decode(AbiType.Parse("int8"), Word("7f")));
    }

    [Fact]
    public void Decode_RejectsNonZeroLowBytesInFixedBytes()
    {
        byte[] word = Word("01");
        word[0] = 0x61;
        Assert.Throws<AbiException>(() => AbiDecoder.Decode(AbiType.Parse("bytes3"), word));
    }

    [Fact]
    public void Decode_RejectsNonZeroPaddingAfterBytes()
    {
        byte[] data = Concat(Word("20"), Word("2"), Word("01"));
        data[^1] = 0;
        data[64] = 0xaa;
        data[64 + 2] = 0x01; // inside the padding
        Assert.Throws<AbiException>(() => AbiDecoder.Decode(AbiType.Bytes, data));
    }

    [Fact]
    public void Decode_RejectsMissingPaddingAfterBytes()
    {
        byte[] data = Concat(Word("20"), Word("2"), [0xaa, 0xbb]);
        var e = Assert.Throws<AbiException>(() => AbiDecoder.Decode(AbiType.Bytes, data));
        Assert.Contains("declares 2 bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_RejectsOffsetPastTheEnd()
    {
        byte[] data = Concat(Word("1000"), Word("0"));
        var e = Assert.Throws<AbiException>(() => AbiDecoder.Decode(AbiType.String, data));
        Assert.Contains("offset 4096", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_RejectsOffsetThatDoesNotFitIn32Bits()
    {
        byte[] data = Concat(Word("1" + new string('0', 40)), Word("0"));
        Assert.Throws<AbiException>(() => AbiDecoder.Decode(AbiType.Bytes, data));
    }

    [Fact]
    public void Decode_RejectsHugeLengthWithoutAllocating()
    {
        byte[] bytesData = Concat(Word("20"), Word("7fffffff"));
        Assert.Throws<AbiException>(() => AbiDecoder.Decode(AbiType.Bytes, bytesData));
        byte[] arrayData = Concat(Word("20"), Word("7fffffff"), Word("1"));
        var e = Assert.Throws<AbiException>(() => AbiDecoder.Decode(AbiType.Parse("uint256[]"), arrayData));
        Assert.Contains("2147483647 elements", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_RejectsInvalidUtf8InString()
    {
        byte[] data = Concat(Word("20"), Word("2"), Word("c328" + new string('0', 60)));
        var e = Assert.Throws<AbiException>(() => AbiDecoder.Decode(AbiType.String, data));
        Assert.Contains("UTF-8", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_RefusesOffsetsThatRepeatTheSameDataExponentially()
    {
        // uint256[][][]: every level's 200 offsets point at one shared child, 200^3 values from ~20 KB of data.
        const int n = 200;
        var inner = new List<byte[]> { Word(n.ToString("x")) };
        for (int i = 0; i < n; i++)
        {
            inner.Add(Word("1"));
        }

        byte[] leaf = Concat([.. inner]);
        byte[] Level(byte[] child)
        {
            var parts = new List<byte[]> { Word(n.ToString("x")) };
            for (int i = 0; i < n; i++)
            {
                parts.Add(Word((n * 32).ToString("x")));
            }

            parts.Add(child);
            return Concat([.. parts]);
        }

        byte[] data = Concat(Word("20"), Level(Level(leaf)));
        var e = Assert.Throws<AbiException>(() => AbiDecoder.Decode(AbiType.Parse("uint256[][][]"), data));
        Assert.Contains("too many values", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_RandomBytes_OnlyEverThrowsAbiException()
    {
        AbiType[] types =
        [
            AbiType.Parse("(uint256,bytes,string[],(bool,address)[2],int16[][])"),
            AbiType.Parse("uint8[][3]"),
            AbiType.Parse("(string,(bytes,uint256[])[])"),
        ];
        Gen<byte[]> words = Gen.Choose(0, 12).SelectMany(n => Gen.Elements<byte>(0, 0, 0, 1, 2, 0x20, 0x40, 0x60, 0x80, 0xff).ArrayOf(n * 32));
        Prop.ForAll(Arb.From(words), data =>
        {
            foreach (AbiType type in types)
            {
                try
                {
                    AbiDecoder.Decode(type, data);
                }
                catch (AbiException)
                {
                }
            }

            return true;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(2000).WithQuietOnSuccess(true));
    }
}
