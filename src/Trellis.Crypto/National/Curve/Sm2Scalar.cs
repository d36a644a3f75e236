using System.Buffers.Binary;
using Trellis.Crypto.Arithmetic;

namespace Trellis.Crypto.National.Curve;

/// <summary>
/// An integer modulo the SM2 group order n, as four 64-bit limbs in plain (not Montgomery) form, fully reduced.
/// Multiplication goes through Montgomery products internally; scalars are used a handful of times per
/// signature, so clarity beats keeping them in Montgomery form.
/// </summary>
internal readonly struct Sm2Scalar
{
    public const ulong N0 = 0x53BBF40939D54123;
    public const ulong N1 = 0x7203DF6B21C6052B;
    public const ulong N2 = 0xFFFFFFFFFFFFFFFF;
    public const ulong N3 = 0xFFFFFFFEFFFFFFFF;

    // -n^-1 mod 2^64 and 2^512 mod n, for Montgomery products modulo n.
    private const ulong NInverse = 0x327f9e8872350975;
    private static readonly Sm2Scalar RSquared = new(0x901192AF7C114F20, 0x3464504ADE6FA2FA, 0x620FC84C3AFFE0D4, 0x1EB5E412A22B3D3B);

    public readonly ulong L0;
    public readonly ulong L1;
    public readonly ulong L2;
    public readonly ulong L3;

    public Sm2Scalar(ulong l0, ulong l1, ulong l2, ulong l3)
    {
        L0 = l0;
        L1 = l1;
        L2 = l2;
        L3 = l3;
    }

    public static Sm2Scalar Zero => default;

    public static Sm2Scalar One => new(1, 0, 0, 0);

    public bool IsZero => (L0 | L1 | L2 | L3) == 0;

    /// <summary>Reads a 32-byte big-endian value; false (and zero) if it is not below n.</summary>
    public static bool TryRead(ReadOnlySpan<byte> bytes32, out Sm2Scalar value)
    {
        ReadLimbs(bytes32, out var l0, out var l1, out var l2, out var l3);
        if (!LessThanN(l0, l1, l2, l3))
        {
            value = default;
            return false;
        }

        value = new Sm2Scalar(l0, l1, l2, l3);
        return true;
    }

    /// <summary>Reads a 32-byte big-endian value reduced modulo n (any 256-bit value is below 2n).</summary>
    public static Sm2Scalar ReadReduced(ReadOnlySpan<byte> bytes32)
    {
        ReadLimbs(bytes32, out var l0, out var l1, out var l2, out var l3);
        Mont256.ReduceOnce(l0, l1, l2, l3, 0, N0, N1, N2, N3, out var r0, out var r1, out var r2, out var r3);
        return new Sm2Scalar(r0, r1, r2, r3);
    }

    /// <summary>Writes the value as 32 big-endian bytes.</summary>
    public void Write(Span<byte> bytes32)
    {
        BinaryPrimitives.WriteUInt64BigEndian(bytes32, L3);
        BinaryPrimitives.WriteUInt64BigEndian(bytes32.Slice(8), L2);
        BinaryPrimitives.WriteUInt64BigEndian(bytes32.Slice(16), L1);
        BinaryPrimitives.WriteUInt64BigEndian(bytes32.Slice(24), L0);
    }

    /// <summary>Returns bit <paramref name="index"/> (0 = least significant); bits past 255 are zero.</summary>
    public int Bit(int index)
    {
        if (index >= 256)
        {
            return 0;
        }

        var limb = (index >> 6) switch { 0 => L0, 1 => L1, 2 => L2, _ => L3 };
        return (int)((limb >> (index & 63)) & 1);
    }

    public static bool Equal(in Sm2Scalar a, in Sm2Scalar b) =>
        ((a.L0 ^ b.L0) | (a.L1 ^ b.L1) | (a.L2 ^ b.L2) | (a.L3 ^ b.L3)) == 0;

    public static Sm2Scalar Add(in Sm2Scalar a, in Sm2Scalar b)
    {
        ulong carry = 0;
        var t0 = Mont256.AddWithCarry(a.L0, b.L0, ref carry);
        var t1 = Mont256.AddWithCarry(a.L1, b.L1, ref carry);
        var t2 = Mont256.AddWithCarry(a.L2, b.L2, ref carry);
        var t3 = Mont256.AddWithCarry(a.L3, b.L3, ref carry);
        Mont256.ReduceOnce(t0, t1, t2, t3, carry, N0, N1, N2, N3, out var r0, out var r1, out var r2, out var r3);
        return new Sm2Scalar(r0, r1, r2, r3);
    }

    public static Sm2Scalar Subtract(in Sm2Scalar a, in Sm2Scalar b)
    {
        ulong borrow = 0;
        var t0 = Mont256.SubWithBorrow(a.L0, b.L0, ref borrow);
        var t1 = Mont256.SubWithBorrow(a.L1, b.L1, ref borrow);
        var t2 = Mont256.SubWithBorrow(a.L2, b.L2, ref borrow);
        var t3 = Mont256.SubWithBorrow(a.L3, b.L3, ref borrow);
        var mask = 0UL - borrow;
        ulong carry = 0;
        var r0 = Mont256.AddWithCarry(t0, N0 & mask, ref carry);
        var r1 = Mont256.AddWithCarry(t1, N1 & mask, ref carry);
        var r2 = Mont256.AddWithCarry(t2, N2 & mask, ref carry);
        var r3 = Mont256.AddWithCarry(t3, N3 & mask, ref carry);
        return new Sm2Scalar(r0, r1, r2, r3);
    }

    /// <summary>Returns a*b mod n.</summary>
    public static Sm2Scalar Multiply(in Sm2Scalar a, in Sm2Scalar b) => MontMultiply(MontMultiply(a, b), RSquared);

    /// <summary>Returns a^-1 mod n by Fermat (a^(n-2)); zero for zero.</summary>
    public static Sm2Scalar Invert(in Sm2Scalar a)
    {
        // Work in Montgomery form: aM = a*R; square-and-multiply over the bits of n - 2 from the top.
        var aM = MontMultiply(a, RSquared);
        var e = new Sm2Scalar(N0 - 2, N1, N2, N3);
        var result = MontMultiply(One, RSquared);
        for (var i = 255; i >= 0; i--)
        {
            result = MontMultiply(result, result);
            if (e.Bit(i) == 1)
            {
                result = MontMultiply(result, aM);
            }
        }

        return MontMultiply(result, One);
    }

    private static Sm2Scalar MontMultiply(in Sm2Scalar a, in Sm2Scalar b)
    {
        Mont256.Multiply(a.L0, a.L1, a.L2, a.L3, b.L0, b.L1, b.L2, b.L3, N0, N1, N2, N3, NInverse, out var r0, out var r1, out var r2, out var r3);
        return new Sm2Scalar(r0, r1, r2, r3);
    }

    private static void ReadLimbs(ReadOnlySpan<byte> bytes32, out ulong l0, out ulong l1, out ulong l2, out ulong l3)
    {
        l3 = BinaryPrimitives.ReadUInt64BigEndian(bytes32);
        l2 = BinaryPrimitives.ReadUInt64BigEndian(bytes32.Slice(8));
        l1 = BinaryPrimitives.ReadUInt64BigEndian(bytes32.Slice(16));
        l0 = BinaryPrimitives.ReadUInt64BigEndian(bytes32.Slice(24));
    }

    private static bool LessThanN(ulong l0, ulong l1, ulong l2, ulong l3)
    {
        ulong borrow = 0;
        _ = Mont256.SubWithBorrow(l0, N0, ref borrow);
        _ = Mont256.SubWithBorrow(l1, N1, ref borrow);
        _ = Mont256.SubWithBorrow(l2, N2, ref borrow);
        _ = Mont256.SubWithBorrow(l3, N3, ref borrow);
        return borrow == 1;
    }
}
