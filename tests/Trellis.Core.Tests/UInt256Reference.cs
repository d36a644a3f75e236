using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using Trellis.Core;

namespace Trellis.Core.Tests;

/// <summary>
/// The EVM's arithmetic written straight from the yellow paper (appendix H) in <see cref="BigInteger"/>, plus
/// conversions and generators that do not go through the code under test (only the limb constructor and fields).
/// </summary>
internal static class UInt256Reference
{
    public static readonly BigInteger Modulus = BigInteger.One << 256;
    public static readonly BigInteger HalfModulus = BigInteger.One << 255;
    public static readonly BigInteger Mask64 = ulong.MaxValue;

    /// <summary>The value of the limbs as a non-negative integer.</summary>
    public static BigInteger Big(UInt256 x) =>
        new BigInteger(x.U0) + (new BigInteger(x.U1) << 64) + (new BigInteger(x.U2) << 128) + (new BigInteger(x.U3) << 192);

    /// <summary>The word holding <paramref name="v"/> modulo 2^256 (negative values wrap to two's complement).</summary>
    public static UInt256 Word(BigInteger v)
    {
        v = Wrap(v);
        return new UInt256((ulong)(v & Mask64), (ulong)((v >> 64) & Mask64), (ulong)((v >> 128) & Mask64), (ulong)((v >> 192) & Mask64));
    }

    public static BigInteger Wrap(BigInteger v)
    {
        v %= Modulus;
        return v.Sign < 0 ? v + Modulus : v;
    }

    /// <summary>The word read as two's complement, in [-2^255, 2^255).</summary>
    public static BigInteger Signed(UInt256 x)
    {
        var v = Big(x);
        return v >= HalfModulus ? v - Modulus : v;
    }

    public static UInt256 Add(UInt256 a, UInt256 b) => Word(Big(a) + Big(b));

    public static UInt256 Subtract(UInt256 a, UInt256 b) => Word(Big(a) - Big(b));

    public static UInt256 Multiply(UInt256 a, UInt256 b) => Word(Big(a) * Big(b));

    public static UInt256 Divide(UInt256 a, UInt256 b) => b.Equals(default) ? default : Word(Big(a) / Big(b));

    public static UInt256 Modulo(UInt256 a, UInt256 b) => b.Equals(default) ? default : Word(Big(a) % Big(b));

    // SDIV: 0 for b = 0; -2^255 for (-2^255) / (-1); otherwise sgn(a / b) * floor(|a / b|).
    public static UInt256 SignedDivide(UInt256 a, UInt256 b)
    {
        var x = Signed(a);
        var y = Signed(b);
        if (y.IsZero)
        {
            return default;
        }

        if (x == -HalfModulus && y == BigInteger.MinusOne)
        {
            return Word(-HalfModulus);
        }

        var magnitude = BigInteger.Abs(x) / BigInteger.Abs(y);
        return Word(x.Sign * y.Sign < 0 ? -magnitude : magnitude);
    }

    // SMOD: 0 for b = 0; otherwise sgn(a) * (|a| mod |b|).
    public static UInt256 SignedModulo(UInt256 a, UInt256 b)
    {
        var x = Signed(a);
        var y = Signed(b);
        if (y.IsZero)
        {
            return default;
        }

        var magnitude = BigInteger.Abs(x) % BigInteger.Abs(y);
        return Word(x.Sign < 0 ? -magnitude : magnitude);
    }

    public static UInt256 AddMod(UInt256 a, UInt256 b, UInt256 m) => m.Equals(default) ? default : Word((Big(a) + Big(b)) % Big(m));

    public static UInt256 MulMod(UInt256 a, UInt256 b, UInt256 m) => m.Equals(default) ? default : Word(Big(a) * Big(b) % Big(m));

    public static UInt256 Exp(UInt256 b, UInt256 e) => Word(BigInteger.ModPow(Big(b), Big(e), Modulus));

    // SIGNEXTEND(b, x): for b < 31 the bit t = 8b + 7 (counted from the least significant) is copied to all higher bits.
    public static UInt256 SignExtend(UInt256 b, UInt256 x)
    {
        var index = Big(b);
        if (index >= 31)
        {
            return x;
        }

        int t = (8 * (int)index) + 7;
        var value = Big(x);
        var low = value % (BigInteger.One << (t + 1));
        bool signSet = !((value >> t) & BigInteger.One).IsZero;
        return Word(signSet ? low + (Modulus - (BigInteger.One << (t + 1))) : low);
    }

    public static UInt256 ShiftLeft(UInt256 x, int shift) => shift >= 256 ? default : Word(Big(x) * BigInteger.Pow(2, shift));

    public static UInt256 ShiftRight(UInt256 x, int shift) => shift >= 256 ? default : Word(Big(x) / BigInteger.Pow(2, shift));

    // SAR: floor(signed(x) / 2^shift), rounding toward negative infinity.
    public static UInt256 ArithmeticShiftRight(UInt256 x, int shift)
    {
        var value = Signed(x);
        var divisor = BigInteger.Pow(2, Math.Min(shift, 300));
        var quotient = BigInteger.DivRem(value, divisor, out var remainder);
        if (remainder.Sign < 0)
        {
            quotient -= 1;
        }

        return Word(quotient);
    }

    // BYTE(i, x): the i-th byte counted from the most significant end of the 32-byte word; 0 for i >= 32.
    public static UInt256 Byte(UInt256 i, UInt256 x)
    {
        var index = Big(i);
        if (index >= 32)
        {
            return default;
        }

        return Word(Big(x) / BigInteger.Pow(256, 31 - (int)index) % 256);
    }

    public static UInt256 Not(UInt256 x) => Word(Modulus - 1 - Big(x));

    public static UInt256 Negate(UInt256 x) => Word(-Big(x));

    // Generators. Edge values are built from limbs so they do not depend on the code under test.
    private const ulong Top = 0x8000_0000_0000_0000UL;

    public static readonly UInt256[] EdgeValues =
    [
        new(0), new(1), new(2), new(3), new(10), new(255), new(256),
        new(ulong.MaxValue - 1), new(ulong.MaxValue), new(0, 1), new(1, 1), new(ulong.MaxValue, 1),
        new(ulong.MaxValue, ulong.MaxValue), new(0, 0, 1), new(1, 0, 1), new(0, 0, 0, 1),
        new(ulong.MaxValue, ulong.MaxValue, ulong.MaxValue), new(Top), new(0, Top), new(0, 0, Top),
        new(0, 0, 0, Top), new(1, 0, 0, Top), new(ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, Top - 1),
        new(ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue),
        new(ulong.MaxValue - 1, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue),
        new(0, 0, 0, ulong.MaxValue), new(0, ulong.MaxValue, 0, ulong.MaxValue),
    ];

    // Limb values that exercise carries and the quotient estimate corrections of long division.
    private static readonly ulong[] EdgeLimbs = [0, 1, 2, Top - 1, Top, Top + 1, ulong.MaxValue - 1, ulong.MaxValue];

    private static Gen<ulong> RandomLimb =>
        Gen.Four(Gen.Choose(0, 0xFFFF)).Select(t => (ulong)(uint)t.Item1 | ((ulong)(uint)t.Item2 << 16) | ((ulong)(uint)t.Item3 << 32) | ((ulong)(uint)t.Item4 << 48));

    private static Gen<ulong> MixedLimb => Gen.Frequency((3, RandomLimb), (2, Gen.Elements(EdgeLimbs)));

    // A value occupying exactly 1..4 limbs (the rest zero).
    private static Gen<UInt256> SizedValue =>
        from limbs in Gen.Choose(1, 4)
        from l in Gen.Four(MixedLimb)
        select new UInt256(l.Item1, limbs > 1 ? l.Item2 : 0, limbs > 2 ? l.Item3 : 0, limbs > 3 ? l.Item4 : 0);

    // 2^k + d for d in -2..2, wrapped: powers of two and their neighbours.
    private static Gen<UInt256> NearPowerOfTwo =>
        from k in Gen.Choose(0, 255)
        from d in Gen.Choose(-2, 2)
        select Word((BigInteger.One << k) + d);

    // Small negative numbers in two's complement: -1, -2, ..., and -(2^63) etc.
    private static Gen<UInt256> SmallNegative =>
        from x in Gen.Frequency((2, Gen.Choose(1, 1000).Select(i => (ulong)i)), (1, MixedLimb))
        select Word(-new BigInteger(x));

    /// <summary>Values mixing edge constants, powers of two ± 2, 1..4-limb values and small negatives.</summary>
    public static Gen<UInt256> Values => Gen.Frequency(
        (2, Gen.Elements(EdgeValues)),
        (2, NearPowerOfTwo),
        (5, SizedValue),
        (1, SmallNegative));

    public static Arbitrary<(UInt256, UInt256)> Pairs => Arb.From(Gen.Zip(Values, Values));

    public static Arbitrary<(UInt256, UInt256, UInt256)> Triples =>
        Arb.From(from a in Values from b in Values from c in Values select (a, b, c));

    public static Arbitrary<UInt256> Singles => Arb.From(Values);

    /// <summary>Shift counts: every in-range value is likely near the limb boundaries, plus 256 and beyond.</summary>
    public static Gen<int> Shifts => Gen.Frequency(
        (6, Gen.Choose(0, 255)),
        (2, Gen.Elements(0, 1, 63, 64, 65, 127, 128, 129, 191, 192, 193, 254, 255)),
        (1, Gen.Elements(256, 257, 300, 1024, int.MaxValue)));

    /// <summary>Runs a property for at least <paramref name="cases"/> generated cases and throws on failure.</summary>
    public static void Check(Property property, int cases = 2000) =>
        FsCheck.Check.One(Config.QuickThrowOnFailure.WithMaxTest(cases).WithQuietOnSuccess(true), property);
}
