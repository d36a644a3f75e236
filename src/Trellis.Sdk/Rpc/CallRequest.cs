using System.Text.Json.Nodes;
using Trellis.Core;

namespace Trellis.Sdk.Rpc;

/// <summary>The transaction object of <c>eth_call</c> and <c>eth_estimateGas</c>.</summary>
public sealed record CallRequest
{
    /// <summary>The sender (optional for calls).</summary>
    public Address? From { get; init; }

    /// <summary>The recipient; null estimates a contract creation.</summary>
    public Address? To { get; init; }

    /// <summary>Call data or creation code.</summary>
    public ReadOnlyMemory<byte> Data { get; init; }

    /// <summary>Value in wei.</summary>
    public UInt256 Value { get; init; }

    /// <summary>A gas limit for the call; null lets the node choose.</summary>
    public ulong? Gas { get; init; }

    internal JsonObject ToJson()
    {
        var json = new JsonObject();
        if (From is Address from)
        {
            json["from"] = from.ToLowerHex();
        }

        if (To is Address to)
        {
            json["to"] = to.ToLowerHex();
        }

        if (Gas is ulong gas)
        {
            json["gas"] = RpcJson.Quantity(gas);
        }

        if (!Value.IsZero)
        {
            json["value"] = RpcJson.Quantity(Value);
        }

        json["input"] = Hex.Encode(Data.Span);
        return json;
    }
}
