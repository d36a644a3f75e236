using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;

namespace Trellis.Core;

// Byte, BigInteger and text conversions.
public readonly partial struct UInt256 : IFormattable
{
    // 10^19, the largest power of ten that fits in a ulong: decimal text is handled in chunks of 19 digits.
    private const ulong DecimalChunk = 10_000_000_000_000_000_000UL;
    private const int DecimalChunkDigits = 19;

    // 2^256 - 1 has 78 decimal digits.
    private const int MaxDecimalDigits = 78;

    /// <summary>
    /// Reads a big-endian unsigned integer of 0 to 32 bytes (shorter input is left-padded with zeros).
    /// </summary>
    /// <exception cref="ArgumentException">More than 32 bytes.</exception>
    public static UInt256 FromBigEndian(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 32)
        {
            return new UInt256(
                BinaryPrimitives.ReadUInt64BigEndian(bytes[24..]),
                BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]),
                BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]),
                BinaryPrimitives.ReadUInt64BigEndian(bytes));
        }

        if (bytes.Length > 32)
        {
            throw new ArgumentException($"big-endian UInt256 has {bytes.Length} bytes; at most 32 are allowed", nameof(bytes));
        }

        Span<byte> padded = stackalloc byte[32];
        padded.Clear();
        bytes.CopyTo(padded[(32 - bytes.Length)..]);
        return FromBigEndian(padded);
    }

    /// <summary>Writes the value as exactly 32 big-endian bytes.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is not 32 bytes long.</exception>
    public void WriteBigEndian(Span<byte> destination)
    {
        if (destination.Length != 32)
        {
            throw new ArgumentException($"destination for a big-endian UInt256 has {destination.Length} bytes; it must be exactly 32", nameof(destination));
        }

        BinaryPrimitives.WriteUInt64BigEndian(destination, U3);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], U2);
        BinaryPrimitives.WriteUInt64BigEndian(destination[16..], U1);
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], U0);
    }

    /// <summary>The value as a new 32-byte big-endian array.</summary>
    public byte[] ToBigEndian()
    {
        var bytes = new byte[32];
        WriteBigEndian(bytes);
        return bytes;
    }

    /// <summary>The value as minimal big-endian bytes without leading zeros; empty for zero (the RLP integer form).</summary>
    public byte[] ToBigEndianTrimmed()
    {
        int length = ByteLength;
        if (length == 0)
        {
            return [];
        }

        Span<byte> full = stackalloc byte[32];
        WriteBigEndian(full);
        return full[(32 - length)..].ToArray();
    }

    /// <summary>The value as a non-negative <see cref="BigInteger"/>.</summary>
    public BigInteger ToBigInteger()
    {
        Span<byte> little = stackalloc byte[32];
        BinaryPrimitives.WriteUInt64LittleEndian(little, U0);
        BinaryPrimitives.WriteUInt64LittleEndian(little[8..], U1);
        BinaryPrimitives.WriteUInt64LittleEndian(little[16..], U2);
        BinaryPrimitives.WriteUInt64LittleEndian(little[24..], U3);
        return new BigInteger(little, isUnsigned: true, isBigEndian: false);
    }

    /// <summary>Converts a <see cref="BigInteger"/> in [0, 2^256).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is negative or 2^256 or more.</exception>
    public static UInt256 FromBigInteger(BigInteger value)
    {
        if (value.Sign < 0 || value.GetByteCount(isUnsigned: true) > 32)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "UInt256 value must be in [0, 2^256)");
        }

        Span<byte> little = stackalloc byte[32];
        little.Clear();
        value.TryWriteBytes(little, out _, isUnsigned: true, isBigEndian: false);
        return new UInt256(
            BinaryPrimitives.ReadUInt64LittleEndian(little),
            BinaryPrimitives.ReadUInt64LittleEndian(little[8..]),
            BinaryPrimitives.ReadUInt64LittleEndian(little[16..]),
            BinaryPrimitives.ReadUInt64LittleEndian(little[24..]));
    }

    /// <summary>
    /// Parses a decimal string (<c>"12345"</c>) or a 0x-prefixed hex string (<c>"0x3039"</c>, either case).
    /// No sign, whitespace or separators are accepted.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="s"/> is null.</exception>
    /// <exception cref="FormatException">The text is not a decimal or 0x-hex number.</exception>
    /// <exception cref="OverflowException">The number is 2^256 or more.</exception>
    public static UInt256 Parse(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var error = TryParseCore(s, out var value, out int position);
        return error switch
        {
            ParseError.None => value,
            ParseError.Empty => throw new FormatException("UInt256 string is empty"),
            ParseError.EmptyHex => throw new FormatException($"UInt256 hex string has no digits after the 0x prefix: \"{Excerpt(s)}\""),
            ParseError.BadHexDigit => throw new FormatException(
                $"UInt256 hex string has invalid character '{s[position]}' at index {position}: \"{Excerpt(s)}\""),
            ParseError.BadDecimalDigit => throw new FormatException(
                $"UInt256 decimal string has invalid character '{s[position]}' at index {position}: \"{Excerpt(s)}\""),
            _ => throw new OverflowException($"UInt256 string \"{Excerpt(s)}\" is 2^256 or more"),
        };
    }

    /// <summary>Parses like <see cref="Parse(string)"/>, returning false instead of throwing.</summary>
    public static bool TryParse(string? s, out UInt256 value)
    {
        if (s is null)
        {
            value = Zero;
            return false;
        }

        return TryParseCore(s, out value, out _) == ParseError.None;
    }

    /// <summary>The value in decimal.</summary>
    public override string ToString()
    {
        if (FitsInUlong)
        {
            return U0.ToString(CultureInfo.InvariantCulture);
        }

        // At most five 19-digit chunks (78 digits), produced least significant first.
        Span<char> buffer = stackalloc char[5 * DecimalChunkDigits];
        int start = buffer.Length;
        UInt256 rest = this;
        while (!rest.FitsInUlong)
        {
            ulong chunk = DivideByUlong(rest, DecimalChunk, out rest);
            for (int i = 0; i < DecimalChunkDigits; i++)
            {
                buffer[--start] = (char)('0' + (chunk % 10));
                chunk /= 10;
            }
        }

        ulong head = rest.U0;
        do
        {
            buffer[--start] = (char)('0' + (head % 10));
            head /= 10;
        }
        while (head != 0);

        return new string(buffer[start..]);
    }

    /// <summary>The value as 0x-prefixed minimal lowercase hex; <c>"0x0"</c> for zero.</summary>
    public string ToHexString() => "0x" + FormatHex(lowercase: true);

    /// <summary>
    /// Formats as decimal (<c>null</c>, <c>""</c>, <c>"D"</c>, <c>"d"</c>) or minimal hex without a prefix
    /// (<c>"x"</c> lowercase, <c>"X"</c> uppercase).
    /// </summary>
    /// <exception cref="FormatException">Any other format string.</exception>
    public string ToString(string? format, IFormatProvider? formatProvider) => format switch
    {
        null or "" or "D" or "d" => ToString(),
        "x" => FormatHex(lowercase: true),
        "X" => FormatHex(lowercase: false),
        _ => throw new FormatException($"UInt256 format \"{format}\" is not supported; use \"D\", \"x\" or \"X\""),
    };

    /// <summary>Formats as <see cref="ToString(string?, IFormatProvider?)"/> does.</summary>
    public string ToString(string? format) => ToString(format, null);

    private string FormatHex(bool lowercase)
    {
        Span<char> buffer = stackalloc char[64];
        string digits = lowercase ? "0123456789abcdef" : "0123456789ABCDEF";
        int position = 64;
        ReadOnlySpan<ulong> limbs = Limbs(this);
        for (int limb = 0; limb < 4; limb++)
        {
            ulong x = limbs[limb];
            for (int nibble = 0; nibble < 16; nibble++)
            {
                buffer[--position] = digits[(int)(x & 0xF)];
                x >>= 4;
            }
        }

        int significant = Math.Max(1, (BitLength + 3) >> 2);
        return new string(buffer[(64 - significant)..]);
    }

    // Divides by a non-zero ulong; returns the remainder.
    private static ulong DivideByUlong(in UInt256 value, ulong divisor, out UInt256 quotient)
    {
        ulong q3 = DivideRemainder128By64(0, value.U3, divisor, out ulong rem);
        ulong q2 = DivideRemainder128By64(rem, value.U2, divisor, out rem);
        ulong q1 = DivideRemainder128By64(rem, value.U1, divisor, out rem);
        ulong q0 = DivideRemainder128By64(rem, value.U0, divisor, out rem);
        quotient = new UInt256(q0, q1, q2, q3);
        return rem;
    }

    private enum ParseError
    {
        None,
        Empty,
        EmptyHex,
        BadHexDigit,
        BadDecimalDigit,
        Overflow,
    }

    private static ParseError TryParseCore(string s, out UInt256 value, out int position)
    {
        value = Zero;
        position = 0;
        if (s.Length == 0)
        {
            return ParseError.Empty;
        }

        if (s.Length >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        {
            return TryParseHex(s, out value, out position);
        }

        return TryParseDecimal(s, out value, out position);
    }

    private static ParseError TryParseHex(string s, out UInt256 value, out int position)
    {
        value = Zero;
        position = 0;
        if (s.Length == 2)
        {
            return ParseError.EmptyHex;
        }

        // Validate every digit first so a bad character is reported as such even in an overlong string.
        int first = -1;
        for (int i = 2; i < s.Length; i++)
        {
            int digit = HexDigitValue(s[i]);
            if (digit < 0)
            {
                position = i;
                return ParseError.BadHexDigit;
            }

            if (first < 0 && digit != 0)
            {
                first = i;
            }
        }

        if (first < 0)
        {
            return ParseError.None;
        }

        if (s.Length - first > 64)
        {
            return ParseError.Overflow;
        }

        Span<ulong> limbs = stackalloc ulong[4];
        limbs.Clear();
        int nibble = 0;
        for (int i = s.Length - 1; i >= first; i--, nibble++)
        {
            limbs[nibble >> 4] |= (ulong)HexDigitValue(s[i]) << ((nibble & 15) << 2);
        }

        value = new UInt256(limbs[0], limbs[1], limbs[2], limbs[3]);
        return ParseError.None;
    }

    private static ParseError TryParseDecimal(string s, out UInt256 value, out int position)
    {
        value = Zero;
        position = 0;
        int first = -1;
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c is < '0' or > '9')
            {
                position = i;
                return ParseError.BadDecimalDigit;
            }

            if (first < 0 && c != '0')
            {
                first = i;
            }
        }

        if (first < 0)
        {
            return ParseError.None;
        }

        if (s.Length - first > MaxDecimalDigits)
        {
            return ParseError.Overflow;
        }

        // value = value * 10^k + chunk, one chunk of up to 19 digits at a time, the first chunk taking the remainder.
        UInt256 accumulator = Zero;
        int index = first;
        int chunkLength = (s.Length - first) % DecimalChunkDigits;
        if (chunkLength == 0)
        {
            chunkLength = DecimalChunkDigits;
        }

        while (index < s.Length)
        {
            ulong chunk = 0;
            ulong scale = 1;
            for (int i = 0; i < chunkLength; i++)
            {
                chunk = (chunk * 10) + (ulong)(s[index + i] - '0');
                scale *= 10;
            }

            if (MultiplyOverflow(accumulator, scale, out accumulator) || AddOverflow(accumulator, chunk, out accumulator))
            {
                return ParseError.Overflow;
            }

            index += chunkLength;
            chunkLength = DecimalChunkDigits;
        }

        value = accumulator;
        return ParseError.None;
    }

    private static int HexDigitValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    // Hostile input can be megabytes long; error messages quote only its start.
    private static string Excerpt(string s) => s.Length <= 100 ? s : string.Concat(s.AsSpan(0, 100), "...");
}
