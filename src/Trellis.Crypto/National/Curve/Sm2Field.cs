using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Trellis.Crypto.National.Curve;

/// <summary>
/// An element of GF(p) for the SM2 prime p = 2^256 - 2^224 - 2^96 + 2^64 - 1, held in Montgomery form
/// (value * 2^256 mod p) as four 64-bit limbs, always fully reduced.
/// Because p = -1 mod 2^64, the Montgomery factor -p^-1 mod 2^64 is 1 and each reduction step needs no extra
/// multiplication to find its quotient digit.
/// </summary>
internal readonly struct Sm2Field
{
    public const ulong P0 = 0xFFFFFFFFFFFFFFFF;
    public const ulong P1 = 0xFFFFFFFF00000000;
    public const ulong P2 = 0xFFFFFFFFFFFFFFFF;
    public const ulong P3 = 0xFFFFFFFEFFFFFFFF;

    public readonly ulong L0;
    public readonly ulong L1;
    public readonly ulong L2;
    public readonly ulong L3;

    // 2^512 mod p: multiplying by it in Montgomery form converts a plain value into Montgomery form.
    private static readonly Sm2Field RSquared = new(0x0000000200000003, 0x00000002FFFFFFFF, 0x0000000100000001, 0x0000000400000002);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Sm2Field(ulong l0, ulong l1, ulong l2, ulong l3)
    {
        L0 = l0;
        L1 = l1;
        L2 = l2;
        L3 = l3;
    }

    /// <summary>Zero (the same in Montgomery form).</summary>
    public static Sm2Field Zero => default;

    /// <summary>One in Montgomery form: 2^256 mod p.</summary>
    public static Sm2Field One => new(0x0000000000000001, 0x00000000FFFFFFFF, 0x0000000000000000, 0x0000000100000000);

    public bool IsZero => (L0 | L1 | L2 | L3) == 0;

    /// <summary>Reads a 32-byte big-endian value; false if it is not below p.</summary>
    public static bool TryRead(ReadOnlySpan<byte> bytes32, out Sm2Field value)
    {
        var l3 = BinaryPrimitives.ReadUInt64BigEndian(bytes32);
        var l2 = BinaryPrimitives.ReadUInt64BigEndian(bytes32.Slice(8));
        var l1 = BinaryPrimitives.ReadUInt64BigEndian(bytes32.Slice(16));
        var l0 = BinaryPrimitives.ReadUInt64BigEndian(bytes32.Slice(24));
        ulong borrow = 0;
        _ = Mont256.SubWithBorrow(l0, P0, ref borrow);
        _ = Mont256.SubWithBorrow(l1, P1, ref borrow);
        _ = Mont256.SubWithBorrow(l2, P2, ref borrow);
        _ = Mont256.SubWithBorrow(l3, P3, ref borrow);
        if (borrow == 0)
        {
            value = default;
            return false;
        }

        value = FromPlain(l0, l1, l2, l3);
        return true;
    }

    /// <summary>Converts a plain value below p into Montgomery form.</summary>
    public static Sm2Field FromPlain(ulong l0, ulong l1, ulong l2, ulong l3) => Multiply(new Sm2Field(l0, l1, l2, l3), RSquared);

    /// <summary>Writes the plain (non-Montgomery) value as 32 big-endian bytes.</summary>
    public void Write(Span<byte> bytes32)
    {
        ToPlain(out var l0, out var l1, out var l2, out var l3);
        BinaryPrimitives.WriteUInt64BigEndian(bytes32, l3);
        BinaryPrimitives.WriteUInt64BigEndian(bytes32.Slice(8), l2);
        BinaryPrimitives.WriteUInt64BigEndian(bytes32.Slice(16), l1);
        BinaryPrimitives.WriteUInt64BigEndian(bytes32.Slice(24), l0);
    }

    /// <summary>Returns the plain value's limbs.</summary>
    public void ToPlain(out ulong l0, out ulong l1, out ulong l2, out ulong l3)
    {
        Mont256.Multiply(L0, L1, L2, L3, 1, 0, 0, 0, P0, P1, P2, P3, 1, out l0, out l1, out l2, out l3);
    }

    /// <summary>Montgomery product a*b/2^256 mod p.</summary>
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

    /// <summary>Montgomery square a^2/2^256 mod p: the six cross products are computed once and doubled.</summary>
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
        var h0 = Math.BigMul(a0, a0, out var c0);
        var h1 = Math.BigMul(a1, a1, out var l1);
        var h2 = Math.BigMul(a2, a2, out var l2);
        var h3 = Math.BigMul(a3, a3, out var l3);
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
    /// Montgomery reduction of a 512-bit product c (below p^2): four rounds on the low half, then add the high half.
    /// The low half reduces to at most p and the high half is below p, so one conditional subtraction finishes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Sm2Field ReduceWide(ulong c0, ulong c1, ulong c2, ulong c3, ulong c4, ulong c5, ulong c6, ulong c7)
    {
        ulong t4 = 0;
        ReduceStep(ref c0, ref c1, ref c2, ref c3, ref t4);
        ReduceStep(ref c0, ref c1, ref c2, ref c3, ref t4);
        ReduceStep(ref c0, ref c1, ref c2, ref c3, ref t4);
        ReduceStep(ref c0, ref c1, ref c2, ref c3, ref t4);
        ulong k = 0;
        var r0 = Mont256.AddWithCarry(c0, c4, ref k);
        var r1 = Mont256.AddWithCarry(c1, c5, ref k);
        var r2 = Mont256.AddWithCarry(c2, c6, ref k);
        var r3 = Mont256.AddWithCarry(c3, c7, ref k);
        return Reduce(r0, r1, r2, r3, t4 + k);
    }

    /// <summary>
    /// One Montgomery round: t = (t + q p) / 2^64 with q = t0 (as -p^-1 = 1 mod 2^64). Because
    /// p = 2^256 - 2^224 - 2^96 + 2^64 - 1, q p needs no multiplication: the -q term cancels t0 exactly and the rest is
    /// + q (limb 0) + q (limb 3) - q 2^32 (limbs 0-1) - q 2^32 (limbs 2-3) after the shift. t4 holds the bits above 256.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ReduceStep(ref ulong t0, ref ulong t1, ref ulong t2, ref ulong t3, ref ulong t4)
    {
        var q = t0;
        var qLow = q << 32;
        var qHigh = q >> 32;
        ulong k = 0;
        var u0 = Mont256.AddWithCarry(t1, q, ref k);
        var u1 = Mont256.AddWithCarry(t2, 0, ref k);
        var u2 = Mont256.AddWithCarry(t3, 0, ref k);
        var u3 = Mont256.AddWithCarry(t4, q, ref k);
        var u4 = k;
        ulong borrow = 0;
        t0 = Mont256.SubWithBorrow(u0, qLow, ref borrow);
        t1 = Mont256.SubWithBorrow(u1, qHigh, ref borrow);
        t2 = Mont256.SubWithBorrow(u2, qLow, ref borrow);
        t3 = Mont256.SubWithBorrow(u3, qHigh, ref borrow);
        t4 = u4 - borrow;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Sm2Field Reduce(ulong t0, ulong t1, ulong t2, ulong t3, ulong t4)
    {
        Mont256.ReduceOnce(t0, t1, t2, t3, t4, P0, P1, P2, P3, out var r0, out var r1, out var r2, out var r3);
        return new Sm2Field(r0, r1, r2, r3);
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
