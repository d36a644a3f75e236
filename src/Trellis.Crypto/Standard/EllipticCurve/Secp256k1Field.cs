using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using Trellis.Crypto.Arithmetic;

namespace Trellis.Crypto.Standard.EllipticCurve;

/// <summary>
/// An element of the secp256k1 base field GF(p), p = 2^256 - 2^32 - 977, held as four 64-bit limbs
/// (little-endian limb order) and always fully reduced (&lt; p), so equality is limb equality.
/// </summary>
/// <remarks>
/// Reduction uses the special form of p: 2^256 ≡ 2^32 + 977 (mod p), so the high half of a 512-bit product is
/// multiplied by that 33-bit constant and folded into the low half twice. Every operation except
/// <see cref="InvertVariableTime"/> runs without data-dependent branches apart from a final comparison with p
/// that is taken with probability about 2^-224.
/// </remarks>
internal readonly struct Secp256k1Field
{
    /// <summary>2^256 - p = 2^32 + 977.</summary>
    private const ulong FoldConstant = 0x1000003D1UL;

    private const ulong P0 = 0xFFFFFFFEFFFFFC2FUL;
    private const ulong PHigh = ulong.MaxValue;

    public readonly ulong L0;
    public readonly ulong L1;
    public readonly ulong L2;
    public readonly ulong L3;

    public Secp256k1Field(ulong l0, ulong l1, ulong l2, ulong l3)
    {
        L0 = l0;
        L1 = l1;
        L2 = l2;
        L3 = l3;
    }

    public static Secp256k1Field Zero => default;

    public static Secp256k1Field One => new(1, 0, 0, 0);

    /// <summary>The curve constant b = 7 of y^2 = x^3 + 7.</summary>
    public static Secp256k1Field Seven => new(7, 0, 0, 0);

    /// <summary>beta, a primitive cube root of unity mod p: (x, y) -> (beta x, y) is the GLV endomorphism (multiplication by lambda).</summary>
    public static Secp256k1Field Beta => new(0xc1396c28719501eeUL, 0x9cf0497512f58995UL, 0x6e64479eac3434e9UL, 0x7ae96a2b657c0710UL);

    public bool IsZero => (L0 | L1 | L2 | L3) == 0;

    public bool IsOdd => (L0 & 1) != 0;

    /// <summary>Reads a 32-byte big-endian value; false if it is not below p.</summary>
    public static bool TryRead(ReadOnlySpan<byte> bytes32, out Secp256k1Field value)
    {
        ulong l3 = BinaryPrimitives.ReadUInt64BigEndian(bytes32);
        ulong l2 = BinaryPrimitives.ReadUInt64BigEndian(bytes32[8..]);
        ulong l1 = BinaryPrimitives.ReadUInt64BigEndian(bytes32[16..]);
        ulong l0 = BinaryPrimitives.ReadUInt64BigEndian(bytes32[24..]);
        value = new Secp256k1Field(l0, l1, l2, l3);
        return !IsAtLeastP(l0, l1, l2, l3);
    }

    /// <summary>Writes the value as 32 big-endian bytes.</summary>
    public void Write(Span<byte> destination32)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination32, L3);
        BinaryPrimitives.WriteUInt64BigEndian(destination32[8..], L2);
        BinaryPrimitives.WriteUInt64BigEndian(destination32[16..], L1);
        BinaryPrimitives.WriteUInt64BigEndian(destination32[24..], L0);
    }

    public static bool AreEqual(in Secp256k1Field a, in Secp256k1Field b) =>
        ((a.L0 ^ b.L0) | (a.L1 ^ b.L1) | (a.L2 ^ b.L2) | (a.L3 ^ b.L3)) == 0;

    /// <summary>Returns <paramref name="a"/> where <paramref name="mask"/> is all ones, <paramref name="b"/> where it is zero, without branching.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Secp256k1Field Select(ulong mask, in Secp256k1Field a, in Secp256k1Field b) => new(
        (a.L0 & mask) | (b.L0 & ~mask),
        (a.L1 & mask) | (b.L1 & ~mask),
        (a.L2 & mask) | (b.L2 & ~mask),
        (a.L3 & mask) | (b.L3 & ~mask));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsAtLeastP(ulong l0, ulong l1, ulong l2, ulong l3) =>
        (l3 & l2 & l1) == PHigh && l0 >= P0;

    public static Secp256k1Field Add(in Secp256k1Field a, in Secp256k1Field b)
    {
        ulong carry = 0;
        ulong s0 = Mont256.AddWithCarry(a.L0, b.L0, ref carry);
        ulong s1 = Mont256.AddWithCarry(a.L1, b.L1, ref carry);
        ulong s2 = Mont256.AddWithCarry(a.L2, b.L2, ref carry);
        ulong s3 = Mont256.AddWithCarry(a.L3, b.L3, ref carry);

        // s + 2^256 - p = s + FoldConstant; use it when the sum overflowed 2^256 or is at least p.
        ulong carry2 = 0;
        ulong t0 = Mont256.AddWithCarry(s0, FoldConstant, ref carry2);
        ulong t1 = Mont256.AddWithCarry(s1, 0, ref carry2);
        ulong t2 = Mont256.AddWithCarry(s2, 0, ref carry2);
        ulong t3 = Mont256.AddWithCarry(s3, 0, ref carry2);
        ulong mask = 0UL - (carry | carry2);
        return new Secp256k1Field(
            (t0 & mask) | (s0 & ~mask),
            (t1 & mask) | (s1 & ~mask),
            (t2 & mask) | (s2 & ~mask),
            (t3 & mask) | (s3 & ~mask));
    }

    public static Secp256k1Field Subtract(in Secp256k1Field a, in Secp256k1Field b)
    {
        ulong borrow = 0;
        ulong d0 = Mont256.SubWithBorrow(a.L0, b.L0, ref borrow);
        ulong d1 = Mont256.SubWithBorrow(a.L1, b.L1, ref borrow);
        ulong d2 = Mont256.SubWithBorrow(a.L2, b.L2, ref borrow);
        ulong d3 = Mont256.SubWithBorrow(a.L3, b.L3, ref borrow);

        // On borrow the limbs hold a - b + 2^256; adding p means subtracting FoldConstant, which cannot underflow.
        ulong fold = FoldConstant & (0UL - borrow);
        ulong borrow2 = 0;
        d0 = Mont256.SubWithBorrow(d0, fold, ref borrow2);
        d1 = Mont256.SubWithBorrow(d1, 0, ref borrow2);
        d2 = Mont256.SubWithBorrow(d2, 0, ref borrow2);
        d3 = Mont256.SubWithBorrow(d3, 0, ref borrow2);
        return new Secp256k1Field(d0, d1, d2, d3);
    }

    public static Secp256k1Field Negate(in Secp256k1Field a) => Subtract(Zero, a);

    /// <summary>a / 2 mod p: add p when a is odd (making it even), then shift right, without branching.</summary>
    public static Secp256k1Field Half(in Secp256k1Field a)
    {
        ulong mask = 0UL - (a.L0 & 1);
        ulong carry = 0;
        ulong t0 = Mont256.AddWithCarry(a.L0, P0 & mask, ref carry);
        ulong t1 = Mont256.AddWithCarry(a.L1, PHigh & mask, ref carry);
        ulong t2 = Mont256.AddWithCarry(a.L2, PHigh & mask, ref carry);
        ulong t3 = Mont256.AddWithCarry(a.L3, PHigh & mask, ref carry);
        return new Secp256k1Field(
            (t0 >> 1) | (t1 << 63),
            (t1 >> 1) | (t2 << 63),
            (t2 >> 1) | (t3 << 63),
            (t3 >> 1) | (carry << 63));
    }

    public static Secp256k1Field Double(in Secp256k1Field a) => Add(a, a);

    /// <summary>High 64 bits of a 64x64 product. With BMI2 the JIT emits MULX and keeps both halves in registers
    /// (the low half comes from a separate IMUL); Math.BigMul's out parameter would round-trip through the stack.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong MultiplyHigh(ulong a, ulong b) =>
        Bmi2.X64.IsSupported ? Bmi2.X64.MultiplyNoFlags(a, b) : Math.BigMul(a, b, out _);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MultiplyAccumulate(ulong a, ulong b, ref ulong c0, ref ulong c1, ref ulong c2)
    {
        ulong high = MultiplyHigh(a, b);
        ulong low = a * b;
        c0 += low;
        high += c0 < low ? 1UL : 0UL;
        c1 += high;
        c2 += c1 < high ? 1UL : 0UL;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MultiplyAccumulateTwice(ulong a, ulong b, ref ulong c0, ref ulong c1, ref ulong c2)
    {
        ulong high = MultiplyHigh(a, b);
        ulong low = a * b;
        c2 += high >> 63;
        high = (high << 1) | (low >> 63);
        low <<= 1;
        c0 += low;
        high += c0 < low ? 1UL : 0UL;
        c1 += high;
        c2 += c1 < high ? 1UL : 0UL;
    }

    public static Secp256k1Field Multiply(in Secp256k1Field a, in Secp256k1Field b)
    {
        ulong a0 = a.L0, a1 = a.L1, a2 = a.L2, a3 = a.L3;
        ulong b0 = b.L0, b1 = b.L1, b2 = b.L2, b3 = b.L3;

        // Product scanning (column by column) with a three-word accumulator c0:c1:c2.
        ulong c1 = MultiplyHigh(a0, b0);
        ulong r0 = a0 * b0;
        ulong c0 = c1;
        c1 = 0;
        ulong c2 = 0;

        MultiplyAccumulate(a0, b1, ref c0, ref c1, ref c2);
        MultiplyAccumulate(a1, b0, ref c0, ref c1, ref c2);
        ulong r1 = c0;
        c0 = c1;
        c1 = c2;
        c2 = 0;

        MultiplyAccumulate(a0, b2, ref c0, ref c1, ref c2);
        MultiplyAccumulate(a1, b1, ref c0, ref c1, ref c2);
        MultiplyAccumulate(a2, b0, ref c0, ref c1, ref c2);
        ulong r2 = c0;
        c0 = c1;
        c1 = c2;
        c2 = 0;

        MultiplyAccumulate(a0, b3, ref c0, ref c1, ref c2);
        MultiplyAccumulate(a1, b2, ref c0, ref c1, ref c2);
        MultiplyAccumulate(a2, b1, ref c0, ref c1, ref c2);
        MultiplyAccumulate(a3, b0, ref c0, ref c1, ref c2);
        ulong r3 = c0;
        c0 = c1;
        c1 = c2;
        c2 = 0;

        MultiplyAccumulate(a1, b3, ref c0, ref c1, ref c2);
        MultiplyAccumulate(a2, b2, ref c0, ref c1, ref c2);
        MultiplyAccumulate(a3, b1, ref c0, ref c1, ref c2);
        ulong r4 = c0;
        c0 = c1;
        c1 = c2;
        c2 = 0;

        MultiplyAccumulate(a2, b3, ref c0, ref c1, ref c2);
        MultiplyAccumulate(a3, b2, ref c0, ref c1, ref c2);
        ulong r5 = c0;
        c0 = c1;
        c1 = c2;

        ulong high = MultiplyHigh(a3, b3);
        ulong low = a3 * b3;
        c0 += low;
        high += c0 < low ? 1UL : 0UL;
        ulong r6 = c0;
        ulong r7 = c1 + high;

        return Reduce(r0, r1, r2, r3, r4, r5, r6, r7);
    }

    public static Secp256k1Field Square(in Secp256k1Field a)
    {
        ulong a0 = a.L0, a1 = a.L1, a2 = a.L2, a3 = a.L3;

        ulong c1 = MultiplyHigh(a0, a0);
        ulong r0 = a0 * a0;
        ulong c0 = c1;
        c1 = 0;
        ulong c2 = 0;

        MultiplyAccumulateTwice(a0, a1, ref c0, ref c1, ref c2);
        ulong r1 = c0;
        c0 = c1;
        c1 = c2;
        c2 = 0;

        MultiplyAccumulateTwice(a0, a2, ref c0, ref c1, ref c2);
        MultiplyAccumulate(a1, a1, ref c0, ref c1, ref c2);
        ulong r2 = c0;
        c0 = c1;
        c1 = c2;
        c2 = 0;

        MultiplyAccumulateTwice(a0, a3, ref c0, ref c1, ref c2);
        MultiplyAccumulateTwice(a1, a2, ref c0, ref c1, ref c2);
        ulong r3 = c0;
        c0 = c1;
        c1 = c2;
        c2 = 0;

        MultiplyAccumulateTwice(a1, a3, ref c0, ref c1, ref c2);
        MultiplyAccumulate(a2, a2, ref c0, ref c1, ref c2);
        ulong r4 = c0;
        c0 = c1;
        c1 = c2;
        c2 = 0;

        MultiplyAccumulateTwice(a2, a3, ref c0, ref c1, ref c2);
        ulong r5 = c0;
        c0 = c1;
        c1 = c2;

        ulong high = MultiplyHigh(a3, a3);
        ulong low = a3 * a3;
        c0 += low;
        high += c0 < low ? 1UL : 0UL;
        ulong r6 = c0;
        ulong r7 = c1 + high;

        return Reduce(r0, r1, r2, r3, r4, r5, r6, r7);
    }

    /// <summary>Reduces the 512-bit value r7:...:r0 modulo p.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Secp256k1Field Reduce(ulong r0, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5, ulong r6, ulong r7)
    {
        // First fold: low + high * (2^32 + 977) < 2^256 + 2^290.
        ulong high = MultiplyHigh(r4, FoldConstant);
        ulong low = r4 * FoldConstant;
        low += r0;
        high += low < r0 ? 1UL : 0UL;
        ulong t0 = low;
        ulong carry = high;

        high = MultiplyHigh(r5, FoldConstant);
        low = r5 * FoldConstant;
        low += carry;
        high += low < carry ? 1UL : 0UL;
        low += r1;
        high += low < r1 ? 1UL : 0UL;
        ulong t1 = low;
        carry = high;

        high = MultiplyHigh(r6, FoldConstant);
        low = r6 * FoldConstant;
        low += carry;
        high += low < carry ? 1UL : 0UL;
        low += r2;
        high += low < r2 ? 1UL : 0UL;
        ulong t2 = low;
        carry = high;

        high = MultiplyHigh(r7, FoldConstant);
        low = r7 * FoldConstant;
        low += carry;
        high += low < carry ? 1UL : 0UL;
        low += r3;
        high += low < r3 ? 1UL : 0UL;
        ulong t3 = low;
        carry = high;

        // Second fold: carry < 2^34, so carry * (2^32 + 977) < 2^67.
        high = MultiplyHigh(carry, FoldConstant);
        low = carry * FoldConstant;
        ulong c = 0;
        t0 = Mont256.AddWithCarry(t0, low, ref c);
        t1 = Mont256.AddWithCarry(t1, high, ref c);
        t2 = Mont256.AddWithCarry(t2, 0, ref c);
        t3 = Mont256.AddWithCarry(t3, 0, ref c);

        // Overflow here (probability about 2^-190) or a value in [p, 2^256) (about 2^-224) needs one more fold,
        // which leaves a value below p; the branch is practically never taken, so it costs nothing on average.
        if (c != 0 || IsAtLeastP(t0, t1, t2, t3))
        {
            ulong c3 = 0;
            t0 = Mont256.AddWithCarry(t0, FoldConstant, ref c3);
            t1 = Mont256.AddWithCarry(t1, 0, ref c3);
            t2 = Mont256.AddWithCarry(t2, 0, ref c3);
            t3 = Mont256.AddWithCarry(t3, 0, ref c3);
        }

        return new Secp256k1Field(t0, t1, t2, t3);
    }

    /// <summary>Squares <paramref name="a"/> <paramref name="count"/> times: a^(2^count).</summary>
    public static Secp256k1Field SquareTimes(in Secp256k1Field a, int count)
    {
        var result = a;
        for (int i = 0; i < count; i++)
        {
            result = Square(result);
        }

        return result;
    }

    /// <summary>Computes a^(2^k - 1) for k = 2, 3, 22, 223, the building blocks of the exponent chains for p - 2 and (p + 1) / 4.</summary>
    private static void PowerChainPrefix(in Secp256k1Field a, out Secp256k1Field x2, out Secp256k1Field x22, out Secp256k1Field x223)
    {
        x2 = Multiply(Square(a), a);
        var x3 = Multiply(Square(x2), a);
        var x6 = Multiply(SquareTimes(x3, 3), x3);
        var x9 = Multiply(SquareTimes(x6, 3), x3);
        var x11 = Multiply(SquareTimes(x9, 2), x2);
        x22 = Multiply(SquareTimes(x11, 11), x11);
        var x44 = Multiply(SquareTimes(x22, 22), x22);
        var x88 = Multiply(SquareTimes(x44, 44), x44);
        var x176 = Multiply(SquareTimes(x88, 88), x88);
        var x220 = Multiply(SquareTimes(x176, 44), x44);
        x223 = Multiply(SquareTimes(x220, 3), x3);
    }

    /// <summary>Inverse by Fermat, a^(p-2), with a fixed addition chain (no data-dependent branches). Zero maps to zero.</summary>
    public static Secp256k1Field Invert(in Secp256k1Field a)
    {
        // p - 2 = [223 ones] 0 [22 ones] 0000 1 0 11 0 1 (binary, most significant first).
        PowerChainPrefix(a, out var x2, out var x22, out var x223);
        var t = Multiply(SquareTimes(x223, 23), x22);
        t = Multiply(SquareTimes(t, 5), a);
        t = Multiply(SquareTimes(t, 3), x2);
        return Multiply(SquareTimes(t, 2), a);
    }

    /// <summary>Inverse for public data: a binary extended Euclid, faster than Fermat but with data-dependent timing.</summary>
    public static Secp256k1Field InvertVariableTime(in Secp256k1Field a)
    {
        Span<ulong> value = [a.L0, a.L1, a.L2, a.L3];
        Span<ulong> modulus = [P0, PHigh, PHigh, PHigh];
        Span<ulong> result = stackalloc ulong[4];
        VariableTimeInverse.Invert(value, modulus, result);
        return new Secp256k1Field(result[0], result[1], result[2], result[3]);
    }

    /// <summary>
    /// A candidate square root a^((p+1)/4) (p ≡ 3 mod 4); true when it squares back to <paramref name="a"/>.
    /// </summary>
    public static bool TrySquareRoot(in Secp256k1Field a, out Secp256k1Field root)
    {
        // (p + 1) / 4 = [223 ones] 0 [22 ones] 0000 11 00 (binary, most significant first).
        PowerChainPrefix(a, out var x2, out var x22, out var x223);
        var t = Multiply(SquareTimes(x223, 23), x22);
        t = Multiply(SquareTimes(t, 6), x2);
        root = SquareTimes(t, 2);
        return AreEqual(Square(root), a);
    }
}
