using System.Globalization;
using System.Numerics;
using Trellis.Core;

namespace Trellis.Evm.StateTests;

/// <summary>Reads the 0x-hex values of the ethereum/tests JSON format, with messages naming the bad text.</summary>
internal static class StateTestHex
{
    /// <summary>The marker the fillers put before a quantity that may exceed 256 bits.</summary>
    private const string BigIntPrefix = "0x:bigint ";

    public static bool TryParseBytes(string? text, out byte[] bytes, out string? error)
    {
        bytes = [];
        if (text is null)
        {
            error = "expected a hex string, got null";
            return false;
        }

        if (!text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            error = $"expected 0x-prefixed hex, got \"{Shorten(text)}\"";
            return false;
        }

        if (!Hex.TryDecode(text.AsSpan(2), out bytes, out var reason))
        {
            error = $"bad hex \"{Shorten(text)}\": {reason}";
            return false;
        }

        error = null;
        return true;
    }

    public static bool TryParseBigInteger(string? text, out BigInteger value, out string? error)
    {
        value = BigInteger.Zero;
        if (text is null)
        {
            error = "expected a hex quantity, got null";
            return false;
        }

        var digits = text.StartsWith(BigIntPrefix, StringComparison.Ordinal) ? text[BigIntPrefix.Length..] : text;
        if (!digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            error = $"expected a 0x-prefixed hex quantity, got \"{Shorten(text)}\"";
            return false;
        }

        digits = digits[2..];
        if (digits.Length == 0)
        {
            error = null;
            return true;
        }

        // A leading 0 keeps BigInteger's two's-complement hex parser from reading a high first digit as negative.
        if (!BigInteger.TryParse("0" + digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value))
        {
            error = $"bad hex quantity \"{Shorten(text)}\"";
            return false;
        }

        error = null;
        return true;
    }

    public static bool TryParseUInt256(string? text, out UInt256 value, out string? error)
    {
        value = UInt256.Zero;
        if (!TryParseBigInteger(text, out var big, out error))
        {
            return false;
        }

        if (big > UInt256.MaxValue.ToBigInteger())
        {
            error = $"quantity \"{Shorten(text!)}\" exceeds 256 bits";
            return false;
        }

        value = UInt256.FromBigInteger(big);
        return true;
    }

    public static bool TryParseULong(string? text, out ulong value, out string? error)
    {
        value = 0;
        if (!TryParseBigInteger(text, out var big, out error))
        {
            return false;
        }

        if (big > ulong.MaxValue)
        {
            error = $"quantity \"{Shorten(text!)}\" exceeds 64 bits";
            return false;
        }

        value = (ulong)big;
        return true;
    }

    public static bool TryParseLong(string? text, out long value, out string? error)
    {
        value = 0;
        if (!TryParseBigInteger(text, out var big, out error))
        {
            return false;
        }

        if (big > long.MaxValue)
        {
            error = $"quantity \"{Shorten(text!)}\" exceeds 2^63 - 1";
            return false;
        }

        value = (long)big;
        return true;
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..77] + "...";
}
