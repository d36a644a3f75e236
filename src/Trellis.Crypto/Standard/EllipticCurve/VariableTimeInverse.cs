using System.Numerics;
using System.Runtime.CompilerServices;
using Trellis.Crypto.Arithmetic;

namespace Trellis.Crypto.Standard.EllipticCurve;

/// <summary>
/// Modular inversion of 256-bit values by the binary extended Euclidean algorithm, for public data only
/// (signature verification and key recovery): its running time depends on the input.
/// </summary>
internal static class VariableTimeInverse
{
    /// <summary>Four 64-bit limbs, least significant first; a private scratch type so the loop stays in registers.</summary>
    private struct Limbs
    {
        public ulong A0;
        public ulong A1;
        public ulong A2;
        public ulong A3;

        public readonly bool IsOne => A0 == 1 && (A1 | A2 | A3) == 0;

        public readonly bool IsZero => (A0 | A1 | A2 | A3) == 0;

        public readonly bool IsAtLeast(in Limbs other)
        {
            if (A3 != other.A3)
            {
                return A3 > other.A3;
            }

            if (A2 != other.A2)
            {
                return A2 > other.A2;
            }

            if (A1 != other.A1)
            {
                return A1 > other.A1;
            }

            return A0 >= other.A0;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void ShiftRight(int bits, ulong topBit)
        {
            // 0 < bits < 64; topBit (0 or 1) becomes bit 256 - bits, used when halving a 257-bit sum.
            A0 = (A0 >> bits) | (A1 << (64 - bits));
            A1 = (A1 >> bits) | (A2 << (64 - bits));
            A2 = (A2 >> bits) | (A3 << (64 - bits));
            A3 = (A3 >> bits) | (topBit << (64 - bits));
        }

        /// <summary>this -= other; returns the borrow.</summary>
        public ulong Subtract(in Limbs other)
        {
            ulong borrow = 0;
            A0 = Mont256.SubWithBorrow(A0, other.A0, ref borrow);
            A1 = Mont256.SubWithBorrow(A1, other.A1, ref borrow);
            A2 = Mont256.SubWithBorrow(A2, other.A2, ref borrow);
            A3 = Mont256.SubWithBorrow(A3, other.A3, ref borrow);
            return borrow;
        }

        /// <summary>this += other; returns the carry.</summary>
        public ulong Add(in Limbs other)
        {
            ulong carry = 0;
            A0 = Mont256.AddWithCarry(A0, other.A0, ref carry);
            A1 = Mont256.AddWithCarry(A1, other.A1, ref carry);
            A2 = Mont256.AddWithCarry(A2, other.A2, ref carry);
            A3 = Mont256.AddWithCarry(A3, other.A3, ref carry);
            return carry;
        }
    }

    /// <summary>
    /// x = x / 2^k mod m (m odd, x &lt; m, 0 &lt; k &lt; 64) in one step: adding q m with q = -x m^-1 mod 2^k clears the
    /// low k bits, so the shift is exact. Halving bit by bit instead costs a badly predicted branch per bit.
    /// </summary>
    /// <remarks>x + q m &lt; m + (2^k - 1) m = 2^k m, so the result is below m and fits in four limbs.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void HalveTimes(ref Limbs x, in Limbs modulus, ulong modulusNegInverse, int k)
    {
        ulong q = (x.A0 * modulusNegInverse) & ((1UL << k) - 1);
        ulong carry = 0;
        ulong t0 = Mont256.MulAdd(q, modulus.A0, x.A0, ref carry);
        ulong t1 = Mont256.MulAdd(q, modulus.A1, x.A1, ref carry);
        ulong t2 = Mont256.MulAdd(q, modulus.A2, x.A2, ref carry);
        ulong t3 = Mont256.MulAdd(q, modulus.A3, x.A3, ref carry);
        x.A0 = (t0 >> k) | (t1 << (64 - k));
        x.A1 = (t1 >> k) | (t2 << (64 - k));
        x.A2 = (t2 >> k) | (t3 << (64 - k));
        x.A3 = (t3 >> k) | (carry << (64 - k));
    }

    /// <summary>-m^-1 mod 2^64 for odd m, by Newton's iteration (each step doubles the correct low bits, from 3).</summary>
    private static ulong NegativeInverse64(ulong m0)
    {
        ulong inverse = m0;
        for (int i = 0; i < 5; i++)
        {
            inverse *= 2 - (m0 * inverse);
        }

        return 0UL - inverse;
    }

    /// <summary>x = x - y mod m (x, y &lt; m).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SubtractModular(ref Limbs x, in Limbs y, in Limbs modulus)
    {
        if (x.Subtract(y) != 0)
        {
            x.Add(modulus);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StripTwos(ref Limbs u, ref Limbs x, in Limbs modulus, ulong modulusNegInverse)
    {
        while ((u.A0 & 1) == 0)
        {
            int shift = u.A0 == 0 ? 63 : Math.Min(BitOperations.TrailingZeroCount(u.A0), 63);
            u.ShiftRight(shift, 0);
            HalveTimes(ref x, modulus, modulusNegInverse, shift);
        }
    }

    /// <summary>
    /// result = value^-1 mod modulus, for an odd prime modulus and 0 &lt; value &lt; modulus (four limbs each, least
    /// significant first). A zero value gives zero.
    /// </summary>
    public static void Invert(ReadOnlySpan<ulong> value, ReadOnlySpan<ulong> modulus, Span<ulong> result)
    {
        var m = new Limbs { A0 = modulus[0], A1 = modulus[1], A2 = modulus[2], A3 = modulus[3] };
        var u = new Limbs { A0 = value[0], A1 = value[1], A2 = value[2], A3 = value[3] };
        if (u.IsZero)
        {
            result.Clear();
            return;
        }

        ulong negInverse = NegativeInverse64(m.A0);
        var v = m;
        var x1 = new Limbs { A0 = 1 };
        var x2 = default(Limbs);

        // Invariants: x1 * value ≡ u and x2 * value ≡ v (mod m); gcd(u, v) = 1 throughout.
        while (!u.IsOne && !v.IsOne)
        {
            StripTwos(ref u, ref x1, m, negInverse);
            StripTwos(ref v, ref x2, m, negInverse);
            if (u.IsOne || v.IsOne)
            {
                break;
            }

            if (u.IsAtLeast(v))
            {
                u.Subtract(v);
                SubtractModular(ref x1, x2, m);
            }
            else
            {
                v.Subtract(u);
                SubtractModular(ref x2, x1, m);
            }
        }

        var inverse = u.IsOne ? x1 : x2;
        result[0] = inverse.A0;
        result[1] = inverse.A1;
        result[2] = inverse.A2;
        result[3] = inverse.A3;
    }
}
