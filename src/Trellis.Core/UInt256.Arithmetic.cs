using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Trellis.Core;

// Arithmetic. Every method reads all of its inputs before it writes `result`, so callers may pass the same
// variable as an input and as the output (the EVM writes results back into its operand slots).
public readonly partial struct UInt256
{
    /// <summary>Wrapping addition (EVM ADD).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(in UInt256 a, in UInt256 b, out UInt256 result) => AddOverflow(a, b, out result);

    /// <summary>Addition modulo 2^256; returns true when the exact sum is 2^256 or more (carry out).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AddOverflow(in UInt256 a, in UInt256 b, out UInt256 result)
    {
        ulong carry = 0;
        ulong r0 = AddWithCarry(a.U0, b.U0, ref carry);
        ulong r1 = AddWithCarry(a.U1, b.U1, ref carry);
        ulong r2 = AddWithCarry(a.U2, b.U2, ref carry);
        ulong r3 = AddWithCarry(a.U3, b.U3, ref carry);
        result = new UInt256(r0, r1, r2, r3);
        return carry != 0;
    }

    /// <summary>Wrapping subtraction (EVM SUB).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Subtract(in UInt256 a, in UInt256 b, out UInt256 result) => SubtractUnderflow(a, b, out result);

    /// <summary>Subtraction modulo 2^256; returns true when <paramref name="b"/> is greater than <paramref name="a"/> (borrow out).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool SubtractUnderflow(in UInt256 a, in UInt256 b, out UInt256 result)
    {
        ulong borrow = 0;
        ulong r0 = SubtractWithBorrow(a.U0, b.U0, ref borrow);
        ulong r1 = SubtractWithBorrow(a.U1, b.U1, ref borrow);
        ulong r2 = SubtractWithBorrow(a.U2, b.U2, ref borrow);
        ulong r3 = SubtractWithBorrow(a.U3, b.U3, ref borrow);
        result = new UInt256(r0, r1, r2, r3);
        return borrow != 0;
    }

    /// <summary>Two's complement negation: 2^256 - a, and 0 for 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Negate(in UInt256 a, out UInt256 result) => SubtractUnderflow(Zero, a, out result);

    /// <summary>Wrapping multiplication: the low 256 bits of the product (EVM MUL).</summary>
    public static void Multiply(in UInt256 a, in UInt256 b, out UInt256 result)
    {
        if (((a.U1 | a.U2 | a.U3) | (b.U1 | b.U2 | b.U3)) == 0)
        {
            ulong high = Math.BigMul(a.U0, b.U0, out ulong low);
            result = new UInt256(low, high);
            return;
        }

        // Operand scanning, keeping only the columns below 2^256: ten 64x64 products.
        ulong a0 = a.U0, a1 = a.U1, a2 = a.U2, a3 = a.U3;
        ulong b0 = b.U0, b1 = b.U1, b2 = b.U2, b3 = b.U3;

        ulong carry = 0;
        ulong r0 = MultiplyAdd(a0, b0, 0, ref carry);
        ulong r1 = MultiplyAdd(a0, b1, 0, ref carry);
        ulong r2 = MultiplyAdd(a0, b2, 0, ref carry);
        ulong r3 = unchecked((a0 * b3) + carry);

        carry = 0;
        r1 = MultiplyAdd(a1, b0, r1, ref carry);
        r2 = MultiplyAdd(a1, b1, r2, ref carry);
        r3 += unchecked((a1 * b2) + carry);

        carry = 0;
        r2 = MultiplyAdd(a2, b0, r2, ref carry);
        r3 += unchecked((a2 * b1) + carry);

        r3 += unchecked(a3 * b0);
        result = new UInt256(r0, r1, r2, r3);
    }

    /// <summary>Multiplication modulo 2^256; returns true when the exact product is 2^256 or more.</summary>
    [SkipLocalsInit]
    public static bool MultiplyOverflow(in UInt256 a, in UInt256 b, out UInt256 result)
    {
        Span<ulong> product = stackalloc ulong[8];
        MultiplyFull(a, b, product);
        result = new UInt256(product[0], product[1], product[2], product[3]);
        return (product[4] | product[5] | product[6] | product[7]) != 0;
    }

    /// <summary>Unsigned division (EVM DIV); division by zero gives zero.</summary>
    public static void Divide(in UInt256 a, in UInt256 b, out UInt256 result)
    {
        if (((a.U1 | a.U2 | a.U3) | (b.U1 | b.U2 | b.U3)) == 0)
        {
            result = b.U0 == 0 ? Zero : new UInt256(a.U0 / b.U0);
            return;
        }

        DivideWithRemainder(a, b, out result, out _);
    }

    /// <summary>Unsigned remainder (EVM MOD); remainder by zero gives zero.</summary>
    public static void Modulo(in UInt256 a, in UInt256 b, out UInt256 result)
    {
        if (((a.U1 | a.U2 | a.U3) | (b.U1 | b.U2 | b.U3)) == 0)
        {
            result = b.U0 == 0 ? Zero : new UInt256(a.U0 % b.U0);
            return;
        }

        DivideWithRemainder(a, b, out _, out result);
    }

    /// <summary>
    /// Quotient and remainder of unsigned division; both are zero when <paramref name="b"/> is zero (EVM rule).
    /// </summary>
    [SkipLocalsInit]
    public static void DivideWithRemainder(in UInt256 a, in UInt256 b, out UInt256 quotient, out UInt256 remainder)
    {
        if (b.IsZero)
        {
            quotient = Zero;
            remainder = Zero;
            return;
        }

        if (LessThan(a, b))
        {
            remainder = a;
            quotient = Zero;
            return;
        }

        if (b.FitsInUlong)
        {
            // Short division needs no normalisation: four chained 128-by-64 divisions.
            ulong rem = DivideByUlong(a, b.U0, out quotient);
            remainder = new UInt256(rem);
            return;
        }

        ReadOnlySpan<ulong> numerator = Limbs(a);
        ReadOnlySpan<ulong> divisor = Limbs(b);
        var qBuffer = default(Limbs4);
        Span<ulong> q = qBuffer;
        DivideCore(numerator[..LimbCount(a)], divisor[..LimbCount(b)], q, out var r);
        // q may be only partly written: the core fills the limbs it computes, so clear the rest explicitly.
        int written = LimbCount(a) - LimbCount(b) + 1;
        q[written..].Clear();
        quotient = new UInt256(q[0], q[1], q[2], q[3]);
        remainder = r;
    }

    /// <summary>
    /// Signed (two's complement) division truncating toward zero (EVM SDIV); division by zero gives zero and
    /// -2^255 / -1 gives -2^255.
    /// </summary>
    public static void SignedDivide(in UInt256 a, in UInt256 b, out UInt256 result)
    {
        bool aNegative = a.IsNegative;
        bool bNegative = b.IsNegative;
        if (!aNegative && !bNegative)
        {
            Divide(a, b, out result);
            return;
        }

        UInt256 x = a, y = b;
        if (aNegative)
        {
            Negate(x, out x);
        }

        if (bNegative)
        {
            Negate(y, out y);
        }

        Divide(x, y, out var quotient);
        if (aNegative != bNegative)
        {
            Negate(quotient, out quotient);
        }

        result = quotient;
    }

    /// <summary>Signed remainder (EVM SMOD): takes the sign of the dividend; remainder by zero gives zero.</summary>
    public static void SignedModulo(in UInt256 a, in UInt256 b, out UInt256 result)
    {
        bool aNegative = a.IsNegative;
        bool bNegative = b.IsNegative;
        if (!aNegative && !bNegative)
        {
            Modulo(a, b, out result);
            return;
        }

        UInt256 x = a, y = b;
        if (aNegative)
        {
            Negate(x, out x);
        }

        if (bNegative)
        {
            Negate(y, out y);
        }

        Modulo(x, y, out var remainder);
        if (aNegative)
        {
            Negate(remainder, out remainder);
        }

        result = remainder;
    }

    /// <summary>(a + b) mod m over the exact 257-bit sum (EVM ADDMOD); m = 0 gives 0.</summary>
    [SkipLocalsInit]
    public static void AddMod(in UInt256 a, in UInt256 b, in UInt256 m, out UInt256 result)
    {
        if (m.IsZero)
        {
            result = Zero;
            return;
        }

        UInt256 modulus = m;
        bool carry = AddOverflow(a, b, out var sum);

        // Common case: both operands already reduced, so the sum is below 2m and one subtraction suffices.
        if (LessThan(a, modulus) && LessThan(b, modulus))
        {
            if (carry || !LessThan(sum, modulus))
            {
                Subtract(sum, modulus, out sum);
            }

            result = sum;
            return;
        }

        if (!carry)
        {
            Modulo(sum, modulus, out result);
            return;
        }

        Span<ulong> numerator = stackalloc ulong[5];
        Limbs(sum).CopyTo(numerator);
        numerator[4] = 1;
        Span<ulong> quotient = stackalloc ulong[5];
        DivideCore(numerator, Limbs(modulus)[..LimbCount(modulus)], quotient, out result);
    }

    /// <summary>(a * b) mod m over the exact 512-bit product (EVM MULMOD); m = 0 gives 0.</summary>
    [SkipLocalsInit]
    public static void MulMod(in UInt256 a, in UInt256 b, in UInt256 m, out UInt256 result)
    {
        if (m.IsZero)
        {
            result = Zero;
            return;
        }

        if (((a.U1 | a.U2 | a.U3) | (b.U1 | b.U2 | b.U3) | (m.U1 | m.U2 | m.U3)) == 0)
        {
            ulong high = Math.BigMul(a.U0, b.U0, out ulong low);
            DivideRemainder128By64(high % m.U0, low, m.U0, out ulong rem);
            result = new UInt256(rem);
            return;
        }

        UInt256 modulus = m;
        Span<ulong> product = stackalloc ulong[8];
        MultiplyFull(a, b, product);
        int length = 8;
        while (length > 0 && product[length - 1] == 0)
        {
            length--;
        }

        int modulusLength = LimbCount(modulus);
        if (length < modulusLength)
        {
            // The product (possibly zero) is below the modulus: it fits in the modulus' limbs.
            result = new UInt256(product[0], product[1], product[2], product[3]);
            if (!LessThan(result, modulus))
            {
                Modulo(result, modulus, out result);
            }

            return;
        }

        Span<ulong> quotient = stackalloc ulong[8];
        DivideCore(product[..length], Limbs(modulus)[..modulusLength], quotient, out result);
    }

    /// <summary>b^e modulo 2^256 (EVM EXP); 0^0 = 1.</summary>
    public static void Exp(in UInt256 b, in UInt256 e, out UInt256 result)
    {
        if (e.IsZero)
        {
            result = One;
            return;
        }

        if (b.FitsInUlong && b.U0 <= 1)
        {
            result = b;
            return;
        }

        // Powers of two are shifts: (2^k)^e = 2^(k*e), zero once k*e reaches 256.
        if (b.FitsInUlong && BitOperations.IsPow2(b.U0))
        {
            int k = BitOperations.TrailingZeroCount(b.U0);
            if (e.FitsInUlong && e.U0 < 256)
            {
                ulong shift = (ulong)k * e.U0;
                if (shift < 256)
                {
                    ShiftLeft(One, (int)shift, out result);
                    return;
                }
            }

            result = Zero;
            return;
        }

        // Square and multiply, from the least significant exponent bit; stops at the highest set bit.
        UInt256 accumulator = One;
        UInt256 power = b;
        ReadOnlySpan<ulong> exponent = Limbs(e);
        int limbs = LimbCount(e);
        for (int limb = 0; limb < limbs; limb++)
        {
            ulong bits = exponent[limb];
            bool last = limb == limbs - 1;
            int count = last ? 64 - BitOperations.LeadingZeroCount(bits) : 64;
            for (int i = 0; i < count; i++)
            {
                if ((bits & 1) != 0)
                {
                    Multiply(accumulator, power, out accumulator);
                }

                bits >>= 1;
                if (!last || i + 1 < count)
                {
                    Multiply(power, power, out power);
                }
            }
        }

        result = accumulator;
    }

    // a + b + carry, updating carry (0 or 1). The carry-out formula is branch free.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong AddWithCarry(ulong a, ulong b, ref ulong carry)
    {
        ulong sum = unchecked(a + b + carry);
        carry = ((a & b) | ((a | b) & ~sum)) >> 63;
        return sum;
    }

    // a - b - borrow, updating borrow (0 or 1).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong SubtractWithBorrow(ulong a, ulong b, ref ulong borrow)
    {
        ulong difference = unchecked(a - b - borrow);
        borrow = ((~a & b) | (~(a ^ b) & difference)) >> 63;
        return difference;
    }

    // a * b + addend + carry; returns the low limb and leaves the high limb in carry. Cannot overflow 128 bits.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong MultiplyAdd(ulong a, ulong b, ulong addend, ref ulong carry)
    {
        ulong high = Math.BigMul(a, b, out ulong low);
        low = unchecked(low + addend);
        high += low < addend ? 1UL : 0UL;
        low = unchecked(low + carry);
        high += low < carry ? 1UL : 0UL;
        carry = high;
        return low;
    }

    // The full 512-bit product into eight limbs, least significant first.
    private static void MultiplyFull(in UInt256 a, in UInt256 b, Span<ulong> product)
    {
        ReadOnlySpan<ulong> x = Limbs(a);
        ReadOnlySpan<ulong> y = Limbs(b);
        product[..8].Clear();
        for (int i = 0; i < 4; i++)
        {
            ulong carry = 0;
            ulong xi = x[i];
            for (int j = 0; j < 4; j++)
            {
                product[i + j] = MultiplyAdd(xi, y[j], product[i + j], ref carry);
            }

            product[i + 4] = carry;
        }
    }

    // The four limbs of a value as a span, least significant first (the struct's field order).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ReadOnlySpan<ulong> Limbs(in UInt256 value) =>
        MemoryMarshal.CreateReadOnlySpan(ref Unsafe.AsRef(in value.U0), 4);

    // Number of limbs up to the most significant non-zero one (0 for zero).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int LimbCount(in UInt256 value) =>
        value.U3 != 0 ? 4 : value.U2 != 0 ? 3 : value.U1 != 0 ? 2 : value.U0 != 0 ? 1 : 0;

    // (high * 2^64 + low) / divisor for high < divisor, so the quotient fits in 64 bits.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong DivideRemainder128By64(ulong high, ulong low, ulong divisor, out ulong remainder)
    {
        if (X86Base.X64.IsSupported)
        {
#pragma warning disable SYSLIB5004 // DivRem is marked experimental only for its speed on some CPUs; results are exact.
            (ulong q, ulong r) = X86Base.X64.DivRem(low, high, divisor);
#pragma warning restore SYSLIB5004
            remainder = r;
            return q;
        }

        UInt128 numerator = new(high, low);
        ulong quotient = (ulong)(numerator / divisor);
        remainder = unchecked(low - (quotient * divisor));
        return quotient;
    }

    // The reciprocal of a normalised divisor d (top bit set): floor((2^128 - 1) / d) - 2^64.
    // Möller and Granlund, "Improved division by invariant integers" (2011), section 3. As ~d < d, it is one
    // 128-by-64 division: floor((~d * 2^64 + 2^64 - 1) / d).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Reciprocal(ulong d) => DivideRemainder128By64(~d, ulong.MaxValue, d, out _);

    // (u1 * 2^64 + u0) / d for normalised d and u1 < d, with two multiplications instead of a hardware divide.
    // Möller and Granlund, algorithm 4 (div_2by1), with the first correction made branch free.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong DivideRemainder2By1(ulong u1, ulong u0, ulong d, ulong reciprocal, out ulong remainder)
    {
        ulong q1 = Math.BigMul(reciprocal, u1, out ulong q0);
        q0 = unchecked(q0 + u0);
        q1 = unchecked(q1 + u1 + (q0 < u0 ? 1UL : 0UL) + 1);
        ulong r = unchecked(u0 - (q1 * d));
        ulong mask = r > q0 ? ulong.MaxValue : 0;
        q1 = unchecked(q1 + mask);
        r = unchecked(r + (mask & d));
        if (r >= d)
        {
            q1++;
            r -= d;
        }

        remainder = r;
        return q1;
    }

    /// <summary>
    /// Long division of <paramref name="numerator"/> (up to 8 limbs, top limb non-zero, at least as long as the
    /// divisor) by <paramref name="divisor"/> (1 to 4 limbs, top limb non-zero). Writes the low
    /// <c>numerator.Length - divisor.Length + 1</c> limbs of <paramref name="quotient"/>.
    /// Knuth, TAOCP vol. 2, 4.3.1, algorithm D, with 64-bit digits and quotient digit estimates by reciprocal.
    /// </summary>
    [SkipLocalsInit]
    private static void DivideCore(ReadOnlySpan<ulong> numerator, ReadOnlySpan<ulong> divisor, Span<ulong> quotient, out UInt256 remainder)
    {
        int n = divisor.Length;
        int length = numerator.Length;

        // D1: normalise so the divisor's top bit is set; the quotient digit estimate is then off by at most 2.
        // (x >> 1) >> (63 - s) is x >> (64 - s) that also gives 0 for s = 0, where C# would shift by 64 mod 64.
        int s = BitOperations.LeadingZeroCount(divisor[n - 1]);
        var vBuffer = default(Limbs4);
        Span<ulong> v = vBuffer;
        for (int i = n - 1; i > 0; i--)
        {
            v[i] = (divisor[i] << s) | ((divisor[i - 1] >> 1) >> (63 - s));
        }

        v[0] = divisor[0] << s;

        var uBuffer = default(Limbs9);
        Span<ulong> u = uBuffer;
        u[length] = (numerator[length - 1] >> 1) >> (63 - s);
        for (int i = length - 1; i > 0; i--)
        {
            u[i] = (numerator[i] << s) | ((numerator[i - 1] >> 1) >> (63 - s));
        }

        u[0] = numerator[0] << s;

        if (n == 1)
        {
            // Short division: one 2-by-1 step per limb; u[length] < 2^s <= the divisor, so each step fits.
            ulong d = v[0];
            ulong dReciprocal = Reciprocal(d);
            ulong rem = u[length];
            for (int i = length - 1; i >= 0; i--)
            {
                quotient[i] = DivideRemainder2By1(rem, u[i], d, dReciprocal, out rem);
            }

            remainder = new UInt256(rem >> s);
            return;
        }

        ulong vTop = v[n - 1];
        ulong vNext = v[n - 2];
        ulong vReciprocal = Reciprocal(vTop);
        for (int j = length - n; j >= 0; j--)
        {
            // D3: estimate the quotient digit from the top two limbs, refine it with the third.
            ulong uTop = u[j + n];
            ulong qHat;
            ulong rHat;
            bool rHatOverflow;
            if (uTop >= vTop)
            {
                // The invariant u[j..j+n] < b * v makes uTop == vTop here; the estimate would exceed b - 1.
                qHat = ulong.MaxValue;
                rHat = unchecked(u[j + n - 1] + vTop);
                rHatOverflow = rHat < vTop;
            }
            else
            {
                qHat = DivideRemainder2By1(uTop, u[j + n - 1], vTop, vReciprocal, out rHat);
                rHatOverflow = false;
            }

            while (!rHatOverflow)
            {
                ulong productHigh = Math.BigMul(qHat, vNext, out ulong productLow);
                if (productHigh < rHat || (productHigh == rHat && productLow <= u[j + n - 2]))
                {
                    break;
                }

                qHat--;
                rHat = unchecked(rHat + vTop);
                rHatOverflow = rHat < vTop;
            }

            // D4: multiply and subtract qHat * v from u[j..j+n].
            ulong carry = 0;
            ulong borrow = 0;
            for (int i = 0; i < n; i++)
            {
                ulong productLow = MultiplyAdd(qHat, v[i], 0, ref carry);
                u[i + j] = SubtractWithBorrow(u[i + j], productLow, ref borrow);
            }

            ulong top = u[j + n];
            ulong afterCarry = unchecked(top - carry);
            bool negative = top < carry;
            u[j + n] = unchecked(afterCarry - borrow);
            negative |= afterCarry < borrow;

            // D6: the estimate was one too large (rare, probability about 2/b): add the divisor back.
            if (negative)
            {
                qHat--;
                ulong addCarry = 0;
                for (int i = 0; i < n; i++)
                {
                    u[i + j] = AddWithCarry(u[i + j], v[i], ref addCarry);
                }

                u[j + n] = unchecked(u[j + n] + addCarry);
            }

            quotient[j] = qHat;
        }

        // D8: the remainder is u[0..n] shifted back.
        var rBuffer = default(Limbs4);
        Span<ulong> r = rBuffer;
        for (int i = 0; i < n; i++)
        {
            r[i] = (u[i] >> s) | ((u[i + 1] << 1) << (63 - s));
        }

        remainder = new UInt256(r[0], r[1], r[2], r[3]);
    }

    // Fixed-size scratch buffers for long division: no stackalloc, so no stack cookie and a smaller prologue.
    [InlineArray(4)]
    private struct Limbs4
    {
        private ulong _element;
    }

    [InlineArray(9)]
    private struct Limbs9
    {
        private ulong _element;
    }
}
