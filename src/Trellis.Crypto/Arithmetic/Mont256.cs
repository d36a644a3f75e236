using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Trellis.Crypto.Arithmetic;

/// <summary>
/// 256-bit arithmetic on four 64-bit limbs (little-endian limb order) shared by the SM2 and secp256k1 field and
/// scalar types.
/// Callers pass their modulus as constants so the JIT folds them into the inlined code.
/// </summary>
internal static class Mont256
{
    /// <summary>Returns the low word of a*b + c + carry and leaves the high word in <paramref name="carry"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong MulAdd(ulong a, ulong b, ulong c, ref ulong carry)
    {
        var hi = MultiplyHigh(a, b, out var lo);
        lo += c;
        hi += lo < c ? 1UL : 0UL;
        lo += carry;
        hi += lo < carry ? 1UL : 0UL;
        carry = hi;
        return lo;
    }

    /// <summary>
    /// Returns the high word of a*b and the low word in <paramref name="low"/>. With BMI2 the high word comes from
    /// MULX and the low word from a separate IMUL: Math.BigMul's out parameter makes the JIT spill the low word to
    /// the stack and reload it, which costs more than the second multiply.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong MultiplyHigh(ulong a, ulong b, out ulong low)
    {
        if (Bmi2.X64.IsSupported)
        {
            low = a * b;
            return Bmi2.X64.MultiplyNoFlags(a, b);
        }

        return Math.BigMul(a, b, out low);
    }

    /// <summary>Returns a + b + carry (carry is 0 or 1) and leaves the carry out in <paramref name="carry"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong AddWithCarry(ulong a, ulong b, ref ulong carry)
    {
        var s = a + b;
        var c1 = s < a ? 1UL : 0UL;
        var r = s + carry;
        var c2 = r < s ? 1UL : 0UL;
        carry = c1 | c2;
        return r;
    }

    /// <summary>Returns a - b - borrow (borrow is 0 or 1) and leaves the borrow out in <paramref name="borrow"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong SubWithBorrow(ulong a, ulong b, ref ulong borrow)
    {
        var d = a - b;
        var b1 = a < b ? 1UL : 0UL;
        var r = d - borrow;
        var b2 = d < borrow ? 1UL : 0UL;
        borrow = b1 | b2;
        return r;
    }

    /// <summary>
    /// Montgomery product a*b/2^256 mod m (CIOS), for a, b &lt; m; <paramref name="inv"/> is -m^-1 mod 2^64.
    /// The result is fully reduced (&lt; m).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Multiply(
        ulong a0, ulong a1, ulong a2, ulong a3,
        ulong b0, ulong b1, ulong b2, ulong b3,
        ulong m0, ulong m1, ulong m2, ulong m3, ulong inv,
        out ulong r0, out ulong r1, out ulong r2, out ulong r3)
    {
        ulong t0 = 0, t1 = 0, t2 = 0, t3 = 0, t4 = 0;
        Step(a0, a1, a2, a3, b0, m0, m1, m2, m3, inv, ref t0, ref t1, ref t2, ref t3, ref t4);
        Step(a0, a1, a2, a3, b1, m0, m1, m2, m3, inv, ref t0, ref t1, ref t2, ref t3, ref t4);
        Step(a0, a1, a2, a3, b2, m0, m1, m2, m3, inv, ref t0, ref t1, ref t2, ref t3, ref t4);
        Step(a0, a1, a2, a3, b3, m0, m1, m2, m3, inv, ref t0, ref t1, ref t2, ref t3, ref t4);
        ReduceOnce(t0, t1, t2, t3, t4, m0, m1, m2, m3, out r0, out r1, out r2, out r3);
    }

    /// <summary>
    /// Given t = t4*2^256 + (t3..t0) &lt; 2m, returns t mod m without branching on the value.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ReduceOnce(
        ulong t0, ulong t1, ulong t2, ulong t3, ulong t4,
        ulong m0, ulong m1, ulong m2, ulong m3,
        out ulong r0, out ulong r1, out ulong r2, out ulong r3)
    {
        ulong borrow = 0;
        var s0 = SubWithBorrow(t0, m0, ref borrow);
        var s1 = SubWithBorrow(t1, m1, ref borrow);
        var s2 = SubWithBorrow(t2, m2, ref borrow);
        var s3 = SubWithBorrow(t3, m3, ref borrow);
        _ = SubWithBorrow(t4, 0, ref borrow);

        // borrow == 1 means t < m: keep t.
        var keep = 0UL - borrow;
        r0 = (t0 & keep) | (s0 & ~keep);
        r1 = (t1 & keep) | (s1 & ~keep);
        r2 = (t2 & keep) | (s2 & ~keep);
        r3 = (t3 & keep) | (s3 & ~keep);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Step(
        ulong a0, ulong a1, ulong a2, ulong a3, ulong bi,
        ulong m0, ulong m1, ulong m2, ulong m3, ulong inv,
        ref ulong t0, ref ulong t1, ref ulong t2, ref ulong t3, ref ulong t4)
    {
        ulong carry = 0;
        t0 = MulAdd(a0, bi, t0, ref carry);
        t1 = MulAdd(a1, bi, t1, ref carry);
        t2 = MulAdd(a2, bi, t2, ref carry);
        t3 = MulAdd(a3, bi, t3, ref carry);
        ulong c2 = 0;
        t4 = AddWithCarry(t4, carry, ref c2);

        var q = t0 * inv;
        carry = 0;
        _ = MulAdd(q, m0, t0, ref carry);
        t0 = MulAdd(q, m1, t1, ref carry);
        t1 = MulAdd(q, m2, t2, ref carry);
        t2 = MulAdd(q, m3, t3, ref carry);
        ulong c3 = 0;
        t3 = AddWithCarry(t4, carry, ref c3);
        t4 = c2 + c3;
    }
}
