using System.Buffers.Binary;
using System.Numerics;

namespace Trellis.Evm.Precompiles;

/// <summary>
/// Precompile 0x05 (EIP-198): base^exp mod m for arbitrary-length big-endian numbers, priced per EIP-2565:
/// max(200, ceil(max(base_len, mod_len) / 8)^2 * max(iteration_count, 1) / 3). Gas is computed from the 96-byte header
/// and the exponent's first 32 bytes only, so huge declared lengths never allocate; gas beyond
/// <see cref="long.MaxValue"/> saturates.
/// </summary>
public sealed class ModExpPrecompile : Precompile
{
    private const int HeaderLength = 96;

    // A base or modulus this long costs more than 2^40 gas (its multiplication complexity alone), and an exponent
    // this long more than 10^10; the guards keep TryRun from allocating for them if a caller runs it uncharged.
    private const ulong MaxOperandLength = 1 << 24;
    private const ulong MaxExponentLength = 1UL << 32;

    /// <inheritdoc />
    public override int AddressByte => 0x05;

    /// <inheritdoc />
    public override string Name => "MODEXP";

    /// <inheritdoc />
    public override long RequiredGas(ReadOnlySpan<byte> input)
    {
        var baseFits = TryReadLength(input, 0, out var baseLength);
        var expFits = TryReadLength(input, 32, out var expLength);
        var modFits = TryReadLength(input, 64, out var modLength);
        if (!baseFits || !modFits)
        {
            // max(base_len, mod_len) >= 2^64: the multiplication complexity alone is beyond any gas figure.
            return long.MaxValue;
        }

        var maxLength = Math.Max(baseLength, modLength);
        var words = (UInt128)((maxLength / 8) + (maxLength % 8 == 0 ? 0UL : 1UL));
        if (words == 0)
        {
            return 200;
        }

        if (!expFits)
        {
            return long.MaxValue;
        }

        // The exponent's leading (at most) 32 bytes, zero-padded past the end of the input.
        var headLength = (int)Math.Min(expLength, 32UL);
        Span<byte> head = stackalloc byte[32];
        CopyPadded(input, HeaderLength + (UInt128)baseLength, head[..headLength]);
        var headBits = BitLength(head[..headLength]);
        var adjustedExpLength = (UInt128)(headBits > 0 ? headBits - 1 : 0);
        if (expLength > 32)
        {
            adjustedExpLength += 8 * (UInt128)(expLength - 32);
        }

        var iterations = adjustedExpLength > 1 ? adjustedExpLength : 1;
        var complexity = words * words;
        if (complexity > UInt128.MaxValue / iterations)
        {
            return long.MaxValue;
        }

        var gas = complexity * iterations / 3;
        if (gas > long.MaxValue)
        {
            return long.MaxValue;
        }

        return Math.Max(200L, (long)gas);
    }

    /// <inheritdoc />
    public override bool TryRun(ReadOnlySpan<byte> input, out byte[] output)
    {
        output = [];
        var baseFits = TryReadLength(input, 0, out var baseLength);
        var expFits = TryReadLength(input, 32, out var expLength);
        var modFits = TryReadLength(input, 64, out var modLength);
        if (baseFits && modFits && baseLength == 0 && modLength == 0)
        {
            return true;
        }

        if (!baseFits || !expFits || !modFits
            || baseLength > MaxOperandLength || expLength > MaxExponentLength || modLength > MaxOperandLength)
        {
            return false;
        }

        var modulusBytes = new byte[(int)modLength];
        CopyPadded(input, HeaderLength + (UInt128)baseLength + expLength, modulusBytes);
        var modulus = new BigInteger(modulusBytes, isUnsigned: true, isBigEndian: true);
        output = new byte[(int)modLength];
        if (modulus.IsZero || modulus.IsOne)
        {
            return true;
        }

        var baseBytes = new byte[(int)baseLength];
        CopyPadded(input, HeaderLength, baseBytes);
        // Only the exponent bytes present in the input are materialised; the zero padding past the end of the
        // input multiplies the exponent by 2^(8 * missing), applied below as repeated squaring.
        var exponentStart = HeaderLength + (UInt128)baseLength;
        var present = exponentStart >= (UInt128)input.Length ? 0 : Math.Min(expLength, (ulong)input.Length - (ulong)exponentStart);
        var exponentBytes = new byte[(int)present];
        CopyPadded(input, exponentStart, exponentBytes);
        var exponent = new BigInteger(exponentBytes, isUnsigned: true, isBigEndian: true);
        var result = BigInteger.ModPow(new BigInteger(baseBytes, isUnsigned: true, isBigEndian: true), exponent, modulus);
        if (!exponent.IsZero)
        {
            for (var missingBits = 8 * (expLength - present); missingBits > 0 && !result.IsZero && !result.IsOne; missingBits--)
            {
                result = result * result % modulus;
            }
        }

        var resultLength = result.GetByteCount(isUnsigned: true);
        result.TryWriteBytes(output.AsSpan((int)modLength - resultLength), out _, isUnsigned: true, isBigEndian: true);
        return true;
    }

    /// <summary>Reads the 32-byte big-endian length at <paramref name="offset"/> (zero-padded); false if it exceeds 64 bits.</summary>
    private static bool TryReadLength(ReadOnlySpan<byte> input, int offset, out ulong length)
    {
        Span<byte> word = stackalloc byte[32];
        CopyPadded(input, (UInt128)offset, word);
        length = BinaryPrimitives.ReadUInt64BigEndian(word[24..]);
        return word[..24].IndexOfAnyExcept((byte)0) < 0;
    }

    /// <summary>Copies input[offset .. offset + destination.Length) into destination, with zeros past the end of the input.</summary>
    private static void CopyPadded(ReadOnlySpan<byte> input, UInt128 offset, Span<byte> destination)
    {
        destination.Clear();
        if (offset >= (UInt128)input.Length)
        {
            return;
        }

        var available = input[(int)offset..];
        var count = Math.Min(available.Length, destination.Length);
        available[..count].CopyTo(destination);
    }

    private static int BitLength(ReadOnlySpan<byte> bigEndian)
    {
        var first = bigEndian.IndexOfAnyExcept((byte)0);
        if (first < 0)
        {
            return 0;
        }

        return ((bigEndian.Length - first - 1) * 8) + (32 - BitOperations.LeadingZeroCount((uint)bigEndian[first]));
    }
}
