using System.Globalization;
using System.Numerics;
using FsCheck.Fluent;
using Trellis.Core;
using static Trellis.Core.Tests.UInt256Reference;

namespace Trellis.Core.Tests;

/// <summary>
/// Every UInt256 operation against its yellow-paper definition in <see cref="BigInteger"/> on random and edge
/// values (see <see cref="UInt256Reference.Values"/>), at least 2,000 cases each.
/// </summary>
public sealed class UInt256PropertyTests
{
    [Fact]
    public void Add_MatchesBigIntegerModulo2To256() => Check(Prop.ForAll(Pairs, t =>
    {
        bool carry = UInt256.AddOverflow(t.Item1, t.Item2, out var withFlag);
        UInt256.Add(t.Item1, t.Item2, out var sum);
        return sum == UInt256Reference.Add(t.Item1, t.Item2) && withFlag == sum
            && carry == (Big(t.Item1) + Big(t.Item2) >= Modulus) && t.Item1 + t.Item2 == sum;
    }));

    [Fact]
    public void Subtract_MatchesBigIntegerModulo2To256() => Check(Prop.ForAll(Pairs, t =>
    {
        bool borrow = UInt256.SubtractUnderflow(t.Item1, t.Item2, out var withFlag);
        UInt256.Subtract(t.Item1, t.Item2, out var difference);
        return difference == UInt256Reference.Subtract(t.Item1, t.Item2) && withFlag == difference
            && borrow == (Big(t.Item1) < Big(t.Item2)) && t.Item1 - t.Item2 == difference;
    }));

    [Fact]
    public void Multiply_MatchesBigIntegerModulo2To256() => Check(Prop.ForAll(Pairs, t =>
    {
        bool overflow = UInt256.MultiplyOverflow(t.Item1, t.Item2, out var withFlag);
        UInt256.Multiply(t.Item1, t.Item2, out var product);
        return product == UInt256Reference.Multiply(t.Item1, t.Item2) && withFlag == product
            && overflow == (Big(t.Item1) * Big(t.Item2) >= Modulus) && t.Item1 * t.Item2 == product;
    }));

    [Fact]
    public void Divide_MatchesBigIntegerWithZeroForDivisionByZero() => Check(Prop.ForAll(Pairs, t =>
    {
        UInt256.Divide(t.Item1, t.Item2, out var quotient);
        return quotient == UInt256Reference.Divide(t.Item1, t.Item2) && t.Item1 / t.Item2 == quotient;
    }));

    [Fact]
    public void Modulo_MatchesBigIntegerWithZeroForDivisionByZero() => Check(Prop.ForAll(Pairs, t =>
    {
        UInt256.Modulo(t.Item1, t.Item2, out var remainder);
        UInt256.DivideWithRemainder(t.Item1, t.Item2, out var q, out var r);
        return remainder == UInt256Reference.Modulo(t.Item1, t.Item2) && r == remainder
            && q == UInt256Reference.Divide(t.Item1, t.Item2) && t.Item1 % t.Item2 == remainder;
    }));

    [Fact]
    public void Divide_WithConstructedQuotientAndRemainder_RecoversThem()
    {
        // a = q * b + r with r < b: exercises every dividend/divisor limb-count combination, not only a >> b.
        Check(Prop.ForAll(Triples, t =>
        {
            var b = Big(t.Item1);
            if (b.IsZero)
            {
                return true;
            }

            var q = Big(t.Item2) % (Modulus / b);
            var r = Big(t.Item3) % b;
            var a = (q * b) + r;
            UInt256.DivideWithRemainder(Word(a), t.Item1, out var quotient, out var remainder);
            return Big(quotient) == q && Big(remainder) == r;
        }));
    }

    [Fact]
    public void SignedDivide_MatchesYellowPaperDefinition() => Check(Prop.ForAll(Pairs, t =>
    {
        UInt256.SignedDivide(t.Item1, t.Item2, out var quotient);
        return quotient == UInt256Reference.SignedDivide(t.Item1, t.Item2);
    }));

    [Fact]
    public void SignedModulo_MatchesYellowPaperDefinition() => Check(Prop.ForAll(Pairs, t =>
    {
        UInt256.SignedModulo(t.Item1, t.Item2, out var remainder);
        return remainder == UInt256Reference.SignedModulo(t.Item1, t.Item2);
    }));

    [Fact]
    public void AddMod_MatchesBigIntegerOverTheFullSum() => Check(Prop.ForAll(Triples, t =>
    {
        UInt256.AddMod(t.Item1, t.Item2, t.Item3, out var result);
        return result == UInt256Reference.AddMod(t.Item1, t.Item2, t.Item3);
    }));

    [Fact]
    public void AddMod_WithReducedOperands_MatchesBigInteger() => Check(Prop.ForAll(Triples, t =>
    {
        // The fast path for operands already below the modulus.
        if (t.Item3.IsZero)
        {
            return true;
        }

        var a = Word(Big(t.Item1) % Big(t.Item3));
        var b = Word(Big(t.Item2) % Big(t.Item3));
        UInt256.AddMod(a, b, t.Item3, out var result);
        return result == UInt256Reference.AddMod(a, b, t.Item3);
    }));

    [Fact]
    public void MulMod_MatchesBigIntegerOverTheFull512BitProduct() => Check(Prop.ForAll(Triples, t =>
    {
        UInt256.MulMod(t.Item1, t.Item2, t.Item3, out var result);
        return result == UInt256Reference.MulMod(t.Item1, t.Item2, t.Item3);
    }));

    [Fact]
    public void Exp_MatchesBigIntegerModPow() => Check(Prop.ForAll(Pairs, t =>
    {
        UInt256.Exp(t.Item1, t.Item2, out var result);
        return result == UInt256Reference.Exp(t.Item1, t.Item2);
    }));

    [Fact]
    public void Exp_WithSmallExponents_MatchesBigIntegerModPow() => Check(Prop.ForAll(Pairs, t =>
    {
        // Large random exponents mostly give 0 for even bases; small ones keep the result interesting.
        var e = new UInt256(t.Item2.U0 % 300);
        UInt256.Exp(t.Item1, e, out var result);
        return result == UInt256Reference.Exp(t.Item1, e);
    }));

    [Fact]
    public void SignExtend_MatchesYellowPaperDefinition() => Check(Prop.ForAll(Pairs, t =>
    {
        // Half the cases use an in-range byte index so the extension itself is exercised.
        var index = (t.Item1.U1 & 1) == 0 ? new UInt256(t.Item1.U0 % 33) : t.Item1;
        UInt256.SignExtend(index, t.Item2, out var result);
        return result == UInt256Reference.SignExtend(index, t.Item2);
    }));

    [Fact]
    public void Shifts_MatchBigIntegerMultiplicationAndFloorDivision() =>
        Check(Prop.ForAll(Arb.From(Gen.Zip(Values, Shifts)), t =>
        {
            var (x, shift) = t;
            UInt256.ShiftLeft(x, shift, out var left);
            UInt256.ShiftRight(x, shift, out var right);
            UInt256.ArithmeticShiftRight(x, shift, out var arithmetic);
            UInt256.ShiftLeft(x, new UInt256((ulong)shift), out var leftWide);
            UInt256.ShiftRight(x, new UInt256((ulong)shift), out var rightWide);
            UInt256.ArithmeticShiftRight(x, new UInt256((ulong)shift), out var arithmeticWide);
            return left == UInt256Reference.ShiftLeft(x, shift) && right == UInt256Reference.ShiftRight(x, shift)
                && arithmetic == UInt256Reference.ArithmeticShiftRight(x, shift)
                && leftWide == left && rightWide == right && arithmeticWide == arithmetic
                && (x << shift) == left && (x >> shift) == right;
        }));

    [Fact]
    public void WideShiftCounts_AboveUlong_GiveZeroOrAllOnes() => Check(Prop.ForAll(Pairs, t =>
    {
        var shift = new UInt256(t.Item2.U0, t.Item2.U1 | 1, t.Item2.U2, t.Item2.U3);
        UInt256.ShiftLeft(t.Item1, shift, out var left);
        UInt256.ShiftRight(t.Item1, shift, out var right);
        UInt256.ArithmeticShiftRight(t.Item1, shift, out var arithmetic);
        return left.IsZero && right.IsZero && arithmetic == (Signed(t.Item1).Sign < 0 ? Word(-1) : default);
    }));

    [Fact]
    public void Byte_MatchesYellowPaperDefinition() => Check(Prop.ForAll(Pairs, t =>
    {
        var index = (t.Item1.U1 & 1) == 0 ? new UInt256(t.Item1.U0 % 34) : t.Item1;
        return UInt256.Byte(index, t.Item2) == UInt256Reference.Byte(index, t.Item2);
    }));

    [Fact]
    public void Comparisons_MatchUnsignedAndSignedBigIntegerOrder() => Check(Prop.ForAll(Pairs, t =>
    {
        var (a, b) = t;
        int unsignedOrder = Big(a).CompareTo(Big(b));
        int signedOrder = Signed(a).CompareTo(Signed(b));
        return UInt256.LessThan(a, b) == unsignedOrder < 0 && UInt256.GreaterThan(a, b) == unsignedOrder > 0
            && UInt256.SignedLessThan(a, b) == signedOrder < 0 && UInt256.SignedGreaterThan(a, b) == signedOrder > 0
            && Math.Sign(a.CompareTo(b)) == unsignedOrder && a.Equals(b) == (unsignedOrder == 0)
            && (a == b) == (unsignedOrder == 0) && (a != b) == (unsignedOrder != 0)
            && (a < b) == (unsignedOrder < 0) && (a > b) == (unsignedOrder > 0)
            && (a <= b) == (unsignedOrder <= 0) && (a >= b) == (unsignedOrder >= 0)
            && (unsignedOrder != 0 || a.GetHashCode() == b.GetHashCode())
            && a.IsNegative == (Signed(a).Sign < 0);
    }));

    [Fact]
    public void Bitwise_MatchesBigIntegerBitOperations() => Check(Prop.ForAll(Pairs, t =>
    {
        var (a, b) = t;
        UInt256.And(a, b, out var and);
        UInt256.Or(a, b, out var or);
        UInt256.Xor(a, b, out var xor);
        UInt256.Not(a, out var not);
        UInt256.Negate(a, out var negated);
        return and == Word(Big(a) & Big(b)) && or == Word(Big(a) | Big(b)) && xor == Word(Big(a) ^ Big(b))
            && not == UInt256Reference.Not(a) && negated == UInt256Reference.Negate(a)
            && (a & b) == and && (a | b) == or && (a ^ b) == xor && ~a == not && -a == negated;
    }));

    [Fact]
    public void Properties_MatchBigIntegerBitLength() => Check(Prop.ForAll(Singles, x =>
    {
        var big = Big(x);
        long bits = big.GetBitLength();
        return x.BitLength == bits && x.ByteLength == (bits + 7) / 8 && x.IsZero == big.IsZero
            && x.IsOne == big.IsOne && x.FitsInUlong == (big <= ulong.MaxValue) && (ulong)x == (ulong)(big & Mask64);
    }));

    [Fact]
    public void BigEndianBytes_MatchBigIntegerBytesAndRoundTrip() => Check(Prop.ForAll(Singles, x =>
    {
        byte[] minimal = Big(x).IsZero ? [] : Big(x).ToByteArray(isUnsigned: true, isBigEndian: true);
        var full = new byte[32];
        minimal.CopyTo(full, 32 - minimal.Length);
        return x.ToBigEndian().AsSpan().SequenceEqual(full) && x.ToBigEndianTrimmed().AsSpan().SequenceEqual(minimal)
            && UInt256.FromBigEndian(full) == x && UInt256.FromBigEndian(minimal) == x;
    }));

    [Fact]
    public void BigIntegerConversions_MatchLimbValue() => Check(Prop.ForAll(Singles, x =>
        x.ToBigInteger() == Big(x) && UInt256.FromBigInteger(Big(x)) == x));

    [Fact]
    public void Text_MatchesBigIntegerFormattingAndParsesBack() => Check(Prop.ForAll(Singles, x =>
    {
        var big = Big(x);
        string decimalText = big.ToString(CultureInfo.InvariantCulture);
        string hex = big.ToString("x", CultureInfo.InvariantCulture).TrimStart('0');
        if (hex.Length == 0)
        {
            hex = "0";
        }

        string upperHex = hex.ToUpperInvariant();

        return x.ToString() == decimalText && x.ToHexString() == "0x" + hex
            && x.ToString("x", null) == hex && x.ToString("X", null) == upperHex
            && UInt256.Parse(decimalText) == x && UInt256.Parse("0x" + hex) == x
            && UInt256.Parse("0X" + upperHex) == x
            && UInt256.TryParse(decimalText, out var parsed) && parsed == x;
    }));
}
