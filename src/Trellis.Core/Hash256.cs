using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Trellis.Core;

/// <summary>A 32-byte hash value (Keccak-256 or SM3 digest, trie root, block id) with value semantics.</summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct Hash256 : IEquatable<Hash256>, IComparable<Hash256>
{
    /// <summary>The size of a hash in bytes.</summary>
    public const int Length = 32;

    /// <summary>The all-zero hash.</summary>
    public static readonly Hash256 Zero;

    // The 32 bytes in their natural order, stored as four ulongs so that equality is four compares.
    private readonly ulong _u0;
    private readonly ulong _u1;
    private readonly ulong _u2;
    private readonly ulong _u3;

    /// <summary>Creates a hash from exactly 32 bytes.</summary>
    /// <exception cref="ArgumentException"><paramref name="bytes"/> is not 32 bytes long.</exception>
    public Hash256(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
        {
            throw new ArgumentException($"a Hash256 needs exactly {Length} bytes, got {bytes.Length}", nameof(bytes));
        }

        _u0 = MemoryMarshal.Read<ulong>(bytes);
        _u1 = MemoryMarshal.Read<ulong>(bytes[8..]);
        _u2 = MemoryMarshal.Read<ulong>(bytes[16..]);
        _u3 = MemoryMarshal.Read<ulong>(bytes[24..]);
    }

    /// <summary>A read-only view of the 32 bytes of this value (valid while the value it was taken from lives).</summary>
    [UnscopedRef]
    public ReadOnlySpan<byte> Bytes => MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<ulong, byte>(ref Unsafe.AsRef(in _u0)), Length);

    /// <summary>Equality of two hashes.</summary>
    public static bool operator ==(Hash256 left, Hash256 right) => left.Equals(right);

    /// <summary>Inequality of two hashes.</summary>
    public static bool operator !=(Hash256 left, Hash256 right) => !left.Equals(right);

    /// <summary>Byte-wise ordering (as unsigned big-endian numbers).</summary>
    public static bool operator <(Hash256 left, Hash256 right) => left.CompareTo(right) < 0;

    /// <summary>Byte-wise ordering (as unsigned big-endian numbers).</summary>
    public static bool operator <=(Hash256 left, Hash256 right) => left.CompareTo(right) <= 0;

    /// <summary>Byte-wise ordering (as unsigned big-endian numbers).</summary>
    public static bool operator >(Hash256 left, Hash256 right) => left.CompareTo(right) > 0;

    /// <summary>Byte-wise ordering (as unsigned big-endian numbers).</summary>
    public static bool operator >=(Hash256 left, Hash256 right) => left.CompareTo(right) >= 0;

    /// <summary>Parses 64 hex digits, with or without a <c>0x</c> prefix.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="hex"/> is null.</exception>
    /// <exception cref="FormatException">Not exactly 64 hex digits.</exception>
    public static Hash256 Parse(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        Span<byte> bytes = stackalloc byte[Length];
        Hex.Decode(hex.AsSpan(), bytes);
        return new Hash256(bytes);
    }

    /// <summary>Parses 64 hex digits, with or without a <c>0x</c> prefix; false on any malformed input.</summary>
    public static bool TryParse([NotNullWhen(true)] string? hex, out Hash256 value)
    {
        value = default;
        if (hex is null || Hex.StripPrefix(hex).Length != 2 * Length)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[Length];
        ReadOnlySpan<char> digits = Hex.StripPrefix(hex);
        for (int i = 0; i < Length; i++)
        {
            int hi = Hex.DigitValue(digits[2 * i]);
            int lo = Hex.DigitValue(digits[2 * i + 1]);
            if ((hi | lo) < 0)
            {
                return false;
            }

            bytes[i] = (byte)((hi << 4) | lo);
        }

        value = new Hash256(bytes);
        return true;
    }

    /// <summary>Returns a new array holding the 32 bytes.</summary>
    public byte[] ToArray() => Bytes.ToArray();

    /// <summary>Copies the 32 bytes to <paramref name="destination"/>, which must hold at least 32 bytes.</summary>
    public void CopyTo(Span<byte> destination)
    {
        if (destination.Length < Length)
        {
            throw new ArgumentException($"destination holds {destination.Length} bytes, a Hash256 needs {Length}", nameof(destination));
        }

        Bytes.CopyTo(destination);
    }

    /// <inheritdoc />
    public bool Equals(Hash256 other) =>
        _u0 == other._u0 && _u1 == other._u1 && _u2 == other._u2 && _u3 == other._u3;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Hash256 other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_u0, _u1, _u2, _u3);

    /// <inheritdoc />
    public int CompareTo(Hash256 other)
    {
        // Bytes are stored in order, so reading each ulong big-endian compares them lexicographically.
        int c = Compare(_u0, other._u0);
        if (c != 0)
        {
            return c;
        }

        c = Compare(_u1, other._u1);
        if (c != 0)
        {
            return c;
        }

        c = Compare(_u2, other._u2);
        return c != 0 ? c : Compare(_u3, other._u3);
    }

    /// <summary>Returns <c>0x</c> followed by 64 lowercase hex digits.</summary>
    public override string ToString() => Hex.Encode(Bytes);

    private static int Compare(ulong a, ulong b)
    {
        if (BitConverter.IsLittleEndian)
        {
            a = BinaryPrimitives.ReverseEndianness(a);
            b = BinaryPrimitives.ReverseEndianness(b);
        }

        return a.CompareTo(b);
    }
}
