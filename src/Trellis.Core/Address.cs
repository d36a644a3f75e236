using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Trellis.Core;

/// <summary>
/// A 20-byte account address with value semantics. Text form is EIP-55 mixed-case checksummed hex.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct Address : IEquatable<Address>, IComparable<Address>
{
    /// <summary>The size of an address in bytes.</summary>
    public const int Length = 20;

    /// <summary>The all-zero address.</summary>
    public static readonly Address Zero;

    // The 20 bytes in their natural order: 8 + 8 + 4.
    private readonly ulong _u0;
    private readonly ulong _u1;
    private readonly uint _u2;

    /// <summary>Creates an address from exactly 20 bytes.</summary>
    /// <exception cref="ArgumentException"><paramref name="bytes"/> is not 20 bytes long.</exception>
    public Address(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
        {
            throw new ArgumentException($"an Address needs exactly {Length} bytes, got {bytes.Length}", nameof(bytes));
        }

        _u0 = MemoryMarshal.Read<ulong>(bytes);
        _u1 = MemoryMarshal.Read<ulong>(bytes[8..]);
        _u2 = MemoryMarshal.Read<uint>(bytes[16..]);
    }

    /// <summary>A read-only view of the 20 bytes of this value (valid while the value it was taken from lives).</summary>
    [UnscopedRef]
    public ReadOnlySpan<byte> Bytes => MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<ulong, byte>(ref Unsafe.AsRef(in _u0)), Length);

    /// <summary>Equality of two addresses.</summary>
    public static bool operator ==(Address left, Address right) => left.Equals(right);

    /// <summary>Inequality of two addresses.</summary>
    public static bool operator !=(Address left, Address right) => !left.Equals(right);

    /// <summary>Byte-wise ordering (as unsigned big-endian numbers).</summary>
    public static bool operator <(Address left, Address right) => left.CompareTo(right) < 0;

    /// <summary>Byte-wise ordering (as unsigned big-endian numbers).</summary>
    public static bool operator <=(Address left, Address right) => left.CompareTo(right) <= 0;

    /// <summary>Byte-wise ordering (as unsigned big-endian numbers).</summary>
    public static bool operator >(Address left, Address right) => left.CompareTo(right) > 0;

    /// <summary>Byte-wise ordering (as unsigned big-endian numbers).</summary>
    public static bool operator >=(Address left, Address right) => left.CompareTo(right) >= 0;

    /// <summary>The address formed by the last 20 bytes of <paramref name="hash"/> (hash of a public key).</summary>
    public static Address FromHash(in Hash256 hash) => new(hash.Bytes[(Hash256.Length - Length)..]);

    /// <summary>
    /// Parses 40 hex digits with an optional <c>0x</c> prefix. All-lowercase and all-uppercase digits are accepted
    /// without a checksum; mixed case must be a valid EIP-55 checksum.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="FormatException">Wrong length, a non-hex character, or a checksum mismatch.</exception>
    public static Address Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!TryParseCore(text, out Address value, out string? error))
        {
            throw new FormatException(error);
        }

        return value;
    }

    /// <summary>As <see cref="Parse"/>, returning false instead of throwing.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out Address value)
    {
        if (text is null)
        {
            value = default;
            return false;
        }

        return TryParseCore(text, out value, out _);
    }

    /// <summary>Returns a new array holding the 20 bytes.</summary>
    public byte[] ToArray() => Bytes.ToArray();

    /// <summary>Returns <c>0x</c> followed by 40 lowercase hex digits (no checksum).</summary>
    public string ToLowerHex() => Hex.Encode(Bytes);

    /// <summary>Returns the EIP-55 checksummed form, <c>0x</c>-prefixed.</summary>
    public override string ToString()
    {
        Span<char> chars = stackalloc char[2 + 2 * Length];
        chars[0] = '0';
        chars[1] = 'x';
        WriteChecksummed(Bytes, chars[2..]);
        return new string(chars);
    }

    /// <inheritdoc />
    public bool Equals(Address other) => _u0 == other._u0 && _u1 == other._u1 && _u2 == other._u2;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Address other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_u0, _u1, _u2);

    /// <inheritdoc />
    public int CompareTo(Address other)
    {
        // Bytes are stored in order, so reading each word big-endian compares them lexicographically.
        int c = BigEndian(_u0).CompareTo(BigEndian(other._u0));
        if (c != 0)
        {
            return c;
        }

        c = BigEndian(_u1).CompareTo(BigEndian(other._u1));
        if (c != 0)
        {
            return c;
        }

        return BigEndian(_u2).CompareTo(BigEndian(other._u2));
    }

    /// <summary>
    /// EIP-55: the i-th hex letter is uppercase when the i-th nibble of Keccak-256(lowercase hex, ASCII) is >= 8.
    /// </summary>
    private static void WriteChecksummed(ReadOnlySpan<byte> bytes, Span<char> chars)
    {
        Hex.WriteLower(bytes, chars);
        Span<byte> ascii = stackalloc byte[2 * Length];
        for (int i = 0; i < ascii.Length; i++)
        {
            ascii[i] = (byte)chars[i];
        }

        Span<byte> hash = stackalloc byte[Hash256.Length];
        Keccak256.Hash(ascii, hash);
        for (int i = 0; i < ascii.Length; i++)
        {
            int nibble = (i & 1) == 0 ? hash[i >> 1] >> 4 : hash[i >> 1] & 0xF;
            if (nibble >= 8 && chars[i] >= 'a')
            {
                chars[i] = (char)(chars[i] - ('a' - 'A'));
            }
        }
    }

    private static bool TryParseCore(string text, out Address value, [NotNullWhen(false)] out string? error)
    {
        value = default;
        ReadOnlySpan<char> digits = Hex.StripPrefix(text);
        if (digits.Length != 2 * Length)
        {
            error = $"address must be {2 * Length} hex digits (optionally 0x-prefixed), got {digits.Length}: \"{Shorten(text)}\"";
            return false;
        }

        Span<byte> bytes = stackalloc byte[Length];
        bool hasLower = false;
        bool hasUpper = false;
        int offset = text.Length - digits.Length;
        for (int i = 0; i < bytes.Length; i++)
        {
            char h = digits[2 * i];
            char l = digits[2 * i + 1];
            int hi = Hex.DigitValue(h);
            int lo = Hex.DigitValue(l);
            if ((hi | lo) < 0)
            {
                int position = offset + (hi < 0 ? 2 * i : 2 * i + 1);
                error = $"address has non-hex character '{text[position]}' at position {position}: \"{Shorten(text)}\"";
                return false;
            }

            hasLower |= h is >= 'a' and <= 'f' || l is >= 'a' and <= 'f';
            hasUpper |= h is >= 'A' and <= 'F' || l is >= 'A' and <= 'F';
            bytes[i] = (byte)((hi << 4) | lo);
        }

        if (hasLower && hasUpper)
        {
            Span<char> expected = stackalloc char[2 * Length];
            WriteChecksummed(bytes, expected);
            if (!digits.SequenceEqual(expected))
            {
                error = $"address checksum mismatch: \"{text}\" is mixed-case but the EIP-55 form is \"0x{expected}\"";
                return false;
            }
        }

        value = new Address(bytes);
        error = null;
        return true;
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 77), "...");

    private static ulong BigEndian(ulong v) => BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(v) : v;

    private static uint BigEndian(uint v) => BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(v) : v;
}
