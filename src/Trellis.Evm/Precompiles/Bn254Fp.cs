using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Trellis.Evm.Precompiles;

/// <summary>
/// An element of the bn254 (alt_bn128) base field F_p, p = 0x30644e72...d87cfd47, held in Montgomery form
/// (value * 2^256 mod p) as four little-endian 64-bit limbs. Multiplication is CIOS Montgomery multiplication.
/// </summary>
internal readonly struct Bn254Fp : IEquatable<Bn254Fp>
{
    // p, least significant limb first.
    internal const ulong P0 = 0x3c208c16d87cfd47UL;
    internal const ulong P1 = 0x97816a916871ca8dUL;
    internal const ulong P2 = 0xb85045b68181585dUL;
    internal const ulong P3 = 0x30644e72e131a029UL;

    // -p^-1 mod 2^64, for Montgomery reduction.
    private const ulong Inv = 0x87d20782e4866389UL;

    // 2^512 mod p: multiplying by it converts into Montgomery form.
    private static readonly Bn254Fp R2 = new(0xf32cfc5b538afa89UL, 0xb5e71911d44501fbUL, 0x47ab1eff0a417ff6UL, 0x06d89f71cab8351fUL);

    internal readonly ulong L0;
    internal readonly ulong L1;
    internal readonly ulong L2;
    internal readonly ulong L3;

    internal Bn254Fp(ulong l0, ulong l1, ulong l2, ulong l3)
    {
        L0 = l0;
        L1 = l1;
        L2 = l2;
        L3 = l3;
    }

    public static Bn254Fp Zero => default;

    /// <summary>One in Montgomery form (2^256 mod p).</summary>
    public static Bn254Fp One => new(0xd35d438dc58f0d9dUL, 0x0a78eb28f5c70b3dUL, 0x666ea36f7879462cUL, 0x0e0a77c19a07df2fUL);

    public bool IsZero => (L0 | L1 | L2 | L3) == 0;

    /// <summary>Converts a small integer into the field.</summary>
    public static Bn254Fp FromUInt64(ulong value) => new Bn254Fp(value, 0, 0, 0) * R2;

    /// <summary>Reads a 32-byte big-endian integer; false if it is not below p (EIP-196 rejects such coordinates).</summary>
    public static bool TryRead(ReadOnlySpan<byte> bigEndian32, out Bn254Fp value)
    {
        var l3 = BinaryPrimitives.ReadUInt64BigEndian(bigEndian32);
        var l2 = BinaryPrimitives.ReadUInt64BigEndian(bigEndian32[8..]);
        var l1 = BinaryPrimitives.ReadUInt64BigEndian(bigEndian32[16..]);
        var l0 = BinaryPrimitives.ReadUInt64BigEndian(bigEndian32[24..]);
        var raw = new Bn254Fp(l0, l1, l2, l3);
        if (!IsBelowModulus(raw))
        {
            value = default;
            return false;
        }

        value = raw * R2;
        return true;
    }

    /// <summary>Writes the canonical value as 32 big-endian bytes.</summary>
    public void Write(Span<byte> bigEndian32)
    {
        var plain = MontgomeryMultiply(this, new Bn254Fp(1, 0, 0, 0));
        BinaryPrimitives.WriteUInt64BigEndian(bigEndian32, plain.L3);
        BinaryPrimitives.WriteUInt64BigEndian(bigEndian32[8..], plain.L2);
        BinaryPrimitives.WriteUInt64BigEndian(bigEndian32[16..], plain.L1);
        BinaryPrimitives.WriteUInt64BigEndian(bigEndian32[24..], plain.L0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Bn254Fp operator +(in Bn254Fp a, in Bn254Fp b)
    {
        // p < 2^254, so the sum of two reduced values fits in 256 bits.
        ulong carry;
        var s0 = AddWithCarry(a.L0, b.L0, 0, out carry);
        var s1 = AddWithCarry(a.L1, b.L1, carry, out carry);
        var s2 = AddWithCarry(a.L2, b.L2, carry, out carry);
        var s3 = AddWithCarry(a.L3, b.L3, carry, out _);
        return ReduceOnce(s0, s1, s2, s3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Bn254Fp operator -(in Bn254Fp a, in Bn254Fp b)
    {
        ulong borrow;
        var d0 = SubtractWithBorrow(a.L0, b.L0, 0, out borrow);
        var d1 = SubtractWithBorrow(a.L1, b.L1, borrow, out borrow);
        var d2 = SubtractWithBorrow(a.L2, b.L2, borrow, out borrow);
        var d3 = SubtractWithBorrow(a.L3, b.L3, borrow, out borrow);
        if (borrow == 0)
        {
            return new Bn254Fp(d0, d1, d2, d3);
        }

        ulong carry;
        d0 = AddWithCarry(d0, P0, 0, out carry);
        d1 = AddWithCarry(d1, P1, carry, out carry);
        d2 = AddWithCarry(d2, P2, carry, out carry);
        d3 = AddWithCarry(d3, P3, carry, out _);
        return new Bn254Fp(d0, d1, d2, d3);
    }

    public static Bn254Fp operator -(in Bn254Fp a) => Zero - a;

    public static Bn254Fp operator *(in Bn254Fp a, in Bn254Fp b) => MontgomeryMultiply(a, b);

    public static bool operator ==(in Bn254Fp a, in Bn254Fp b) => a.Equals(b);

    public static bool operator !=(in Bn254Fp a, in Bn254Fp b) => !a.Equals(b);

    public Bn254Fp Square() => MontgomeryMultiply(this, this);

    public Bn254Fp Double() => this + this;

    /// <summary>The multiplicative inverse (Fermat: a^(p-2)); zero maps to zero.</summary>
    public Bn254Fp Inverse()
    {
        // p - 2, least significant limb first.
        ReadOnlySpan<ulong> exponent = [P0 - 2, P1, P2, P3];
        var result = One;
        for (var limb = 3; limb >= 0; limb--)
        {
            for (var bit = 63; bit >= 0; bit--)
            {
                result = result.Square();
                if (((exponent[limb] >> bit) & 1) != 0)
                {
                    result *= this;
                }
            }
        }

        return result;
    }

    public bool Equals(Bn254Fp other) => ((L0 ^ other.L0) | (L1 ^ other.L1) | (L2 ^ other.L2) | (L3 ^ other.L3)) == 0;

    public override bool Equals(object? obj) => obj is Bn254Fp other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(L0, L1, L2, L3);

    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[32];
        Write(bytes);
        return "0x" + Convert.ToHexStringLower(bytes);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Bn254Fp MontgomeryMultiply(in Bn254Fp a, in Bn254Fp b)
    {
        // CIOS (Koc, Acar, Kaliski 1996). Because p's top limb is below 2^62, the running total never needs a
        // sixth limb and the result needs at most one final subtraction.
        ulong t0, t1, t2, t3, t4, carry, m;

        // i = 0
        t0 = MultiplyAdd(a.L0, b.L0, 0, 0, out carry);
        t1 = MultiplyAdd(a.L1, b.L0, 0, carry, out carry);
        t2 = MultiplyAdd(a.L2, b.L0, 0, carry, out carry);
        t3 = MultiplyAdd(a.L3, b.L0, 0, carry, out t4);
        m = t0 * Inv;
        MultiplyAdd(m, P0, t0, 0, out carry);
        t0 = MultiplyAdd(m, P1, t1, carry, out carry);
        t1 = MultiplyAdd(m, P2, t2, carry, out carry);
        t2 = MultiplyAdd(m, P3, t3, carry, out carry);
        t3 = t4 + carry;

        // i = 1
        t0 = MultiplyAdd(a.L0, b.L1, t0, 0, out carry);
        t1 = MultiplyAdd(a.L1, b.L1, t1, carry, out carry);
        t2 = MultiplyAdd(a.L2, b.L1, t2, carry, out carry);
        t3 = MultiplyAdd(a.L3, b.L1, t3, carry, out t4);
        m = t0 * Inv;
        MultiplyAdd(m, P0, t0, 0, out carry);
        t0 = MultiplyAdd(m, P1, t1, carry, out carry);
        t1 = MultiplyAdd(m, P2, t2, carry, out carry);
        t2 = MultiplyAdd(m, P3, t3, carry, out carry);
        t3 = t4 + carry;

        // i = 2
        t0 = MultiplyAdd(a.L0, b.L2, t0, 0, out carry);
        t1 = MultiplyAdd(a.L1, b.L2, t1, carry, out carry);
        t2 = MultiplyAdd(a.L2, b.L2, t2, carry, out carry);
        t3 = MultiplyAdd(a.L3, b.L2, t3, carry, out t4);
        m = t0 * Inv;
        MultiplyAdd(m, P0, t0, 0, out carry);
        t0 = MultiplyAdd(m, P1, t1, carry, out carry);
        t1 = MultiplyAdd(m, P2, t2, carry, out carry);
        t2 = MultiplyAdd(m, P3, t3, carry, out carry);
        t3 = t4 + carry;

        // i = 3
        t0 = MultiplyAdd(a.L0, b.L3, t0, 0, out carry);
        t1 = MultiplyAdd(a.L1, b.L3, t1, carry, out carry);
        t2 = MultiplyAdd(a.L2, b.L3, t2, carry, out carry);
        t3 = MultiplyAdd(a.L3, b.L3, t3, carry, out t4);
        m = t0 * Inv;
        MultiplyAdd(m, P0, t0, 0, out carry);
        t0 = MultiplyAdd(m, P1, t1, carry, out carry);
        t1 = MultiplyAdd(m, P2, t2, carry, out carry);
        t2 = MultiplyAdd(m, P3, t3, carry, out carry);
        t3 = t4 + carry;

        return ReduceOnce(t0, t1, t2, t3);
    }

    /// <summary>a * b + c + d as a 128-bit value: returns the low half, the high half in <paramref name="high"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong MultiplyAdd(ulong a, ulong b, ulong c, ulong d, out ulong high)
    {
        var hi = Math.BigMul(a, b, out var lo);
        lo += c;
        hi += lo < c ? 1UL : 0UL;
        lo += d;
        hi += lo < d ? 1UL : 0UL;
        high = hi;
        return lo;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong AddWithCarry(ulong a, ulong b, ulong carryIn, out ulong carryOut)
    {
        var sum = a + b;
        var carry = sum < a ? 1UL : 0UL;
        sum += carryIn;
        carry += sum < carryIn ? 1UL : 0UL;
        carryOut = carry;
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong SubtractWithBorrow(ulong a, ulong b, ulong borrowIn, out ulong borrowOut)
    {
        var difference = a - b;
        var borrow = a < b ? 1UL : 0UL;
        var result = difference - borrowIn;
        borrow += difference < borrowIn ? 1UL : 0UL;
        borrowOut = borrow;
        return result;
    }

    /// <summary>Subtracts p once if the 256-bit value is at least p.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Bn254Fp ReduceOnce(ulong s0, ulong s1, ulong s2, ulong s3)
    {
        ulong borrow;
        var d0 = SubtractWithBorrow(s0, P0, 0, out borrow);
        var d1 = SubtractWithBorrow(s1, P1, borrow, out borrow);
        var d2 = SubtractWithBorrow(s2, P2, borrow, out borrow);
        var d3 = SubtractWithBorrow(s3, P3, borrow, out borrow);
        return borrow == 0 ? new Bn254Fp(d0, d1, d2, d3) : new Bn254Fp(s0, s1, s2, s3);
    }

    private static bool IsBelowModulus(in Bn254Fp raw)
    {
        SubtractWithBorrow(raw.L0, P0, 0, out var borrow);
        SubtractWithBorrow(raw.L1, P1, borrow, out borrow);
        SubtractWithBorrow(raw.L2, P2, borrow, out borrow);
        SubtractWithBorrow(raw.L3, P3, borrow, out borrow);
        return borrow != 0;
    }
}
