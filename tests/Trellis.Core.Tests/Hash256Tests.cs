using System.Numerics;

namespace Trellis.Core.Tests;

public class Hash256Tests
{
    private const string Sample = "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470";

    [Fact]
    public void Parse_RoundTripsThroughToString()
    {
        Hash256 hash = Hash256.Parse(Sample);
        Assert.Equal(Sample, hash.ToString());
        Assert.Equal(Hex.Decode(Sample), hash.ToArray());
        Assert.Equal(Hex.Decode(Sample), hash.Bytes.ToArray());
    }

    [Fact]
    public void Parse_AcceptsUppercaseAndNoPrefix()
    {
        Assert.Equal(Hash256.Parse(Sample), Hash256.Parse(Sample[2..].ToUpperInvariant()));
    }

    [Theory]
    [InlineData("0x")]
    [InlineData("0xc5d2")]
    [InlineData("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a47000")]
    [InlineData("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a47")]
    [InlineData("0xg5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")]
    public void Parse_RejectsWrongLengthOrBadCharacters(string text)
    {
        Assert.Throws<FormatException>(() => Hash256.Parse(text));
        Assert.False(Hash256.TryParse(text, out Hash256 value));
        Assert.Equal(Hash256.Zero, value);
    }

    [Fact]
    public void Parse_RejectsNull()
    {
        Assert.Throws<ArgumentNullException>(() => Hash256.Parse(null!));
        Assert.False(Hash256.TryParse(null, out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(33)]
    public void Constructor_RejectsWrongLength(int length)
    {
        var ex = Assert.Throws<ArgumentException>(() => new Hash256(new byte[length]));
        Assert.Contains($"got {length}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Zero_IsAllZeroBytesAndDefault()
    {
        Assert.Equal(new byte[32], Hash256.Zero.ToArray());
        Assert.Equal(default, Hash256.Zero);
        Assert.Equal("0x" + new string('0', 64), Hash256.Zero.ToString());
    }

    [Fact]
    public void Equality_IsByValue()
    {
        Hash256 a = Hash256.Parse(Sample);
        Hash256 b = new(Hex.Decode(Sample));
        byte[] other = Hex.Decode(Sample);
        other[31] ^= 1;
        Hash256 c = new(other);
        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.True(a != c);
        Assert.False(a.Equals((object)c));
        Assert.True(a.Equals((object)b));
    }

    [Fact]
    public void CompareTo_OrdersAsBigEndianUnsignedNumbers()
    {
        var random = new Random(11);
        for (int i = 0; i < 2000; i++)
        {
            byte[] x = new byte[32];
            byte[] y = new byte[32];
            random.NextBytes(x);
            random.NextBytes(y);
            // Share a random-length prefix so later words decide the order too.
            Array.Copy(x, y, random.Next(0, 33));
            int expected = new BigInteger(x, isUnsigned: true, isBigEndian: true)
                .CompareTo(new BigInteger(y, isUnsigned: true, isBigEndian: true));
            Assert.Equal(Math.Sign(expected), Math.Sign(new Hash256(x).CompareTo(new Hash256(y))));
        }
    }

    [Fact]
    public void CopyTo_WritesTheBytesAndRejectsShortDestination()
    {
        Hash256 hash = Hash256.Parse(Sample);
        byte[] destination = new byte[33];
        hash.CopyTo(destination);
        Assert.Equal(Hex.Decode(Sample), destination[..32]);
        Assert.Throws<ArgumentException>(() => hash.CopyTo(new byte[31]));
    }
}
