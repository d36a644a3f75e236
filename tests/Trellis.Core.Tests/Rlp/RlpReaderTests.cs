using System.Numerics;
using Trellis.Core.Rlp;

namespace Trellis.Core.Tests.Rlp;

public class RlpReaderTests
{
    [Theory]
    [InlineData("8100", "single byte 0x00 encoded as 0x81 0x00")]
    [InlineData("817f", "single byte 0x7f encoded as 0x81 0x7f")]
    [InlineData("b80100", "long-form length for 1 byte(s)")]
    [InlineData("b837" + "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000", "long-form length for 55 byte(s)")]
    [InlineData("f800", "length has a leading zero byte")]
    [InlineData("f80100", "long-form length for 1 byte(s)")]
    [InlineData("b9003800", "length has a leading zero byte")]
    [InlineData("f9003800", "length has a leading zero byte")]
    [InlineData("bf0f000000000000021111", "overflows")]
    [InlineData("bb80000000", "overflows")]
    [InlineData("83616263ff", "trailing bytes: 1 byte(s)")]
    [InlineData("", "expected an item but the input ended")]
    [InlineData("836162", "declares 3 byte(s) of payload but only 2 remain in the input")]
    [InlineData("b9", "needs 2 length byte(s) but only 0 remain")]
    [InlineData("b840ff", "declares 64 byte(s) of payload but only 1 remain")]
    [InlineData("c2836162", "declares 3 byte(s) of payload but only 1 remain in the enclosing list")]
    [InlineData("c3c28161", "single byte 0x61 encoded as 0x81 0x61")]
    [InlineData("c58363617483", "declares 3 byte(s) of payload but only 0 remain in the enclosing list")]
    [InlineData("c683636174", "declares 6 byte(s) of payload but only 4 remain in the input")]
    public void Decode_RejectsNonCanonicalOrMalformedInputWithAClearMessage(string hex, string reason)
    {
        var ex = Assert.Throws<RlpException>(() => RlpItem.Decode(Hex.Decode(hex)));
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_ReportsAbsolutePositionsInsideNestedLists()
    {
        // [ "ab", [ 0x81 0x05 ] ]: the bad item is at offset 5 of the whole input.
        var ex = Assert.Throws<RlpException>(() => RlpItem.Decode(Hex.Decode("c6826162c28105")));
        Assert.StartsWith("invalid RLP at position 5:", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_RejectsNestingDeeperThanTheLimitWithoutOverflowingTheStack()
    {
        // 100,000 nested empty-list headers, each declaring the rest: well-formed apart from the depth.
        int depth = 100_000;
        var writer = new RlpWriter();
        var handles = new int[depth];
        for (int i = 0; i < depth; i++)
        {
            handles[i] = writer.StartList();
        }

        for (int i = depth - 1; i >= 0; i--)
        {
            writer.EndList(handles[i]);
        }

        var ex = Assert.Throws<RlpException>(() => RlpItem.Decode(writer.WrittenSpan));
        Assert.Contains($"nested deeper than {RlpItem.MaxDepth}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reader_WalksAListItemByItem()
    {
        // ["cat", 1024, [], "dog"]
        byte[] data = Hex.Decode("cc83636174820400c083646f67");
        var reader = new RlpReader(data);
        Assert.Equal(RlpItemKind.List, reader.PeekKind());
        RlpReader list = reader.ReadList();
        Assert.False(reader.HasMore);
        reader.EnsureEnd();

        Assert.Equal(0, list.Position);
        Assert.Equal("cat"u8.ToArray(), list.ReadBytes().ToArray());
        Assert.Equal(4, list.Position);
        Assert.Equal(1024UL, list.ReadULong());
        Assert.Equal(RlpItemKind.List, list.PeekKind());
        Assert.Equal(new byte[] { 0xc0 }, list.ReadEncodedItem().ToArray());
        Assert.True(list.HasMore);
        list.SkipItem();
        Assert.False(list.HasMore);
        list.EnsureEnd();
    }

    [Fact]
    public void Reader_ReadsSeveralTopLevelItemsInSequence()
    {
        var reader = new RlpReader(Hex.Decode("0180c0"));
        Assert.Equal(1UL, reader.ReadULong());
        Assert.Equal(0UL, reader.ReadULong());
        Assert.False(reader.ReadList().HasMore);
        Assert.False(reader.HasMore);
    }

    [Fact]
    public void ReadBytes_RejectsAList()
    {
        var ex = Assert.Throws<RlpException>(() => new RlpReader([0xc0]).ReadBytes());
        Assert.Contains("expected a byte string but found a list", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadList_RejectsAByteString()
    {
        var ex = Assert.Throws<RlpException>(() => new RlpReader([0x80]).ReadList());
        Assert.Contains("expected a list but found a byte string", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("00", "leading zero")]
    [InlineData("820001", "leading zero")]
    [InlineData("89010000000000000000", "9 bytes long, more than the 8 allowed")]
    [InlineData("c0", "expected a byte string")]
    public void ReadULong_RejectsNonCanonicalIntegers(string hex, string reason)
    {
        var ex = Assert.Throws<RlpException>(() => new RlpReader(Hex.Decode(hex)).ReadULong());
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadULong_ReadsTheLargestValue()
    {
        Assert.Equal(ulong.MaxValue, new RlpReader(Hex.Decode("88ffffffffffffffff")).ReadULong());
    }

    [Fact]
    public void ReadIntegerBytes_EnforcesTheMaximumLength()
    {
        byte[] data = Hex.Decode("a1010000000000000000000000000000000000000000000000000000000000000000");
        Assert.Throws<RlpException>(() => new RlpReader(data).ReadIntegerBytes(32));
        Assert.Equal(33, new RlpReader(data).ReadIntegerBytes(33).Length);
    }

    [Fact]
    public void EnsureEnd_NamesTheTrailingByteCount()
    {
        var ex = Assert.Throws<RlpException>(() =>
        {
            var reader = new RlpReader(Hex.Decode("c0c0c0"));
            reader.SkipItem();
            reader.EnsureEnd();
        });
        Assert.Contains("2 byte(s) after the last item", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0UL, "80")]
    [InlineData(1UL, "01")]
    [InlineData(0x7fUL, "7f")]
    [InlineData(0x80UL, "8180")]
    [InlineData(0x100UL, "820100")]
    [InlineData(ulong.MaxValue, "88ffffffffffffffff")]
    public void WriteULong_WritesMinimalBigEndian(ulong value, string expected)
    {
        var writer = new RlpWriter();
        writer.WriteULong(value);
        Assert.Equal(expected, Hex.Encode(writer.WrittenSpan, prefix: false));
    }

    [Fact]
    public void WriteULong_AgreesWithBigIntegerForRandomValues()
    {
        var random = new Random(5);
        var writer = new RlpWriter();
        for (int i = 0; i < 5000; i++)
        {
            ulong value = (ulong)random.NextInt64() >> random.Next(0, 64);
            writer.Reset();
            writer.WriteULong(value);
            byte[] magnitude = value == 0 ? [] : new BigInteger(value).ToByteArray(isUnsigned: true, isBigEndian: true);
            Assert.Equal(RlpWriter.EncodeBytes(magnitude), writer.ToArray());
            Assert.Equal(value, new RlpReader(writer.WrittenSpan).ReadULong());
        }
    }

    [Fact]
    public void WriteIntegerBytes_StripsLeadingZeros()
    {
        var writer = new RlpWriter();
        writer.WriteIntegerBytes([0, 0, 0]);
        writer.WriteIntegerBytes([0, 0, 5]);
        writer.WriteIntegerBytes([0, 0x80]);
        Assert.Equal("80058180", Hex.Encode(writer.WrittenSpan, prefix: false));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(55)]
    [InlineData(56)]
    [InlineData(255)]
    [InlineData(256)]
    [InlineData(65_535)]
    [InlineData(65_536)]
    [InlineData(70_000)]
    public void Writer_HeadersFollowTheYellowPaperAtEveryLengthBoundary(int length)
    {
        byte[] payload = new byte[length];
        Array.Fill(payload, (byte)0xaa);
        var writer = new RlpWriter(0);
        writer.WriteBytes(payload);
        int handle = writer.StartList();
        writer.WriteEncoded(payload);
        writer.EndList(handle);

        byte[] lengthBytes = length == 0 ? [] : new BigInteger(length).ToByteArray(isUnsigned: true, isBigEndian: true);
        byte[] stringHeader = length < 56 ? [(byte)(0x80 + length)] : [(byte)(0xb7 + lengthBytes.Length), .. lengthBytes];
        byte[] listHeader = length < 56 ? [(byte)(0xc0 + length)] : [(byte)(0xf7 + lengthBytes.Length), .. lengthBytes];
        byte[] expected = [.. stringHeader, .. payload, .. listHeader, .. payload];
        Assert.True(expected.AsSpan().SequenceEqual(writer.WrittenSpan), $"length {length}");
        Assert.Equal(stringHeader.Length + length, RlpWriter.LengthOfBytes(payload));
        Assert.Equal(listHeader.Length + length, RlpWriter.LengthOfList(length));
    }

    [Fact]
    public void Writer_SingleBytesBelow0x80EncodeAsThemselves()
    {
        Assert.Equal(new byte[] { 0x00 }, RlpWriter.EncodeBytes([0x00]));
        Assert.Equal(new byte[] { 0x7f }, RlpWriter.EncodeBytes([0x7f]));
        Assert.Equal(new byte[] { 0x81, 0x80 }, RlpWriter.EncodeBytes([0x80]));
        Assert.Equal(1, RlpWriter.LengthOfBytes([0x7f]));
        Assert.Equal(2, RlpWriter.LengthOfBytes([0x80]));
    }

    [Fact]
    public void EndList_RejectsMisuse()
    {
        var writer = new RlpWriter();
        Assert.Throws<InvalidOperationException>(() => writer.EndList(0));
        int outer = writer.StartList();
        writer.WriteULong(1);
        writer.StartList();
        var ex = Assert.Throws<InvalidOperationException>(() => writer.EndList(outer));
        Assert.Contains("innermost open list", ex.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => writer.ToArray());
    }

    [Fact]
    public void Reset_DiscardsOutputAndOpenLists()
    {
        var writer = new RlpWriter();
        writer.StartList();
        writer.WriteULong(7);
        writer.Reset();
        writer.WriteULong(8);
        Assert.Equal(new byte[] { 0x08 }, writer.ToArray());
    }

    [Fact]
    public void RlpItem_EncodesNestedTrees()
    {
        // The yellow paper's example: [ [], [[]], [ [], [[]] ] ] (the set-theoretic representation of three).
        var empty = new RlpList();
        var tree = new RlpList(empty, new RlpList(empty), new RlpList(empty, new RlpList(empty)));
        Assert.Equal("c7c0c1c0c3c0c1c0", Hex.Encode(tree.Encode(), prefix: false));
        Assert.Equal(tree, RlpItem.Decode(tree.Encode()));
        Assert.NotEqual<RlpItem>(tree, new RlpList(empty));
        Assert.NotEqual<RlpItem>(new RlpString([]), new RlpList());
    }
}
