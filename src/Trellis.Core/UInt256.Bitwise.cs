using System.Runtime.CompilerServices;

namespace Trellis.Core;

// Bitwise operations, shifts, BYTE and SIGNEXTEND. As in the arithmetic, inputs are read before `result` is
// written, so an input and the output may be the same variable.
public readonly partial struct UInt256
{
    /// <summary>Bitwise and (EVM AND).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void And(in UInt256 a, in UInt256 b, out UInt256 result) =>
        result = new UInt256(a.U0 & b.U0, a.U1 & b.U1, a.U2 & b.U2, a.U3 & b.U3);

    /// <summary>Bitwise or (EVM OR).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Or(in UInt256 a, in UInt256 b, out UInt256 result) =>
        result = new UInt256(a.U0 | b.U0, a.U1 | b.U1, a.U2 | b.U2, a.U3 | b.U3);

    /// <summary>Bitwise exclusive or (EVM XOR).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Xor(in UInt256 a, in UInt256 b, out UInt256 result) =>
        result = new UInt256(a.U0 ^ b.U0, a.U1 ^ b.U1, a.U2 ^ b.U2, a.U3 ^ b.U3);

    /// <summary>Bitwise complement (EVM NOT).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Not(in UInt256 a, out UInt256 result) =>
        result = new UInt256(~a.U0, ~a.U1, ~a.U2, ~a.U3);

    /// <summary>Logical left shift (EVM SHL); a shift of 256 or more gives zero.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="shift"/> is negative.</exception>
    public static void ShiftLeft(in UInt256 value, int shift, out UInt256 result)
    {
        if ((uint)shift >= 256)
        {
            ThrowIfNegativeShift(shift);
            result = Zero;
            return;
        }

        ulong a0 = value.U0, a1 = value.U1, a2 = value.U2, a3 = value.U3;
        int bits = shift & 63;

        // (x >> 1) >> (63 - bits) is the carry into the next limb, x >> (64 - bits), made 0 for bits = 0.
        int back = 63 - bits;
        switch (shift >> 6)
        {
            case 0:
                result = new UInt256(
                    a0 << bits,
                    (a1 << bits) | ((a0 >> 1) >> back),
                    (a2 << bits) | ((a1 >> 1) >> back),
                    (a3 << bits) | ((a2 >> 1) >> back));
                break;
            case 1:
                result = new UInt256(
                    0,
                    a0 << bits,
                    (a1 << bits) | ((a0 >> 1) >> back),
                    (a2 << bits) | ((a1 >> 1) >> back));
                break;
            case 2:
                result = new UInt256(0, 0, a0 << bits, (a1 << bits) | ((a0 >> 1) >> back));
                break;
            default:
                result = new UInt256(0, 0, 0, a0 << bits);
                break;
        }
    }

    /// <summary>Logical right shift (EVM SHR); a shift of 256 or more gives zero.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="shift"/> is negative.</exception>
    public static void ShiftRight(in UInt256 value, int shift, out UInt256 result)
    {
        if ((uint)shift >= 256)
        {
            ThrowIfNegativeShift(shift);
            result = Zero;
            return;
        }

        ulong a0 = value.U0, a1 = value.U1, a2 = value.U2, a3 = value.U3;
        int bits = shift & 63;

        // (x << 1) << (63 - bits) is the carry into the lower limb, x << (64 - bits), made 0 for bits = 0.
        int back = 63 - bits;
        switch (shift >> 6)
        {
            case 0:
                result = new UInt256(
                    (a0 >> bits) | ((a1 << 1) << back),
                    (a1 >> bits) | ((a2 << 1) << back),
                    (a2 >> bits) | ((a3 << 1) << back),
                    a3 >> bits);
                break;
            case 1:
                result = new UInt256(
                    (a1 >> bits) | ((a2 << 1) << back),
                    (a2 >> bits) | ((a3 << 1) << back),
                    a3 >> bits,
                    0);
                break;
            case 2:
                result = new UInt256((a2 >> bits) | ((a3 << 1) << back), a3 >> bits, 0, 0);
                break;
            default:
                result = new UInt256(a3 >> bits, 0, 0, 0);
                break;
        }
    }

    /// <summary>
    /// Arithmetic right shift of a two's complement value (EVM SAR): fills with the sign bit; a shift of 256 or
    /// more gives 0 for non-negative values and all ones (-1) for negative values.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="shift"/> is negative.</exception>
    public static void ArithmeticShiftRight(in UInt256 value, int shift, out UInt256 result)
    {
        if (!value.IsNegative)
        {
            ShiftRight(value, shift, out result);
            return;
        }

        if ((uint)shift >= 256)
        {
            ThrowIfNegativeShift(shift);
            result = MaxValue;
            return;
        }

        // For negative x, SAR(x, s) = ~SHR(~x, s): the complement is non-negative and its zero fill becomes ones.
        Not(value, out var complement);
        ShiftRight(complement, shift, out complement);
        Not(complement, out result);
    }

    /// <summary>EVM SHL with a 256-bit shift count (the count is the first operand popped).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ShiftLeft(in UInt256 value, in UInt256 shift, out UInt256 result) =>
        ShiftLeft(value, ClampShift(shift), out result);

    /// <summary>EVM SHR with a 256-bit shift count.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ShiftRight(in UInt256 value, in UInt256 shift, out UInt256 result) =>
        ShiftRight(value, ClampShift(shift), out result);

    /// <summary>EVM SAR with a 256-bit shift count.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ArithmeticShiftRight(in UInt256 value, in UInt256 shift, out UInt256 result) =>
        ArithmeticShiftRight(value, ClampShift(shift), out result);

    /// <summary>
    /// EVM BYTE(i, x): byte <paramref name="index"/> of the 32-byte big-endian form of <paramref name="value"/>
    /// (0 is the most significant); 0 when the index is 32 or more.
    /// </summary>
    public static UInt256 Byte(in UInt256 index, in UInt256 value)
    {
        if (!index.FitsInUlong || index.U0 >= 32)
        {
            return Zero;
        }

        int i = (int)index.U0;
        ulong limb = (i >> 3) switch
        {
            0 => value.U3,
            1 => value.U2,
            2 => value.U1,
            _ => value.U0,
        };
        return new UInt256((limb >> ((7 - (i & 7)) << 3)) & 0xFF);
    }

    /// <summary>
    /// EVM SIGNEXTEND(b, x): extends the sign of the two's complement number in the low <c>b + 1</c> bytes of
    /// <paramref name="value"/> to all 256 bits; for <paramref name="byteIndex"/> 31 or more the value is unchanged.
    /// </summary>
    public static void SignExtend(in UInt256 byteIndex, in UInt256 value, out UInt256 result)
    {
        if (!byteIndex.FitsInUlong || byteIndex.U0 >= 31)
        {
            result = value;
            return;
        }

        int signBit = ((int)byteIndex.U0 << 3) + 7;
        int limbIndex = signBit >> 6;
        int bit = signBit & 63;
        ulong a0 = value.U0, a1 = value.U1, a2 = value.U2, a3 = value.U3;
        ulong limb = limbIndex switch
        {
            0 => a0,
            1 => a1,
            2 => a2,
            _ => a3,
        };
        bool negative = ((limb >> bit) & 1) != 0;

        // Bits above the sign bit within its limb become copies of it, as do all higher limbs.
        ulong keepMask = bit == 63 ? ulong.MaxValue : (1UL << (bit + 1)) - 1;
        ulong fill = negative ? ulong.MaxValue : 0;
        limb = (limb & keepMask) | (fill & ~keepMask);
        result = limbIndex switch
        {
            0 => new UInt256(limb, fill, fill, fill),
            1 => new UInt256(a0, limb, fill, fill),
            2 => new UInt256(a0, a1, limb, fill),
            _ => new UInt256(a0, a1, a2, limb),
        };
    }

    // A 256-bit shift count as an int for the shift methods: anything of 256 or more becomes 256.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ClampShift(in UInt256 shift) =>
        shift.FitsInUlong && shift.U0 < 256 ? (int)shift.U0 : 256;

    private static void ThrowIfNegativeShift(int shift)
    {
        if (shift < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(shift), shift, $"shift count {shift} is negative; it must be 0 or more");
        }
    }
}
