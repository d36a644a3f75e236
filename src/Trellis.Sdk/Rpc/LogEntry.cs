using System.Text.Json;
using Trellis.Core;

namespace Trellis.Sdk.Rpc;

/// <summary>A log (event) as returned by <c>eth_getLogs</c>, receipts and <c>logs</c> subscriptions.</summary>
public sealed class LogEntry
{
    /// <summary>The contract that emitted the log.</summary>
    public required Address Address { get; init; }

    /// <summary>The topics (topic 0 is the event signature hash for non-anonymous events).</summary>
    public required IReadOnlyList<Hash256> Topics { get; init; }

    /// <summary>The non-indexed event data.</summary>
    public required byte[] Data { get; init; }

    /// <summary>The block number; null for a pending log.</summary>
    public ulong? BlockNumber { get; init; }

    /// <summary>The block hash; null for a pending log.</summary>
    public Hash256? BlockHash { get; init; }

    /// <summary>The transaction that emitted the log.</summary>
    public Hash256? TransactionHash { get; init; }

    /// <summary>The transaction's index in its block.</summary>
    public ulong? TransactionIndex { get; init; }

    /// <summary>The log's index in its block.</summary>
    public ulong? LogIndex { get; init; }

    /// <summary>True when a subscription reports the log removed (never on a final Trellis chain, but part of the shape).</summary>
    public bool Removed { get; init; }

    internal static LogEntry FromJson(JsonElement log)
    {
        JsonElement topicsJson = RpcJson.Property(log, "topics");
        if (topicsJson.ValueKind != JsonValueKind.Array)
        {
            throw RpcJson.Malformed("topics", topicsJson, "is not an array");
        }

        var topics = new List<Hash256>();
        foreach (JsonElement topic in topicsJson.EnumerateArray())
        {
            topics.Add(RpcJson.ReadHash(topic, "topics"));
        }

        return new LogEntry
        {
            Address = RpcJson.ReadAddress(RpcJson.Property(log, "address"), "address"),
            Topics = topics,
            Data = RpcJson.ReadData(RpcJson.Property(log, "data"), "data"),
            BlockNumber = RpcJson.IsNull(log, "blockNumber") ? null : RpcJson.ReadULong(log.GetProperty("blockNumber"), "blockNumber"),
            BlockHash = RpcJson.IsNull(log, "blockHash") ? null : RpcJson.ReadHash(log.GetProperty("blockHash"), "blockHash"),
            TransactionHash = RpcJson.IsNull(log, "transactionHash") ? null : RpcJson.ReadHash(log.GetProperty("transactionHash"), "transactionHash"),
            TransactionIndex = RpcJson.IsNull(log, "transactionIndex") ? null : RpcJson.ReadULong(log.GetProperty("transactionIndex"), "transactionIndex"),
            LogIndex = RpcJson.IsNull(log, "logIndex") ? null : RpcJson.ReadULong(log.GetProperty("logIndex"), "logIndex"),
            Removed = log.TryGetProperty("removed", out JsonElement removed) && removed.ValueKind == JsonValueKind.True,
        };
    }
}
