namespace Trellis.Core;

/// <summary>
/// Hexadecimal text for bytes: lowercase on output, an optional <c>0x</c>/<c>0X</c> prefix and either case on input.
/// </summary>
public static class Hex
{
    /// <summary>Encodes <paramref name="bytes"/> as lowercase hex, with a <c>0x</c> prefix unless told otherwise.</summary>
    public static string Encode(ReadOnlySpan<byte> bytes, bool prefix = true)
    {
        if (bytes.Length > (int.MaxValue - 2) / 2)
        {
            throw new ArgumentException($"cannot hex-encode {bytes.Length} bytes: the text would exceed the maximum string length", nameof(bytes));
        }

        if (!prefix)
        {
            return bytes.IsEmpty ? string.Empty : Convert.ToHexStringLower(bytes);
        }

        return string.Create(2 + bytes.Length * 2, bytes, static (chars, input) =>
        {
            chars[0] = '0';
            chars[1] = 'x';
            WriteLower(input, chars[2..]);
        });
    }

    /// <summary>
    /// Decodes hex text with an optional <c>0x</c>/<c>0X</c> prefix. "0x" alone is the empty array.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="FormatException">The length is odd or a character is not a hex digit.</exception>
    public static byte[] Decode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!TryDecode(text.AsSpan(), out byte[] bytes, out string? error))
        {
            throw new FormatException(error);
        }

        return bytes;
    }

    /// <summary>
    /// Decodes hex text with an optional prefix; on failure returns false with an empty array and a message
    /// naming the problem.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<char> text, out byte[] bytes, out string? error)
    {
        ReadOnlySpan<char> digits = StripPrefix(text);
        if ((digits.Length & 1) != 0)
        {
            bytes = [];
            error = $"hex string has odd length {digits.Length}: \"{Excerpt(text)}\"";
            return false;
        }

        var result = digits.Length == 0 ? [] : new byte[digits.Length / 2];
        int bad = DecodeDigits(digits, result);
        if (bad >= 0)
        {
            bytes = [];
            error = BadCharMessage(text, bad + (text.Length - digits.Length));
            return false;
        }

        bytes = result;
        error = null;
        return true;
    }

    /// <summary>
    /// Decodes hex text (optional prefix) into <paramref name="destination"/>, which must be exactly the decoded size.
    /// </summary>
    /// <exception cref="FormatException">Wrong length for the destination, odd length or a non-hex character.</exception>
    public static void Decode(ReadOnlySpan<char> text, Span<byte> destination)
    {
        ReadOnlySpan<char> digits = StripPrefix(text);
        if ((digits.Length & 1) != 0)
        {
            throw new FormatException($"hex string has odd length {digits.Length}: \"{Excerpt(text)}\"");
        }

        if (digits.Length / 2 != destination.Length)
        {
            throw new FormatException(
                $"hex string encodes {digits.Length / 2} bytes but exactly {destination.Length} are required: \"{Excerpt(text)}\"");
        }

        int bad = DecodeDigits(digits, destination);
        if (bad >= 0)
        {
            throw new FormatException(BadCharMessage(text, bad + (text.Length - digits.Length)));
        }
    }

    /// <summary>Writes lowercase hex digits for <paramref name="bytes"/> into <paramref name="chars"/> (2 per byte).</summary>
    internal static void WriteLower(ReadOnlySpan<byte> bytes, Span<char> chars)
    {
        const string digits = "0123456789abcdef";
        chars = chars[..(bytes.Length * 2)];
        for (int i = 0; i < bytes.Length; i++)
        {
            byte b = bytes[i];
            chars[2 * i] = digits[b >> 4];
            chars[2 * i + 1] = digits[b & 0xF];
        }
    }

    internal static ReadOnlySpan<char> StripPrefix(ReadOnlySpan<char> text) =>
        text.Length >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X') ? text[2..] : text;

    /// <summary>Returns the value of a hex digit, or -1 if <paramref name="c"/> is not one.</summary>
    internal static int DigitValue(char c)
    {
        uint d = (uint)(c - '0');
        if (d <= 9)
        {
            return (int)d;
        }

        uint l = (uint)((c | 0x20) - 'a');
        return l <= 5 ? (int)l + 10 : -1;
    }

    /// <summary>Decodes an even number of digits; returns the index of the first bad character, or -1.</summary>
    private static int DecodeDigits(ReadOnlySpan<char> digits, Span<byte> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            int hi = DigitValue(digits[2 * i]);
            int lo = DigitValue(digits[2 * i + 1]);
            if ((hi | lo) < 0)
            {
                return hi < 0 ? 2 * i : 2 * i + 1;
            }

            destination[i] = (byte)((hi << 4) | lo);
        }

        return -1;
    }

    private static string BadCharMessage(ReadOnlySpan<char> text, int position)
    {
        char c = text[position];
        string shown = char.IsControl(c) || char.IsWhiteSpace(c) ? $"U+{(int)c:X4}" : $"'{c}'";
        return $"hex string has non-hex character {shown} at position {position}: \"{Excerpt(text)}\"";
    }

    // Error messages quote the input, but never a megabyte of it.
    private static string Excerpt(ReadOnlySpan<char> text) =>
        text.Length <= 80 ? text.ToString() : string.Concat(text[..77], "...");
}
