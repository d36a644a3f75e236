using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Trellis.Crypto.Arithmetic;

namespace Trellis.Crypto.National.Curve;

/// <summary>
/// An element of GF(p) for the SM2 prime p = 2^256 - 2^224 - 2^96 + 2^64 - 1 as four 64-bit limbs (little-endian
/// limb order), always fully reduced. Products are reduced with the prime's special form (a Solinas reduction):
/// 2^256 = 2^224 + 2^96 - 2^64 + 1 (mod p), so each of the eight high 32-bit words of a 512-bit product folds into
/// the low eight words with small signed coefficients, and the columns are summed without carry chains.
/// </summary>
internal readonly struct Sm2Field
{
    public const ulong P0 = 0xFFFFFFFFFFFFFFFF;
    public const ulong P1 = 0xFFFFFFFF00000000;
    public const ulong P2 = 0xFFFFFFFFFFFFFFFF;
    public const ulong P3 = 0xFFFFFFFEFFFFFFFF;

    private const long Low32 = 0xFFFFFFFF;

    public readonly ulong L0;
    public readonly ulong L1;
    public readonly ulong L2;
    public readonly ulong L3;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Sm2Field(ulong l0, ulong l1, ulong l2, ulong l3)
    {
        L0 = l0;
        L1 = l1;
        L2 = l2;
        L3 = l3;
    }

    /// <summary>Zero.</summary>
    public static Sm2Field Zero => default;

    /// <summary>One.</summary>
    public static Sm2Field One => new(1, 0, 0, 0);

    public bool IsZero => (L0 | L1 | L2 | L3) == 0;

    /// <summary>Reads a 32-byte big-endian value; false if it is not below p.</summary>
    public static bool TryRead(ReadOnlySpan<byte> bytes32, out Sm2Field value)
    {
        var l3 = BinaryPrimitives.ReadUInt64BigEndian(bytes32);
        var l2 = BinaryPrimitives.ReadUInt64BigEndian(bytes32.Slice(8));
        var l1 = BinaryPrimitives.ReadUInt64BigEndian(bytes32.Slice(16));
        var l0 = BinaryPrimitives.ReadUInt64BigEndian(bytes32.Slice(24));
        if (!IsBelowP(l0, l1, l2, l3))
        {
            value = default;
            return false;
        }

        value = new Sm2Field(l0, l1, l2, l3);
        return true;
    }

    /// <summary>True if the 256-bit value l3..l0 is below p.</summary>
    public static bool IsBelowP(ulong l0, ulong l1, ulong l2, ulong l3)
    {
        ulong borrow = 0;
        _ = Mont256.SubWithBorrow(l0, P0, ref borrow);
        _ = Mont256.SubWithBorrow(l1, P1, ref borrow);
        _ = Mont256.SubWithBorrow(l2, P2, ref borrow);
        _ = Mont256.SubWithBorrow(l3, P3, ref borrow);
        return borrow != 0;
    }

    /// <summary>Makes a field element from a plain value below p (the caller guarantees the bound).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Sm2Field FromPlain(ulong l0, ulong l1, ulong l2, ulong l3) => new(l0, l1, l2, l3);

    /// <summary>Writes the value as 32 big-endian bytes.</summary>
    public void Write(Span<byte> bytes32)
    {
        BinaryPrimitives.WriteUInt64BigEndian(bytes32, L3);
        BinaryPrimitives.WriteUInt64BigEndian(bytes32.Slice(8), L2);
        BinaryPrimitives.WriteUInt64BigEndian(bytes32.Slice(16), L1);
        BinaryPrimitives.WriteUInt64BigEndian(bytes32.Slice(24), L0);
    }

    /// <summary>Returns a*b mod p.</summary>
    public static Sm2Field Multiply(in Sm2Field a, in Sm2Field b)
    {
        ulong a0 = a.L0, a1 = a.L1, a2 = a.L2, a3 = a.L3;
        ulong b0 = b.L0, b1 = b.L1, b2 = b.L2, b3 = b.L3;

        // Schoolbook 4x4 product into c0..c7, one row per limb of b.
        ulong carry = 0;
        var c0 = Mont256.MulAdd(a0, b0, 0, ref carry);
        var c1 = Mont256.MulAdd(a1, b0, 0, ref carry);
        var c2 = Mont256.MulAdd(a2, b0, 0, ref carry);
        var c3 = Mont256.MulAdd(a3, b0, 0, ref carry);
        var c4 = carry;
        carry = 0;
        c1 = Mont256.MulAdd(a0, b1, c1, ref carry);
        c2 = Mont256.MulAdd(a1, b1, c2, ref carry);
        c3 = Mont256.MulAdd(a2, b1, c3, ref carry);
        c4 = Mont256.MulAdd(a3, b1, c4, ref carry);
        var c5 = carry;
        carry = 0;
        c2 = Mont256.MulAdd(a0, b2, c2, ref carry);
        c3 = Mont256.MulAdd(a1, b2, c3, ref carry);
        c4 = Mont256.MulAdd(a2, b2, c4, ref carry);
        c5 = Mont256.MulAdd(a3, b2, c5, ref carry);
        var c6 = carry;
        carry = 0;
        c3 = Mont256.MulAdd(a0, b3, c3, ref carry);
        c4 = Mont256.MulAdd(a1, b3, c4, ref carry);
        c5 = Mont256.MulAdd(a2, b3, c5, ref carry);
        c6 = Mont256.MulAdd(a3, b3, c6, ref carry);
        var c7 = carry;
        return ReduceWide(c0, c1, c2, c3, c4, c5, c6, c7);
    }

    /// <summary>Returns a^2 mod p: the six cross products are computed once and doubled.</summary>
    public static Sm2Field Square(in Sm2Field a)
    {
        ulong a0 = a.L0, a1 = a.L1, a2 = a.L2, a3 = a.L3;

        // Cross products a_i a_j (i < j) into c1..c6.
        ulong carry = 0;
        var c1 = Mont256.MulAdd(a0, a1, 0, ref carry);
        var c2 = Mont256.MulAdd(a0, a2, 0, ref carry);
        var c3 = Mont256.MulAdd(a0, a3, 0, ref carry);
        var c4 = carry;
        carry = 0;
        c3 = Mont256.MulAdd(a1, a2, c3, ref carry);
        c4 = Mont256.MulAdd(a1, a3, c4, ref carry);
        var c5 = carry;
        carry = 0;
        c5 = Mont256.MulAdd(a2, a3, c5, ref carry);
        var c6 = carry;

        // Double them.
        var c7 = c6 >> 63;
        c6 = (c6 << 1) | (c5 >> 63);
        c5 = (c5 << 1) | (c4 >> 63);
        c4 = (c4 << 1) | (c3 >> 63);
        c3 = (c3 << 1) | (c2 >> 63);
        c2 = (c2 << 1) | (c1 >> 63);
        c1 <<= 1;

        // Add the squares a_i^2 on the diagonal.
        var h0 = Mont256.MultiplyHigh(a0, a0, out var c0);
        var h1 = Mont256.MultiplyHigh(a1, a1, out var l1);
        var h2 = Mont256.MultiplyHigh(a2, a2, out var l2);
        var h3 = Mont256.MultiplyHigh(a3, a3, out var l3);
        ulong k = 0;
        c1 = Mont256.AddWithCarry(c1, h0, ref k);
        c2 = Mont256.AddWithCarry(c2, l1, ref k);
        c3 = Mont256.AddWithCarry(c3, h1, ref k);
        c4 = Mont256.AddWithCarry(c4, l2, ref k);
        c5 = Mont256.AddWithCarry(c5, h2, ref k);
        c6 = Mont256.AddWithCarry(c6, l3, ref k);
        c7 = Mont256.AddWithCarry(c7, h3, ref k);

        return ReduceWide(c0, c1, c2, c3, c4, c5, c6, c7);
    }

    /// <summary>
    /// Reduces any 512-bit value c7..c0 modulo p. With w_i the 32-bit words of c, 2^(32 i) for i = 8..15 is
    /// congruent to a combination V_i of 2^0..2^224 with coefficients in [-1, 3] (fold 2^256 = 2^224 + 2^96 - 2^64 + 1
    /// until nothing is left above word 7), so each output column is a signed sum of at most 15 words, well inside
    /// a long. Every V_i is positive (its word-7 coefficient dominates the one negative term, in word 2), so the
    /// column total is non-negative and one carry pass leaves R + t 2^256 with t in [0, 15]. Folding t the same way
    /// and a second pass leave R' + t' 2^256 with t' in {0, 1} and the value below 2^256 + 2^229 &lt; 2p, which one
    /// conditional subtraction of p brings below p.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Sm2Field ReduceWide(ulong c0, ulong c1, ulong c2, ulong c3, ulong c4, ulong c5, ulong c6, ulong c7)
    {
        long w0 = (uint)c0, w1 = (long)(c0 >> 32);
        long w2 = (uint)c1, w3 = (long)(c1 >> 32);
        long w4 = (uint)c2, w5 = (long)(c2 >> 32);
        long w6 = (uint)c3, w7 = (long)(c3 >> 32);
        long w8 = (uint)c4, w9 = (long)(c4 >> 32);
        long w10 = (uint)c5, w11 = (long)(c5 >> 32);
        long w12 = (uint)c6, w13 = (long)(c6 >> 32);
        long w14 = (uint)c7, w15 = (long)(c7 >> 32);

        // Shared partial sums of the high words.
        var s1415 = w14 + w15;
        var s131415 = w13 + s1415;
        var s91011 = w9 + w10 + w11;
        var s9to12 = s91011 + w12;

        var col0 = w0 + w8 + s9to12 + (s131415 << 1);
        var col1 = w1 + s9to12 + w13 + (s1415 << 1);
        var col2 = w2 - w8 - w9 - w13 - w14;
        var col3 = w3 + w8 + w11 + w12 + w13 + s131415;
        var col4 = w4 + w9 + w12 + s131415 + w14;
        var col5 = w5 + w10 + s131415 + w15;
        var col6 = w6 + w11 + s1415;
        var col7 = w7 + w8 + s91011 + ((w12 + s131415) << 1) + w15;

        // First carry pass: R (eight 32-bit words) + t 2^256.
        var k = col0;
        var r0 = k & Low32;
        k = (k >> 32) + col1;
        var r1 = k & Low32;
        k = (k >> 32) + col2;
        var r2 = k & Low32;
        k = (k >> 32) + col3;
        var r3 = k & Low32;
        k = (k >> 32) + col4;
        var r4 = k & Low32;
        k = (k >> 32) + col5;
        var r5 = k & Low32;
        k = (k >> 32) + col6;
        var r6 = k & Low32;
        k = (k >> 32) + col7;
        var r7 = k & Low32;
        var t = k >> 32;

        // Fold t 2^256 = t (2^224 + 2^96 - 2^64 + 1) and carry again.
        k = r0 + t;
        r0 = k & Low32;
        k = (k >> 32) + r1;
        r1 = k & Low32;
        k = (k >> 32) + r2 - t;
        r2 = k & Low32;
        k = (k >> 32) + r3 + t;
        r3 = k & Low32;
        k = (k >> 32) + r4;
        r4 = k & Low32;
        k = (k >> 32) + r5;
        r5 = k & Low32;
        k = (k >> 32) + r6;
        r6 = k & Low32;
        k = (k >> 32) + r7 + t;
        r7 = k & Low32;
        var top = (ulong)(k >> 32);

        var l0 = (ulong)r0 | ((ulong)r1 << 32);
        var l1 = (ulong)r2 | ((ulong)r3 << 32);
        var l2 = (ulong)r4 | ((ulong)r5 << 32);
        var l3 = (ulong)r6 | ((ulong)r7 << 32);
        Mont256.ReduceOnce(l0, l1, l2, l3, top, P0, P1, P2, P3, out var s0, out var s1, out var s2, out var s3);
        return new Sm2Field(s0, s1, s2, s3);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Sm2Field Add(in Sm2Field a, in Sm2Field b)
    {
        ulong carry = 0;
        var t0 = Mont256.AddWithCarry(a.L0, b.L0, ref carry);
        var t1 = Mont256.AddWithCarry(a.L1, b.L1, ref carry);
        var t2 = Mont256.AddWithCarry(a.L2, b.L2, ref carry);
        var t3 = Mont256.AddWithCarry(a.L3, b.L3, ref carry);
        Mont256.ReduceOnce(t0, t1, t2, t3, carry, P0, P1, P2, P3, out var r0, out var r1, out var r2, out var r3);
        return new Sm2Field(r0, r1, r2, r3);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Sm2Field Subtract(in Sm2Field a, in Sm2Field b)
    {
        ulong borrow = 0;
        var t0 = Mont256.SubWithBorrow(a.L0, b.L0, ref borrow);
        var t1 = Mont256.SubWithBorrow(a.L1, b.L1, ref borrow);
        var t2 = Mont256.SubWithBorrow(a.L2, b.L2, ref borrow);
        var t3 = Mont256.SubWithBorrow(a.L3, b.L3, ref borrow);

        // On borrow add p back; p's limbs masked by the borrow keep this branch-free.
        var mask = 0UL - borrow;
        ulong carry = 0;
        var r0 = Mont256.AddWithCarry(t0, P0 & mask, ref carry);
        var r1 = Mont256.AddWithCarry(t1, P1 & mask, ref carry);
        var r2 = Mont256.AddWithCarry(t2, P2 & mask, ref carry);
        var r3 = Mont256.AddWithCarry(t3, P3 & mask, ref carry);
        return new Sm2Field(r0, r1, r2, r3);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Sm2Field Negate(in Sm2Field a) => Subtract(Zero, a);

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Sm2Field Double(in Sm2Field a) => Add(a, a);

    /// <summary>Returns 3a mod p with one reduction.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Sm2Field Triple(in Sm2Field a)
    {
        ulong carry = 0;
        var l0 = Mont256.AddWithCarry(a.L0 << 1, a.L0, ref carry);
        var l1 = Mont256.AddWithCarry((a.L1 << 1) | (a.L0 >> 63), a.L1, ref carry);
        var l2 = Mont256.AddWithCarry((a.L2 << 1) | (a.L1 >> 63), a.L2, ref carry);
        var l3 = Mont256.AddWithCarry((a.L3 << 1) | (a.L2 >> 63), a.L3, ref carry);
        return FoldTop(l0, l1, l2, l3, (a.L3 >> 63) + carry);
    }

    /// <summary>Returns 4a mod p with one reduction.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Sm2Field Quadruple(in Sm2Field a) =>
        FoldTop(a.L0 << 2, (a.L1 << 2) | (a.L0 >> 62), (a.L2 << 2) | (a.L1 >> 62), (a.L3 << 2) | (a.L2 >> 62), a.L3 >> 62);

    /// <summary>Returns 8a mod p with one reduction.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Sm2Field Octuple(in Sm2Field a) =>
        FoldTop(a.L0 << 3, (a.L1 << 3) | (a.L0 >> 61), (a.L2 << 3) | (a.L1 >> 61), (a.L3 << 3) | (a.L2 >> 61), a.L3 >> 61);

    /// <summary>
    /// Reduces l + top 2^256 for top &lt;= 7: adding top (2^256 - p) = top (2^224 + 2^96 - 2^64 + 1), whose limbs
    /// (top, top 2^32 - top, 0, top 2^32) are all non-negative, leaves a value below 2^256 + 2^228 &lt; 2p, so one
    /// conditional subtraction finishes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Sm2Field FoldTop(ulong l0, ulong l1, ulong l2, ulong l3, ulong top)
    {
        var shifted = top << 32;
        ulong carry = 0;
        var r0 = Mont256.AddWithCarry(l0, top, ref carry);
        var r1 = Mont256.AddWithCarry(l1, shifted - top, ref carry);
        var r2 = Mont256.AddWithCarry(l2, 0, ref carry);
        var r3 = Mont256.AddWithCarry(l3, shifted, ref carry);
        Mont256.ReduceOnce(r0, r1, r2, r3, carry, P0, P1, P2, P3, out var s0, out var s1, out var s2, out var s3);
        return new Sm2Field(s0, s1, s2, s3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Equal(in Sm2Field a, in Sm2Field b) =>
        ((a.L0 ^ b.L0) | (a.L1 ^ b.L1) | (a.L2 ^ b.L2) | (a.L3 ^ b.L3)) == 0;

    /// <summary>Returns a^(2^n) by n squarings.</summary>
    private static Sm2Field SquareTimes(Sm2Field a, int n)
    {
        for (var i = 0; i < n; i++)
        {
            a = Square(a);
        }

        return a;
    }

    /// <summary>
    /// Returns a^-1 = a^(p-2) (zero for zero). The exponent's bits, from the top, are 31 ones, a zero, 128 ones,
    /// 32 zeros, 62 ones, a zero and a one; the addition chain builds runs of ones once and reuses them.
    /// </summary>
    public static Sm2Field Invert(in Sm2Field a)
    {
        var x1 = a;
        var x2 = Multiply(Square(x1), x1);
        var x3 = Multiply(Square(x2), x1);
        var x6 = Multiply(SquareTimes(x3, 3), x3);
        var x12 = Multiply(SquareTimes(x6, 6), x6);
        var x15 = Multiply(SquareTimes(x12, 3), x3);
        var x30 = Multiply(SquareTimes(x15, 15), x15);
        var x31 = Multiply(Square(x30), x1);
        var x32 = Multiply(Square(x31), x1);

        var t = Square(x31);
        for (var i = 0; i < 4; i++)
        {
            t = Multiply(SquareTimes(t, 32), x32);
        }

        t = SquareTimes(t, 32);
        t = Multiply(SquareTimes(t, 32), x32);
        t = Multiply(SquareTimes(t, 30), x30);
        t = Square(t);
        return Multiply(Square(t), x1);
    }
}
