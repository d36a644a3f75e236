using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using System.Text.Json;
using Trellis.Core;

namespace Trellis.Node.JsonRpc;

/// <summary>
/// Reads Ethereum JSON-RPC values (EIP-1474 quantities and data, addresses, hashes, block selectors) from JSON,
/// throwing -32602 with the value's path (for example <c>params[0].to</c>) and the rule it broke.
/// </summary>
public static class JsonRpcValue
{
    /// <summary>Reads a quantity that must fit in 64 bits: <c>0x</c>, at least one hex digit, no leading zeros.</summary>
    public static ulong ReadUInt64(JsonElement element, string path)
    {
        ReadOnlySpan<char> digits = QuantityDigits(element, path, "a hex quantity");
        if (digits.Length > 16)
        {
            throw Invalid(path, "a hex quantity of at most 64 bits", element);
        }

        ulong value = 0;
        foreach (char c in digits)
        {
            value = (value << 4) | (uint)DigitValue(c);
        }

        return value;
    }

    /// <summary>Reads a quantity of up to 256 bits with the EIP-1474 rules.</summary>
    public static UInt256 ReadUInt256(JsonElement element, string path)
    {
        ReadOnlySpan<char> digits = QuantityDigits(element, path, "a hex quantity");
        if (digits.Length > 64)
        {
            throw Invalid(path, "a hex quantity of at most 256 bits", element);
        }

        Span<byte> bytes = stackalloc byte[32];
        bytes.Clear();
        // Fill from the least significant digit so an odd digit count needs no padding copy.
        int byteIndex = 31;
        for (int i = digits.Length - 1; i >= 0; i -= 2)
        {
            int low = DigitValue(digits[i]);
            int high = i > 0 ? DigitValue(digits[i - 1]) : 0;
            bytes[byteIndex--] = (byte)((high << 4) | low);
        }

        return UInt256.FromBigEndian(bytes);
    }

    /// <summary>Reads unformatted data: <c>0x</c> followed by an even number of hex digits.</summary>
    public static byte[] ReadData(JsonElement element, string path)
    {
        if (TryReadPlainData(element, out byte[]? plain))
        {
            return plain;
        }

        string text = RequireHexString(element, path, "hex data");
        if (!Hex.TryDecode(text.AsSpan(2), out byte[] bytes, out string? error))
        {
            throw JsonRpcException.InvalidParams($"{path}: expected hex data, got {Quote(element)}: {error}");
        }

        return bytes;
    }

    // The common case straight from the document's UTF-8 (no string): "0x" then an even number of hex digits, no
    // escapes. Anything else takes the general path, which accepts the same and names what is wrong.
    private static bool TryReadPlainData(JsonElement element, [NotNullWhen(true)] out byte[]? bytes)
    {
        bytes = null;
        if (element.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        // The raw value keeps its quotes.
        ReadOnlySpan<byte> raw = JsonMarshal.GetRawUtf8Value(element);
        if (raw.Length < 4 || raw[1] != (byte)'0' || raw[2] != (byte)'x')
        {
            return false;
        }

        ReadOnlySpan<byte> digits = raw[3..^1];
        if ((digits.Length & 1) != 0)
        {
            return false;
        }

        if (digits.IsEmpty)
        {
            bytes = [];
            return true;
        }

        var result = new byte[digits.Length / 2];
        if (Convert.FromHexString(digits, result, out _, out int written) != OperationStatus.Done || written != result.Length)
        {
            return false;
        }

        bytes = result;
        return true;
    }

    /// <summary>Reads a 20-byte address (checksum case is not enforced, as in other clients).</summary>
    public static Address ReadAddress(JsonElement element, string path)
    {
        Span<byte> bytes = stackalloc byte[Address.Length];
        ReadFixed(element, path, bytes, "a 20-byte address");
        return new Address(bytes);
    }

    /// <summary>Reads a 32-byte hash.</summary>
    public static Hash256 ReadHash(JsonElement element, string path)
    {
        Span<byte> bytes = stackalloc byte[Hash256.Length];
        ReadFixed(element, path, bytes, "a 32-byte hash");
        return new Hash256(bytes);
    }

    /// <summary>Reads a JSON boolean.</summary>
    public static bool ReadBoolean(JsonElement element, string path) => element.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw Invalid(path, "a boolean", element),
    };

    /// <summary>
    /// Reads a block selector: a tag (<c>latest</c>, <c>earliest</c>, <c>pending</c>, <c>safe</c>, <c>finalized</c>),
    /// a quantity, or an EIP-1898 object <c>{"blockHash": h, "requireCanonical": b}</c> / <c>{"blockNumber": n}</c>.
    /// </summary>
    public static BlockParameter ReadBlockParameter(JsonElement element, string path, bool allowHash = true)
    {
        if (element.ValueKind == JsonValueKind.String)
        {
            string? text = element.GetString();
            switch (text)
            {
                case "latest":
                    return BlockParameter.Latest;
                case "earliest":
                    return BlockParameter.Earliest;
                case "pending":
                    return BlockParameter.Pending;
                case "safe":
                    return BlockParameter.Safe;
                case "finalized":
                    return BlockParameter.Finalized;
            }

            if (text is { Length: > 2 } && text[0] == '0' && text[1] is 'x' or 'X')
            {
                return BlockParameter.FromNumber(ReadUInt64(element, path));
            }

            throw Invalid(path, "a block number or one of latest, earliest, pending, safe, finalized", element);
        }

        if (element.ValueKind == JsonValueKind.Object && allowHash)
        {
            bool hasHash = element.TryGetProperty("blockHash", out JsonElement hashElement);
            bool hasNumber = element.TryGetProperty("blockNumber", out JsonElement numberElement);
            if (hasHash == hasNumber)
            {
                throw JsonRpcException.InvalidParams(
                    $"{path}: an EIP-1898 block object needs exactly one of blockHash and blockNumber, got {Quote(element)}");
            }

            if (hasNumber)
            {
                return ReadBlockParameter(numberElement, path + ".blockNumber", allowHash: false);
            }

            bool canonical = element.TryGetProperty("requireCanonical", out JsonElement canonicalElement)
                && canonicalElement.ValueKind != JsonValueKind.Null
                && ReadBoolean(canonicalElement, path + ".requireCanonical");
            return BlockParameter.FromHash(ReadHash(hashElement, path + ".blockHash"), canonical);
        }

        throw Invalid(path, allowHash ? "a block number, tag or EIP-1898 block object" : "a block number or tag", element);
    }

    /// <summary>Creates the -32602 error "path: expected X, got V".</summary>
    public static JsonRpcException Invalid(string path, string expected, JsonElement got) =>
        JsonRpcException.InvalidParams($"{path}: expected {expected}, got {Quote(got)}");

    /// <summary>The raw JSON of <paramref name="element"/>, cut to 80 characters for messages.</summary>
    public static string Quote(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Undefined)
        {
            return "nothing";
        }

        string raw = element.GetRawText();
        return raw.Length <= 80 ? raw : string.Concat(raw.AsSpan(0, 77), "...");
    }

    private static int DigitValue(char c)
    {
        uint d = (uint)(c - '0');
        if (d <= 9)
        {
            return (int)d;
        }

        uint l = (uint)((c | 0x20) - 'a');
        return l <= 5 ? (int)l + 10 : -1;
    }

    private static ReadOnlySpan<char> QuantityDigits(JsonElement element, string path, string expected)
    {
        string text = RequireHexString(element, path, expected);
        ReadOnlySpan<char> digits = text.AsSpan(2);
        if (digits.IsEmpty)
        {
            throw JsonRpcException.InvalidParams($"{path}: expected {expected}, got {Quote(element)}: no digits after 0x");
        }

        if (digits.Length > 1 && digits[0] == '0')
        {
            throw JsonRpcException.InvalidParams(
                $"{path}: expected {expected}, got {Quote(element)}: leading zero digits are not allowed (EIP-1474)");
        }

        for (int i = 0; i < digits.Length; i++)
        {
            if (DigitValue(digits[i]) < 0)
            {
                throw JsonRpcException.InvalidParams(
                    $"{path}: expected {expected}, got {Quote(element)}: '{digits[i]}' at position {i + 2} is not a hex digit");
            }
        }

        return digits;
    }

    private static string RequireHexString(JsonElement element, string path, string expected)
    {
        if (element.ValueKind != JsonValueKind.String)
        {
            throw Invalid(path, expected, element);
        }

        string text = element.GetString()!;
        if (text.Length < 2 || text[0] != '0' || (text[1] != 'x' && text[1] != 'X'))
        {
            throw JsonRpcException.InvalidParams($"{path}: expected {expected}, got {Quote(element)}: missing 0x prefix");
        }

        return text;
    }

    private static void ReadFixed(JsonElement element, string path, Span<byte> destination, string expected)
    {
        string text = RequireHexString(element, path, expected);
        ReadOnlySpan<char> digits = text.AsSpan(2);
        if (digits.Length != destination.Length * 2)
        {
            throw Invalid(path, expected, element);
        }

        try
        {
            Hex.Decode(digits, destination);
        }
        catch (FormatException e)
        {
            throw JsonRpcException.InvalidParams($"{path}: expected {expected}, got {Quote(element)}: {e.Message}");
        }
    }
}
