using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using ArmAes = System.Runtime.Intrinsics.Arm.Aes;

namespace Trellis.Crypto.Gcm;

/// <summary>
/// GHASH (NIST SP 800-38D, section 6.4): Y = (Y xor X) * H in GF(2^128) modulo x^128 + x^7 + x^2 + x + 1, over
/// each 16-byte block, zero-padding the last block of each input.
/// </summary>
/// <remarks>
/// Blocks are held as two big-endian words, which is the GCM bit order reversed; the product of two reversed
/// operands is the reversed product shifted right one bit, hence the one-bit left shift before the reduction
/// (Gueron and Kounavis, "Intel Carry-Less Multiplication Instruction and its Usage for Computing the GCM Mode").
/// The 64x64-bit carry-less products use PCLMULQDQ or ARM PMULL when present, and a branch-free loop otherwise.
/// </remarks>
internal struct GHash
{
    private readonly ulong _hHigh;
    private readonly ulong _hLow;
    private ulong _yHigh;
    private ulong _yLow;

    /// <summary>Starts a GHASH with Y = 0 under the hash subkey <paramref name="hashKey"/> (H = E_K(0^128)).</summary>
    public GHash(ReadOnlySpan<byte> hashKey)
    {
        _hHigh = BinaryPrimitives.ReadUInt64BigEndian(hashKey);
        _hLow = BinaryPrimitives.ReadUInt64BigEndian(hashKey[8..]);
    }

    /// <summary>Absorbs <paramref name="data"/>, padding its final partial block with zeros.</summary>
    public void UpdatePadded(ReadOnlySpan<byte> data)
    {
        var fullLength = data.Length & ~15;
        for (var offset = 0; offset < fullLength; offset += 16)
        {
            UpdateBlock(data.Slice(offset, 16));
        }

        if (fullLength != data.Length)
        {
            Span<byte> last = stackalloc byte[16];
            last.Clear();
            data[fullLength..].CopyTo(last);
            UpdateBlock(last);
        }
    }

    /// <summary>Absorbs one full 16-byte block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void UpdateBlock(ReadOnlySpan<byte> block)
    {
        _yHigh ^= BinaryPrimitives.ReadUInt64BigEndian(block);
        _yLow ^= BinaryPrimitives.ReadUInt64BigEndian(block[8..]);
        Multiply(ref _yHigh, ref _yLow, _hHigh, _hLow);
    }

    /// <summary>Absorbs the length block [len(A)]64 || [len(C)]64 (in bits) and writes the 16-byte result.</summary>
    public void Finish(long associatedDataLength, long textLength, Span<byte> output)
    {
        _yHigh ^= (ulong)associatedDataLength * 8;
        _yLow ^= (ulong)textLength * 8;
        Multiply(ref _yHigh, ref _yLow, _hHigh, _hLow);
        BinaryPrimitives.WriteUInt64BigEndian(output, _yHigh);
        BinaryPrimitives.WriteUInt64BigEndian(output[8..], _yLow);
        _yHigh = 0;
        _yLow = 0;
    }

    /// <summary>x = x * h in the bit-reversed representation (see the type remarks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Multiply(ref ulong xHigh, ref ulong xLow, ulong hHigh, ulong hLow)
    {
        // Karatsuba: three 64x64 products give the 256-bit product [x3:x2:x1:x0].
        var (lowHigh, lowLow) = CarrylessMultiply(xLow, hLow);
        var (highHigh, highLow) = CarrylessMultiply(xHigh, hHigh);
        var (midHigh, midLow) = CarrylessMultiply(xLow ^ xHigh, hLow ^ hHigh);
        midHigh ^= lowHigh ^ highHigh;
        midLow ^= lowLow ^ highLow;
        var x0 = lowLow;
        var x1 = lowHigh ^ midLow;
        var x2 = highLow ^ midHigh;
        var x3 = highHigh;

        x3 = (x3 << 1) | (x2 >> 63);
        x2 = (x2 << 1) | (x1 >> 63);
        x1 = (x1 << 1) | (x0 >> 63);
        x0 <<= 1;

        // Fold the low 128 bits into the high 128 bits modulo the reversed polynomial.
        var d = x1 ^ (x0 << 63) ^ (x0 << 62) ^ (x0 << 57);
        xHigh = x3 ^ d ^ (d >> 1) ^ (d >> 2) ^ (d >> 7);
        xLow = x2 ^ x0 ^ ((x0 >> 1) | (d << 63)) ^ ((x0 >> 2) | (d << 62)) ^ ((x0 >> 7) | (d << 57));
    }

    /// <summary>The 128-bit carry-less product of two 64-bit polynomials.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (ulong High, ulong Low) CarrylessMultiply(ulong a, ulong b)
    {
        if (Pclmulqdq.IsSupported)
        {
            var product = Pclmulqdq.CarrylessMultiply(Vector128.CreateScalarUnsafe(a), Vector128.CreateScalarUnsafe(b), 0x00);
            return (product.GetElement(1), product.ToScalar());
        }

        if (ArmAes.IsSupported)
        {
            var product = ArmAes.PolynomialMultiplyWideningLower(Vector64.CreateScalar(a), Vector64.CreateScalar(b));
            return (product.GetElement(1), product.ToScalar());
        }

        return CarrylessMultiplySoftware(a, b);
    }

    /// <summary>Portable carry-less product; masks instead of branches so the time does not depend on the operands.</summary>
    internal static (ulong High, ulong Low) CarrylessMultiplySoftware(ulong a, ulong b)
    {
        ulong high = 0, low = 0;
        for (var i = 0; i < 64; i++)
        {
            var mask = 0UL - ((b >> i) & 1);
            low ^= (a << i) & mask;
            // (a >> 1) >> (63 - i) is a >> (64 - i) without the undefined 64-bit shift at i = 0.
            high ^= ((a >> 1) >> (63 - i)) & mask;
        }

        return (high, low);
    }
}
