using System.Numerics;
using Trellis.Crypto.National.Curve;

namespace Trellis.Crypto.Tests.National;

/// <summary>
/// The SM2 field arithmetic (Solinas reduction, squaring, small multiples) checked against BigInteger, with the
/// edge cases of the reduction: values near p and near 2^256, products of p - 1, and 512-bit inputs made of extreme
/// 32-bit words.
/// </summary>
public class Sm2FieldTests
{
    private static readonly BigInteger P = (BigInteger.One << 256) - (BigInteger.One << 224) - (BigInteger.One << 96) + (BigInteger.One << 64) - 1;
    private static readonly BigInteger Two256 = BigInteger.One << 256;

    // Field elements where carries and the final subtraction are most likely to go wrong.
    private static readonly BigInteger[] EdgeElements =
    [
        BigInteger.Zero, BigInteger.One, 2, 3, P - 1, P - 2, P - 3, P >> 1, (P >> 1) + 1, BigInteger.One << 255,
        (BigInteger.One << 224) - 1, BigInteger.One << 224, (BigInteger.One << 96) - 1, (BigInteger.One << 64) - 1,
        BigInteger.One << 64, Two256 - P, P - (Two256 - P), (BigInteger.One << 192) - 1, P - (BigInteger.One << 32),
    ];

    private static readonly uint[] ExtremeWords = [0, 1, 2, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFE, 0xFFFFFFFF];

    [Fact]
    public void ReduceWide_MatchesBigIntegerForRandomProducts()
    {
        var random = new Random(11);
        var limbs = new ulong[8];
        for (var i = 0; i < 2000; i++)
        {
            for (var j = 0; j < 8; j++)
            {
                limbs[j] = (ulong)random.NextInt64() ^ ((ulong)random.Next() << 40);
            }

            AssertReduces(limbs);
        }
    }

    [Fact]
    public void ReduceWide_MatchesBigIntegerForExtremeWords()
    {
        // Every 32-bit word drawn from the extremes drives the column sums to their bounds (all ones is 2^512 - 1;
        // the words that only feed column 2 negatively make the first carry pass as small as it gets).
        var random = new Random(12);
        var limbs = new ulong[8];
        for (var i = 0; i < 20000; i++)
        {
            for (var j = 0; j < 8; j++)
            {
                limbs[j] = ExtremeWords[random.Next(ExtremeWords.Length)] | ((ulong)ExtremeWords[random.Next(ExtremeWords.Length)] << 32);
            }

            AssertReduces(limbs);
        }
    }

    [Fact]
    public void ReduceWide_HandlesValuesAroundPAnd2To256()
    {
        BigInteger[] values =
        [
            BigInteger.Zero, BigInteger.One, P - 1, P, P + 1, 2 * P - 1, 2 * P, 2 * P + 1, Two256 - 1, Two256, Two256 + 1,
            (P - 1) * (P - 1), P * P, P * P - 1, (Two256 - 1) * (Two256 - 1), (BigInteger.One << 512) - 1,
            Two256 * (Two256 - P), (Two256 - 1) << 256, ((Two256 - 1) << 256) + P,
        ];
        foreach (var value in values)
        {
            AssertReduces(ToLimbs(value, 8));
        }
    }

    [Fact]
    public void MultiplyAndSquare_MatchBigIntegerOnEdgeElements()
    {
        foreach (var a in EdgeElements)
        {
            var fa = ToField(a);
            Assert.Equal(a * a % P, ToBigInteger(Sm2Field.Square(fa)));
            foreach (var b in EdgeElements)
            {
                Assert.Equal(a * b % P, ToBigInteger(Sm2Field.Multiply(fa, ToField(b))));
            }
        }
    }

    [Fact]
    public void MultiplyAndSquare_MatchBigIntegerOnRandomElements()
    {
        var random = new Random(13);
        for (var i = 0; i < 2000; i++)
        {
            var a = RandomBelow(random, P);
            var b = RandomBelow(random, P);
            var fa = ToField(a);
            Assert.Equal(a * b % P, ToBigInteger(Sm2Field.Multiply(fa, ToField(b))));
            Assert.Equal(a * a % P, ToBigInteger(Sm2Field.Square(fa)));
        }
    }

    [Fact]
    public void SmallMultiples_MatchBigInteger()
    {
        var random = new Random(14);
        var values = new List<BigInteger>(EdgeElements);
        for (var i = 0; i < 1000; i++)
        {
            values.Add(RandomBelow(random, P));
        }

        foreach (var a in values)
        {
            var fa = ToField(a);
            Assert.Equal(2 * a % P, ToBigInteger(Sm2Field.Double(fa)));
            Assert.Equal(3 * a % P, ToBigInteger(Sm2Field.Triple(fa)));
            Assert.Equal(4 * a % P, ToBigInteger(Sm2Field.Quadruple(fa)));
            Assert.Equal(8 * a % P, ToBigInteger(Sm2Field.Octuple(fa)));
            Assert.Equal((P - a) % P, ToBigInteger(Sm2Field.Negate(fa)));
        }
    }

    [Fact]
    public void Invert_TimesValue_IsOne()
    {
        foreach (var a in EdgeElements)
        {
            if (a.IsZero)
            {
                Assert.True(Sm2Field.Invert(Sm2Field.Zero).IsZero);
                continue;
            }

            Assert.Equal(BigInteger.ModPow(a, P - 2, P), ToBigInteger(Sm2Field.Invert(ToField(a))));
        }
    }

    [Fact]
    public void TryRead_AcceptsBelowPAndRejectsFromP()
    {
        Assert.True(Sm2Field.TryRead(ToBytes(P - 1), out var pm1));
        Assert.Equal(P - 1, ToBigInteger(pm1));
        Assert.False(Sm2Field.TryRead(ToBytes(P), out _));
        Assert.False(Sm2Field.TryRead(ToBytes(P + 1), out _));
        Assert.False(Sm2Field.TryRead(ToBytes(Two256 - 1), out _));
    }

    private static void AssertReduces(ulong[] limbs)
    {
        var value = BigInteger.Zero;
        for (var j = 7; j >= 0; j--)
        {
            value = (value << 64) + limbs[j];
        }

        var reduced = Sm2Field.ReduceWide(limbs[0], limbs[1], limbs[2], limbs[3], limbs[4], limbs[5], limbs[6], limbs[7]);
        Assert.Equal(value % P, ToBigInteger(reduced));
    }

    private static ulong[] ToLimbs(BigInteger value, int count)
    {
        var limbs = new ulong[count];
        for (var j = 0; j < count; j++)
        {
            limbs[j] = (ulong)(value & ulong.MaxValue);
            value >>= 64;
        }

        return limbs;
    }

    private static Sm2Field ToField(BigInteger value)
    {
        Assert.True(Sm2Field.TryRead(ToBytes(value), out var field));
        return field;
    }

    private static BigInteger ToBigInteger(Sm2Field value)
    {
        var bytes = new byte[32];
        value.Write(bytes);
        return new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
    }

    private static byte[] ToBytes(BigInteger value)
    {
        var bytes = new byte[32];
        value.TryWriteBytes(bytes.AsSpan(32 - value.GetByteCount(isUnsigned: true)), out _, isUnsigned: true, isBigEndian: true);
        return bytes;
    }

    private static BigInteger RandomBelow(Random random, BigInteger bound)
    {
        var bytes = new byte[32];
        while (true)
        {
            random.NextBytes(bytes);
            var value = new BigInteger(bytes, isUnsigned: true);
            if (value < bound)
            {
                return value;
            }
        }
    }
}
