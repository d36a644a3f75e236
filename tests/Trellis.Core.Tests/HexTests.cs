namespace Trellis.Core.Tests;

public class HexTests
{
    [Fact]
    public void Encode_IsLowercaseWithPrefixByDefault()
    {
        Assert.Equal("0x00ff10ab", Hex.Encode([0x00, 0xff, 0x10, 0xab]));
        Assert.Equal("00ff10ab", Hex.Encode([0x00, 0xff, 0x10, 0xab], prefix: false));
    }

    [Fact]
    public void Encode_OfEmptyIsPrefixOnly()
    {
        Assert.Equal("0x", Hex.Encode([]));
        Assert.Equal(string.Empty, Hex.Encode([], prefix: false));
    }

    [Fact]
    public void Encode_AgreesWithTheFrameworkForRandomBytes()
    {
        var random = new Random(7);
        for (int length = 0; length < 300; length++)
        {
            byte[] bytes = new byte[length];
            random.NextBytes(bytes);
            Assert.Equal("0x" + Convert.ToHexString(bytes).ToLowerInvariant(), Hex.Encode(bytes));
            Assert.Equal(bytes, Hex.Decode(Convert.ToHexString(bytes)));
        }
    }

    [Theory]
    [InlineData("0x00ff10ab")]
    [InlineData("0X00FF10AB")]
    [InlineData("00Ff10aB")]
    public void Decode_AcceptsEitherCaseAndOptionalPrefix(string text)
    {
        Assert.Equal(new byte[] { 0x00, 0xff, 0x10, 0xab }, Hex.Decode(text));
    }

    [Theory]
    [InlineData("0x")]
    [InlineData("")]
    public void Decode_OfPrefixOnlyOrEmptyIsEmpty(string text)
    {
        Assert.Empty(Hex.Decode(text));
    }

    [Theory]
    [InlineData("0xabc", 3)]
    [InlineData("a", 1)]
    [InlineData("0x0", 1)]
    public void Decode_RejectsOddLength(string text, int digits)
    {
        var ex = Assert.Throws<FormatException>(() => Hex.Decode(text));
        Assert.Contains($"odd length {digits}", ex.Message, StringComparison.Ordinal);
        Assert.Contains(text, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0xabzd", 4, "'z'")]
    [InlineData("zz", 0, "'z'")]
    [InlineData("0x0g", 3, "'g'")]
    [InlineData("00 1", 2, "U+0020")]
    [InlineData("0x0x", 3, "'x'")]
    [InlineData("0xé0", 2, "'é'")]
    public void Decode_RejectsBadCharacterNamingItsPosition(string text, int position, string shown)
    {
        var ex = Assert.Throws<FormatException>(() => Hex.Decode(text));
        Assert.Contains($"{shown} at position {position}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_RejectsNull()
    {
        Assert.Throws<ArgumentNullException>(() => Hex.Decode(null!));
    }

    [Fact]
    public void TryDecode_ReportsErrorsWithoutThrowing()
    {
        Assert.False(Hex.TryDecode("0x1", out byte[] bytes, out string? error));
        Assert.Empty(bytes);
        Assert.Contains("odd length", error, StringComparison.Ordinal);

        Assert.False(Hex.TryDecode("0xqq", out _, out error));
        Assert.Contains("position 2", error, StringComparison.Ordinal);

        Assert.True(Hex.TryDecode("0x0102", out bytes, out error));
        Assert.Null(error);
        Assert.Equal(new byte[] { 1, 2 }, bytes);
    }

    [Fact]
    public void DecodeIntoSpan_RequiresExactSize()
    {
        Span<byte> destination = stackalloc byte[2];
        Hex.Decode("0x0a0b", destination);
        Assert.Equal(new byte[] { 0x0a, 0x0b }, destination.ToArray());

        var ex = Assert.Throws<FormatException>(() => Hex.Decode("0x0a0b0c", new byte[2]));
        Assert.Contains("3 bytes but exactly 2", ex.Message, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => Hex.Decode("0x0a", new byte[2]));
        Assert.Throws<FormatException>(() => Hex.Decode("0x0a0", new byte[2]));
        Assert.Throws<FormatException>(() => Hex.Decode("0x0a0h", new byte[2]));
    }

    [Fact]
    public void Decode_QuotesOnlyAnExcerptOfHugeInput()
    {
        string text = new string('a', 100_001);
        var ex = Assert.Throws<FormatException>(() => Hex.Decode(text));
        Assert.True(ex.Message.Length < 300, ex.Message);
    }
}
