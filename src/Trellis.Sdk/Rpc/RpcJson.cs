using System.Globalization;
using System.Text.Json;
using Trellis.Core;

namespace Trellis.Sdk.Rpc;

/// <summary>Reads and writes the hex encodings of Ethereum JSON-RPC (quantities, data, hashes, addresses).</summary>
internal static class RpcJson
{
    public static string Quantity(ulong value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);

    public static string Quantity(UInt256 value) => value.ToHexString();

    public static ulong ReadULong(JsonElement element, string field)
    {
        UInt256 value = ReadUInt256(element, field);
        return value.BitLength <= 64 ? (ulong)value : throw Malformed(field, element, "does not fit in 64 bits");
    }

    public static UInt256 ReadUInt256(JsonElement element, string field)
    {
        string text = ReadString(element, field);
        if (text.Length < 3 || text.Length > 66 || !text.StartsWith("0x", StringComparison.Ordinal))
        {
            throw Malformed(field, element, "is not a 0x-prefixed hex quantity");
        }

        return UInt256.TryParse(text, out UInt256 value) ? value : throw Malformed(field, element, "is not a 0x-prefixed hex quantity");
    }

    public static byte[] ReadData(JsonElement element, string field)
    {
        string text = ReadString(element, field);
        return Hex.TryDecode(text, out byte[] bytes, out string? error) && text.StartsWith("0x", StringComparison.Ordinal)
            ? bytes
            : throw Malformed(field, element, error ?? "is not 0x-prefixed hex data");
    }

    public static Hash256 ReadHash(JsonElement element, string field) =>
        Hash256.TryParse(ReadString(element, field), out Hash256 hash) ? hash : throw Malformed(field, element, "is not a 32-byte hash");

    public static Address ReadAddress(JsonElement element, string field) =>
        Address.TryParse(ReadString(element, field), out Address address) ? address : throw Malformed(field, element, "is not a 20-byte address");

    public static string ReadString(JsonElement element, string field) =>
        element.ValueKind == JsonValueKind.String ? element.GetString()! : throw Malformed(field, element, "is not a JSON string");

    public static JsonElement Property(JsonElement obj, string name)
    {
        if (obj.ValueKind != JsonValueKind.Object)
        {
            throw Malformed(name, obj, "belongs to something that is not a JSON object");
        }

        return obj.TryGetProperty(name, out JsonElement value) ? value : throw Malformed(name, obj, "is missing");
    }

    public static bool IsNull(JsonElement obj, string name) =>
        obj.ValueKind != JsonValueKind.Object || !obj.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null;

    public static TrellisRpcException Malformed(string field, JsonElement value, string rule)
    {
        string raw = value.ValueKind == JsonValueKind.Undefined ? "(none)" : value.GetRawText();
        if (raw.Length > 120)
        {
            raw = raw[..120] + "...";
        }

        return new TrellisRpcException(TrellisRpcException.MalformedResponse, $"malformed response: \"{field}\" {rule}: {raw}", null);
    }
}
