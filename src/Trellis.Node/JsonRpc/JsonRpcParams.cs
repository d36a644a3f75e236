using System.Text.Json;
using Trellis.Core;

namespace Trellis.Node.JsonRpc;

/// <summary>
/// The positional parameters of one call, with typed readers that answer -32602 naming the parameter
/// (<c>params[1]</c>) and the rule. A missing trailing parameter and an explicit <c>null</c> are the same.
/// </summary>
public readonly struct JsonRpcParams
{
    // Built once: every parameter read names its path (for the error it might throw).
    private static readonly string[] CommonPaths = ["params[0]", "params[1]", "params[2]", "params[3]"];

    private readonly JsonElement _array;

    /// <summary>Wraps a JSON array, or <c>default</c> for a call without parameters.</summary>
    public JsonRpcParams(JsonElement array)
    {
        if (array.ValueKind is not (JsonValueKind.Array or JsonValueKind.Undefined))
        {
            throw new ArgumentException($"parameters must be a JSON array, got {array.ValueKind}", nameof(array));
        }

        _array = array;
    }

    /// <summary>How many parameters were given.</summary>
    public int Count => _array.ValueKind == JsonValueKind.Array ? _array.GetArrayLength() : 0;

    /// <summary>The raw parameter at <paramref name="index"/>, or an undefined element when absent.</summary>
    public JsonElement this[int index] => index < Count ? _array[index] : default;

    /// <summary>Throws -32602 unless between <paramref name="min"/> and <paramref name="max"/> parameters were given.</summary>
    public void RequireCount(int min, int max)
    {
        int count = Count;
        // Trailing nulls count as omitted optional parameters.
        while (count > min && _array[count - 1].ValueKind == JsonValueKind.Null)
        {
            count--;
        }

        if (count < min || count > max)
        {
            string expected = min == max ? $"{min}" : $"{min} to {max}";
            throw JsonRpcException.InvalidParams($"expected {expected} parameters, got {Count}");
        }
    }

    /// <summary>True when the parameter at <paramref name="index"/> is present and not null.</summary>
    public bool Has(int index) => this[index].ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null);

    /// <summary>A required 64-bit quantity.</summary>
    public ulong GetUInt64(int index) => JsonRpcValue.ReadUInt64(Required(index), Path(index));

    /// <summary>A required 256-bit quantity.</summary>
    public UInt256 GetUInt256(int index) => JsonRpcValue.ReadUInt256(Required(index), Path(index));

    /// <summary>Required hex data.</summary>
    public byte[] GetData(int index) => JsonRpcValue.ReadData(Required(index), Path(index));

    /// <summary>A required 20-byte address.</summary>
    public Address GetAddress(int index) => JsonRpcValue.ReadAddress(Required(index), Path(index));

    /// <summary>A required 32-byte hash.</summary>
    public Hash256 GetHash(int index) => JsonRpcValue.ReadHash(Required(index), Path(index));

    /// <summary>A boolean, or <paramref name="defaultValue"/> when absent.</summary>
    public bool GetBoolean(int index, bool? defaultValue = null) =>
        !Has(index) && defaultValue is { } d ? d : JsonRpcValue.ReadBoolean(Required(index), Path(index));

    /// <summary>A block selector, or <paramref name="defaultValue"/> when absent.</summary>
    public BlockParameter GetBlockParameter(int index, BlockParameter? defaultValue = null, bool allowHash = true) =>
        !Has(index) && defaultValue is { } d ? d : JsonRpcValue.ReadBlockParameter(Required(index), Path(index), allowHash);

    /// <summary>A required JSON object.</summary>
    public JsonElement GetObject(int index)
    {
        JsonElement element = Required(index);
        return element.ValueKind == JsonValueKind.Object ? element : throw JsonRpcValue.Invalid(Path(index), "an object", element);
    }

    /// <summary>A required string.</summary>
    public string GetString(int index)
    {
        JsonElement element = Required(index);
        return element.ValueKind == JsonValueKind.String ? element.GetString()! : throw JsonRpcValue.Invalid(Path(index), "a string", element);
    }

    /// <summary>The path used in messages for parameter <paramref name="index"/>.</summary>
    public static string Path(int index) => index >= 0 && index < CommonPaths.Length ? CommonPaths[index] : $"params[{index}]";

    private JsonElement Required(int index)
    {
        JsonElement element = this[index];
        if (element.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            throw JsonRpcException.InvalidParams($"{Path(index)}: missing required parameter");
        }

        return element;
    }
}
