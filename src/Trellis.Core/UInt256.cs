using System.Numerics;
using System.Runtime.CompilerServices;

namespace Trellis.Core;

/// <summary>
/// An unsigned 256-bit integer: the EVM word. Four 64-bit limbs, <see cref="U0"/> least significant.
/// Arithmetic wraps modulo 2^256 and follows the EVM's rules (yellow paper, appendix H): division or
/// remainder by zero gives zero, signed operations read the word as two's complement.
/// </summary>
/// <remarks>
/// The hot-path API takes <c>in</c> parameters and returns through <c>out</c> so the interpreter can work
/// on its stack slots without copying 32-byte values; operators exist for convenience in non-hot code.
/// </remarks>
public readonly partial struct UInt256 : IEquatable<UInt256>, IComparable<UInt256>, IComparable
{
    /// <summary>Bits 0..63 (least significant limb).</summary>
    public readonly ulong U0;

    /// <summary>Bits 64..127.</summary>
    public readonly ulong U1;

    /// <summary>Bits 128..191.</summary>
    public readonly ulong U2;

    /// <summary>Bits 192..255 (most significant limb).</summary>
    public readonly ulong U3;

    /// <summary>Zero.</summary>
    public static readonly UInt256 Zero;

    /// <summary>One.</summary>
    public static readonly UInt256 One = new(1);

    /// <summary>2^256 - 1 (all bits set; -1 in two's complement).</summary>
    public static readonly UInt256 MaxValue = new(ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue);

    /// <summary>Creates a value from its limbs, <paramref name="u0"/> least significant.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public UInt256(ulong u0, ulong u1 = 0, ulong u2 = 0, ulong u3 = 0)
    {
        U0 = u0;
        U1 = u1;
        U2 = u2;
        U3 = u3;
    }

    /// <summary>True when the value is zero.</summary>
    public bool IsZero
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (U0 | U1 | U2 | U3) == 0;
    }

    /// <summary>True when the value is one.</summary>
    public bool IsOne
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ((U0 ^ 1) | U1 | U2 | U3) == 0;
    }

    /// <summary>True when the value fits in a <see cref="ulong"/> (limbs <see cref="U1"/>..<see cref="U3"/> are zero).</summary>
    public bool FitsInUlong
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (U1 | U2 | U3) == 0;
    }

    /// <summary>True when bit 255 is set, that is the value is negative read as two's complement.</summary>
    public bool IsNegative
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (long)U3 < 0;
    }

    /// <summary>Number of significant bits: 0 for zero, 256 for values with bit 255 set.</summary>
    public int BitLength
    {
        get
        {
            if (U3 != 0)
            {
                return 256 - BitOperations.LeadingZeroCount(U3);
            }

            if (U2 != 0)
            {
                return 192 - BitOperations.LeadingZeroCount(U2);
            }

            if (U1 != 0)
            {
                return 128 - BitOperations.LeadingZeroCount(U1);
            }

            return 64 - BitOperations.LeadingZeroCount(U0);
        }
    }

    /// <summary>Number of significant bytes, <c>(BitLength + 7) / 8</c>; 0 for zero. The EXP gas cost uses it.</summary>
    public int ByteLength => (BitLength + 7) >> 3;

    /// <summary>Widens a <see cref="ulong"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static implicit operator UInt256(ulong value) => new(value);

    /// <summary>Truncates to the low 64 bits (<see cref="U0"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static explicit operator ulong(UInt256 value) => value.U0;

    /// <inheritdoc/>
    public bool Equals(UInt256 other) => ((U0 ^ other.U0) | (U1 ^ other.U1) | (U2 ^ other.U2) | (U3 ^ other.U3)) == 0;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is UInt256 other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(U0, U1, U2, U3);

    /// <summary>Compares as unsigned integers.</summary>
    public int CompareTo(UInt256 other)
    {
        if (U3 != other.U3)
        {
            return U3 < other.U3 ? -1 : 1;
        }

        if (U2 != other.U2)
        {
            return U2 < other.U2 ? -1 : 1;
        }

        if (U1 != other.U1)
        {
            return U1 < other.U1 ? -1 : 1;
        }

        return U0 == other.U0 ? 0 : U0 < other.U0 ? -1 : 1;
    }

    /// <inheritdoc/>
    public int CompareTo(object? obj) => obj switch
    {
        null => 1,
        UInt256 other => CompareTo(other),
        _ => throw new ArgumentException($"cannot compare UInt256 with {obj.GetType().Name}", nameof(obj)),
    };

    /// <summary>Unsigned <c>a &lt; b</c> (EVM LT).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool LessThan(in UInt256 a, in UInt256 b)
    {
        if (a.U3 != b.U3)
        {
            return a.U3 < b.U3;
        }

        if (a.U2 != b.U2)
        {
            return a.U2 < b.U2;
        }

        if (a.U1 != b.U1)
        {
            return a.U1 < b.U1;
        }

        return a.U0 < b.U0;
    }

    /// <summary>Unsigned <c>a &gt; b</c> (EVM GT).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool GreaterThan(in UInt256 a, in UInt256 b) => LessThan(b, a);

    /// <summary>Two's complement <c>a &lt; b</c> (EVM SLT).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool SignedLessThan(in UInt256 a, in UInt256 b)
    {
        if (a.U3 != b.U3)
        {
            return (long)a.U3 < (long)b.U3;
        }

        if (a.U2 != b.U2)
        {
            return a.U2 < b.U2;
        }

        if (a.U1 != b.U1)
        {
            return a.U1 < b.U1;
        }

        return a.U0 < b.U0;
    }

    /// <summary>Two's complement <c>a &gt; b</c> (EVM SGT).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool SignedGreaterThan(in UInt256 a, in UInt256 b) => SignedLessThan(b, a);

    /// <summary>Equality.</summary>
    public static bool operator ==(UInt256 left, UInt256 right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(UInt256 left, UInt256 right) => !left.Equals(right);

    /// <summary>Unsigned less than.</summary>
    public static bool operator <(UInt256 left, UInt256 right) => LessThan(left, right);

    /// <summary>Unsigned greater than.</summary>
    public static bool operator >(UInt256 left, UInt256 right) => LessThan(right, left);

    /// <summary>Unsigned less than or equal.</summary>
    public static bool operator <=(UInt256 left, UInt256 right) => !LessThan(right, left);

    /// <summary>Unsigned greater than or equal.</summary>
    public static bool operator >=(UInt256 left, UInt256 right) => !LessThan(left, right);

    /// <summary>Wrapping addition.</summary>
    public static UInt256 operator +(UInt256 left, UInt256 right)
    {
        Add(left, right, out var result);
        return result;
    }

    /// <summary>Wrapping subtraction.</summary>
    public static UInt256 operator -(UInt256 left, UInt256 right)
    {
        Subtract(left, right, out var result);
        return result;
    }

    /// <summary>Two's complement negation.</summary>
    public static UInt256 operator -(UInt256 value)
    {
        Negate(value, out var result);
        return result;
    }

    /// <summary>Wrapping multiplication (low 256 bits).</summary>
    public static UInt256 operator *(UInt256 left, UInt256 right)
    {
        Multiply(left, right, out var result);
        return result;
    }

    /// <summary>Unsigned division; division by zero gives zero (EVM rule).</summary>
    public static UInt256 operator /(UInt256 left, UInt256 right)
    {
        Divide(left, right, out var result);
        return result;
    }

    /// <summary>Unsigned remainder; remainder by zero gives zero (EVM rule).</summary>
    public static UInt256 operator %(UInt256 left, UInt256 right)
    {
        Modulo(left, right, out var result);
        return result;
    }

    /// <summary>Bitwise and.</summary>
    public static UInt256 operator &(UInt256 left, UInt256 right)
    {
        And(left, right, out var result);
        return result;
    }

    /// <summary>Bitwise or.</summary>
    public static UInt256 operator |(UInt256 left, UInt256 right)
    {
        Or(left, right, out var result);
        return result;
    }

    /// <summary>Bitwise exclusive or.</summary>
    public static UInt256 operator ^(UInt256 left, UInt256 right)
    {
        Xor(left, right, out var result);
        return result;
    }

    /// <summary>Bitwise complement.</summary>
    public static UInt256 operator ~(UInt256 value)
    {
        Not(value, out var result);
        return result;
    }

    /// <summary>Logical left shift; shifts of 256 or more give zero.</summary>
    public static UInt256 operator <<(UInt256 value, int shift)
    {
        ShiftLeft(value, shift, out var result);
        return result;
    }

    /// <summary>Logical right shift; shifts of 256 or more give zero.</summary>
    public static UInt256 operator >>(UInt256 value, int shift)
    {
        ShiftRight(value, shift, out var result);
        return result;
    }
}
