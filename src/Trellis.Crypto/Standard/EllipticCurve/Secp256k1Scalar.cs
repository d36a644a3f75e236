using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Trellis.Crypto.Arithmetic;

namespace Trellis.Crypto.Standard.EllipticCurve;

/// <summary>
/// An integer modulo the secp256k1 group order n, as four 64-bit limbs (least significant first), always &lt; n.
/// </summary>
/// <remarks>
/// Products are reduced with the special form of n: 2^256 ≡ c (mod n) where c = 2^256 - n has 129 bits, so the
/// high half is multiplied by c and folded in until it vanishes (three rounds at most).
/// </remarks>
internal readonly struct Secp256k1Scalar
{
    private const ulong N0 = 0xBFD25E8CD0364141UL;
    private const ulong N1 = 0xBAAEDCE6AF48A03BUL;
    private const ulong N2 = 0xFFFFFFFFFFFFFFFEUL;
    private const ulong N3 = 0xFFFFFFFFFFFFFFFFUL;

    // c = 2^256 - n.
    private const ulong C0 = 0x402DA1732FC9BEBFUL;
    private const ulong C1 = 0x4551231950B75FC4UL;
    private const ulong C2 = 1UL;

    // floor(n / 2).
    private const ulong HalfN0 = 0xDFE92F46681B20A0UL;
    private const ulong HalfN1 = 0x5D576E7357A4501DUL;
    private const ulong HalfN2 = 0xFFFFFFFFFFFFFFFFUL;
    private const ulong HalfN3 = 0x7FFFFFFFFFFFFFFFUL;

    public readonly ulong L0;
    public readonly ulong L1;
    public readonly ulong L2;
    public readonly ulong L3;

    public Secp256k1Scalar(ulong l0, ulong l1, ulong l2, ulong l3)
    {
        L0 = l0;
        L1 = l1;
        L2 = l2;
        L3 = l3;
    }

    public static Secp256k1Scalar Zero => default;

    public static Secp256k1Scalar One => new(1, 0, 0, 0);

    /// <summary>lambda, a primitive cube root of unity mod n: lambda * (x, y) = (beta * x, y).</summary>
    public static Secp256k1Scalar Lambda => new(0xdf02967c1b23bd72UL, 0x122e22ea20816678UL, 0xa5261c028812645aUL, 0x5363ad4cc05c30e0UL);

    public bool IsZero => (L0 | L1 | L2 | L3) == 0;

    /// <summary>True when the value exceeds n / 2 (a "high s" in the sense of EIP-2).</summary>
    public bool IsHigh => IsGreater(L0, L1, L2, L3, HalfN0, HalfN1, HalfN2, HalfN3);

    private static bool IsGreater(ulong a0, ulong a1, ulong a2, ulong a3, ulong b0, ulong b1, ulong b2, ulong b3)
    {
        if (a3 != b3)
        {
            return a3 > b3;
        }

        if (a2 != b2)
        {
            return a2 > b2;
        }

        if (a1 != b1)
        {
            return a1 > b1;
        }

        return a0 > b0;
    }

    private static bool IsAtLeastN(ulong l0, ulong l1, ulong l2, ulong l3) =>
        !IsGreater(N0, N1, N2, N3, l0, l1, l2, l3);

    /// <summary>Reads a 32-byte big-endian value; false (and zero) when it is not below n.</summary>
    public static bool TryRead(ReadOnlySpan<byte> bytes32, out Secp256k1Scalar value)
    {
        ReadLimbs(bytes32, out ulong l0, out ulong l1, out ulong l2, out ulong l3);
        if (IsAtLeastN(l0, l1, l2, l3))
        {
            value = default;
            return false;
        }

        value = new Secp256k1Scalar(l0, l1, l2, l3);
        return true;
    }

    /// <summary>Reads a 32-byte big-endian value reduced mod n (a single subtraction suffices since 2^256 &lt; 2n).</summary>
    public static Secp256k1Scalar ReadReduced(ReadOnlySpan<byte> bytes32)
    {
        ReadLimbs(bytes32, out ulong l0, out ulong l1, out ulong l2, out ulong l3);
        return ReduceOnce(l0, l1, l2, l3, 0);
    }

    private static void ReadLimbs(ReadOnlySpan<byte> bytes32, out ulong l0, out ulong l1, out ulong l2, out ulong l3)
    {
        l3 = BinaryPrimitives.ReadUInt64BigEndian(bytes32);
        l2 = BinaryPrimitives.ReadUInt64BigEndian(bytes32[8..]);
        l1 = BinaryPrimitives.ReadUInt64BigEndian(bytes32[16..]);
        l0 = BinaryPrimitives.ReadUInt64BigEndian(bytes32[24..]);
    }

    /// <summary>Writes the value as 32 big-endian bytes.</summary>
    public void Write(Span<byte> destination32)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination32, L3);
        BinaryPrimitives.WriteUInt64BigEndian(destination32[8..], L2);
        BinaryPrimitives.WriteUInt64BigEndian(destination32[16..], L1);
        BinaryPrimitives.WriteUInt64BigEndian(destination32[24..], L0);
    }

    /// <summary>Reduces carry:l3:l2:l1:l0 (a value below 2n) to [0, n) without branching on the value.</summary>
    private static Secp256k1Scalar ReduceOnce(ulong l0, ulong l1, ulong l2, ulong l3, ulong carry)
    {
        // t = value + c = value - n + 2^256: overflow of 2^256 (or an existing carry) means value >= n.
        ulong carry2 = 0;
        ulong t0 = Mont256.AddWithCarry(l0, C0, ref carry2);
        ulong t1 = Mont256.AddWithCarry(l1, C1, ref carry2);
        ulong t2 = Mont256.AddWithCarry(l2, C2, ref carry2);
        ulong t3 = Mont256.AddWithCarry(l3, 0, ref carry2);
        ulong mask = 0UL - (carry | carry2);
        return new Secp256k1Scalar(
            (t0 & mask) | (l0 & ~mask),
            (t1 & mask) | (l1 & ~mask),
            (t2 & mask) | (l2 & ~mask),
            (t3 & mask) | (l3 & ~mask));
    }

    public static Secp256k1Scalar Add(in Secp256k1Scalar a, in Secp256k1Scalar b)
    {
        ulong carry = 0;
        ulong s0 = Mont256.AddWithCarry(a.L0, b.L0, ref carry);
        ulong s1 = Mont256.AddWithCarry(a.L1, b.L1, ref carry);
        ulong s2 = Mont256.AddWithCarry(a.L2, b.L2, ref carry);
        ulong s3 = Mont256.AddWithCarry(a.L3, b.L3, ref carry);
        return ReduceOnce(s0, s1, s2, s3, carry);
    }

    /// <summary>n - a, and zero for zero.</summary>
    public static Secp256k1Scalar Negate(in Secp256k1Scalar a)
    {
        ulong borrow = 0;
        ulong d0 = Mont256.SubWithBorrow(N0, a.L0, ref borrow);
        ulong d1 = Mont256.SubWithBorrow(N1, a.L1, ref borrow);
        ulong d2 = Mont256.SubWithBorrow(N2, a.L2, ref borrow);
        ulong d3 = Mont256.SubWithBorrow(N3, a.L3, ref borrow);
        ulong mask = a.IsZero ? 0UL : ulong.MaxValue;
        return new Secp256k1Scalar(d0 & mask, d1 & mask, d2 & mask, d3 & mask);
    }

    /// <summary>The full 512-bit product, least significant limb first.</summary>
    private static void MultiplyWide(in Secp256k1Scalar a, in Secp256k1Scalar b, Span<ulong> product8)
    {
        product8.Clear();
        ReadOnlySpan<ulong> x = [a.L0, a.L1, a.L2, a.L3];
        ReadOnlySpan<ulong> y = [b.L0, b.L1, b.L2, b.L3];
        for (int i = 0; i < 4; i++)
        {
            ulong carry = 0;
            for (int j = 0; j < 4; j++)
            {
                ulong high = Math.BigMul(x[i], y[j], out ulong low);
                low += carry;
                high += low < carry ? 1UL : 0UL;
                ulong existing = product8[i + j];
                low += existing;
                high += low < existing ? 1UL : 0UL;
                product8[i + j] = low;
                carry = high;
            }

            product8[i + 4] = carry;
        }
    }

    public static Secp256k1Scalar Multiply(in Secp256k1Scalar a, in Secp256k1Scalar b)
    {
        Span<ulong> product = stackalloc ulong[8];
        MultiplyWide(a, b, product);
        return Reduce(product);
    }

    /// <summary>Reduces a 512-bit value (eight limbs, least significant first) modulo n.</summary>
    private static Secp256k1Scalar Reduce(ReadOnlySpan<ulong> value8)
    {
        // Fold the part above 2^256 as high * c; each round shrinks it (256 -> 130 -> 4 -> at most 1 bit).
        Span<ulong> current = stackalloc ulong[8];
        Span<ulong> next = stackalloc ulong[8];
        value8.CopyTo(current);
        ReadOnlySpan<ulong> c = [C0, C1, C2];
        while ((current[4] | current[5] | current[6] | current[7]) != 0)
        {
            next.Clear();
            current[..4].CopyTo(next);
            for (int i = 4; i < 8; i++)
            {
                ulong high = current[i];
                if (high == 0)
                {
                    continue;
                }

                ulong carry = 0;
                int k = i - 4;
                for (int j = 0; j < 3; j++)
                {
                    ulong productHigh = Math.BigMul(high, c[j], out ulong low);
                    low += carry;
                    productHigh += low < carry ? 1UL : 0UL;
                    ulong existing = next[k + j];
                    low += existing;
                    productHigh += low < existing ? 1UL : 0UL;
                    next[k + j] = low;
                    carry = productHigh;
                }

                for (int j = k + 3; carry != 0 && j < 8; j++)
                {
                    ulong existing = next[j];
                    ulong sum = existing + carry;
                    carry = sum < existing ? 1UL : 0UL;
                    next[j] = sum;
                }
            }

            next.CopyTo(current);
        }

        return ReduceOnce(current[0], current[1], current[2], current[3], 0);
    }

    public static Secp256k1Scalar Square(in Secp256k1Scalar a) => Multiply(a, a);

    /// <summary>Inverse by Fermat, a^(n-2), with a fixed 4-bit window over the public exponent (for secret values).</summary>
    public static Secp256k1Scalar Invert(in Secp256k1Scalar a)
    {
        Span<Secp256k1Scalar> powers = stackalloc Secp256k1Scalar[16];
        powers[0] = One;
        powers[1] = a;
        for (int i = 2; i < 16; i++)
        {
            powers[i] = Multiply(powers[i - 1], a);
        }

        // n - 2, most significant limb first.
        ReadOnlySpan<ulong> exponent = [N3, N2, N1, N0 - 2];
        var result = One;
        bool started = false;
        foreach (ulong limb in exponent)
        {
            for (int shift = 60; shift >= 0; shift -= 4)
            {
                if (started)
                {
                    result = Square(result);
                    result = Square(result);
                    result = Square(result);
                    result = Square(result);
                }

                // The exponent is public, so branching on its digits leaks nothing about a.
                result = Multiply(result, powers[(int)((limb >> shift) & 15)]);
                started = true;
            }
        }

        return result;
    }

    /// <summary>Inverse for public data (binary extended Euclid; timing depends on the value).</summary>
    public static Secp256k1Scalar InvertVariableTime(in Secp256k1Scalar a)
    {
        Span<ulong> value = [a.L0, a.L1, a.L2, a.L3];
        Span<ulong> modulus = [N0, N1, N2, N3];
        Span<ulong> result = stackalloc ulong[4];
        VariableTimeInverse.Invert(value, modulus, result);
        return new Secp256k1Scalar(result[0], result[1], result[2], result[3]);
    }

    /// <summary>Splits a = low + high * 2^128 into two 128-bit halves.</summary>
    public void SplitAt128(out UInt128 low, out UInt128 high)
    {
        low = new UInt128(L1, L0);
        high = new UInt128(L3, L2);
    }

    /// <summary>
    /// The GLV decomposition a ≡ k1 + k2 * lambda (mod n) with |k1|, |k2| &lt; 2^128, returned as magnitudes and signs.
    /// </summary>
    /// <remarks>
    /// Uses the short lattice basis of Gallant, Lambert and Vanstone for secp256k1 with the rounding of
    /// c1 = round(a * g1 / 2^384), c2 = round(a * g2 / 2^384), g1 = round(2^384 * b2 / n), g2 = round(2^384 * (-b1) / n);
    /// then k2 = c1 * (-b1) + c2 * (-b2) and k1 = a - k2 * lambda.
    /// </remarks>
    public static void SplitLambda(in Secp256k1Scalar a, out UInt128 k1, out bool k1Negative, out UInt128 k2, out bool k2Negative)
    {
        var g1 = new Secp256k1Scalar(0xe893209a45dbb031UL, 0x3daa8a1471e8ca7fUL, 0xe86c90e49284eb15UL, 0x3086d221a7d46bcdUL);
        var g2 = new Secp256k1Scalar(0x1571b4ae8ac47f71UL, 0x221208ac9df506c6UL, 0x6f547fa90abfe4c4UL, 0xe4437ed6010e8828UL);
        var minusB1 = new Secp256k1Scalar(0x6f547fa90abfe4c3UL, 0xe4437ed6010e8828UL, 0, 0);
        var minusB2 = new Secp256k1Scalar(0xd765cda83db1562cUL, 0x8a280ac50774346dUL, 0xfffffffffffffffeUL, 0xffffffffffffffffUL);

        var c1 = MultiplyShift384(a, g1);
        var c2 = MultiplyShift384(a, g2);
        var r2 = Add(Multiply(c1, minusB1), Multiply(c2, minusB2));
        var r1 = Add(a, Negate(Multiply(r2, Lambda)));

        ToSignedHalf(r1, out k1, out k1Negative);
        ToSignedHalf(r2, out k2, out k2Negative);
    }

    private static void ToSignedHalf(in Secp256k1Scalar value, out UInt128 magnitude, out bool negative)
    {
        negative = value.IsHigh;
        var absolute = negative ? Negate(value) : value;
        Debug.Assert((absolute.L2 | absolute.L3) == 0, "GLV half exceeds 128 bits");
        magnitude = new UInt128(absolute.L1, absolute.L0);
    }

    /// <summary>round(a * b / 2^384), for the GLV split.</summary>
    private static Secp256k1Scalar MultiplyShift384(in Secp256k1Scalar a, in Secp256k1Scalar b)
    {
        Span<ulong> product = stackalloc ulong[8];
        MultiplyWide(a, b, product);
        ulong roundBit = product[5] >> 63;
        ulong carry = roundBit;
        ulong r0 = Mont256.AddWithCarry(product[6], 0, ref carry);
        ulong r1 = Mont256.AddWithCarry(product[7], 0, ref carry);
        return new Secp256k1Scalar(r0, r1, 0, 0);
    }
}
