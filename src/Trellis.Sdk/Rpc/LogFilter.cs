using System.Text.Json.Nodes;
using Trellis.Core;

namespace Trellis.Sdk.Rpc;

/// <summary>A log query for <c>eth_getLogs</c> and <c>logs</c> subscriptions.</summary>
public sealed record LogFilter
{
    /// <summary>The first block: a number, <c>latest</c>, <c>earliest</c>... (ignored by subscriptions).</summary>
    public string? FromBlock { get; init; }

    /// <summary>The last block (ignored by subscriptions).</summary>
    public string? ToBlock { get; init; }

    /// <summary>Contracts whose logs match; empty matches every contract.</summary>
    public IReadOnlyList<Address> Addresses { get; init; } = [];

    /// <summary>Topics by position; null at a position matches any topic there.</summary>
    public IReadOnlyList<Hash256?> Topics { get; init; } = [];

    /// <summary>A block number as a filter bound.</summary>
    public static string Block(ulong number) => RpcJson.Quantity(number);

    internal JsonObject ToJson(bool forSubscription)
    {
        var json = new JsonObject();
        if (!forSubscription && FromBlock is not null)
        {
            json["fromBlock"] = FromBlock;
        }

        if (!forSubscription && ToBlock is not null)
        {
            json["toBlock"] = ToBlock;
        }

        if (Addresses.Count == 1)
        {
            json["address"] = Addresses[0].ToLowerHex();
        }
        else if (Addresses.Count > 1)
        {
            var addresses = new JsonArray();
            foreach (Address address in Addresses)
            {
                addresses.Add(address.ToLowerHex());
            }

            json["address"] = addresses;
        }

        if (Topics.Count > 0)
        {
            var topics = new JsonArray();
            foreach (Hash256? topic in Topics)
            {
                topics.Add(topic?.ToString());
            }

            json["topics"] = topics;
        }

        return json;
    }
}
