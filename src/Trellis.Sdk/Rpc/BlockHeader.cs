using System.Text.Json;
using Trellis.Core;

namespace Trellis.Sdk.Rpc;

/// <summary>A block header as a <c>newHeads</c> subscription delivers it.</summary>
public sealed class BlockHeader
{
    /// <summary>The block number.</summary>
    public required ulong Number { get; init; }

    /// <summary>The block hash.</summary>
    public required Hash256 Hash { get; init; }

    /// <summary>The parent block's hash.</summary>
    public required Hash256 ParentHash { get; init; }

    /// <summary>Seconds since the Unix epoch.</summary>
    public required ulong Timestamp { get; init; }

    /// <summary>The block gas limit.</summary>
    public ulong GasLimit { get; init; }

    /// <summary>Gas used by the block's transactions.</summary>
    public ulong GasUsed { get; init; }

    internal static BlockHeader FromJson(JsonElement header) => new()
    {
        Number = RpcJson.ReadULong(RpcJson.Property(header, "number"), "number"),
        Hash = RpcJson.ReadHash(RpcJson.Property(header, "hash"), "hash"),
        ParentHash = RpcJson.ReadHash(RpcJson.Property(header, "parentHash"), "parentHash"),
        Timestamp = RpcJson.ReadULong(RpcJson.Property(header, "timestamp"), "timestamp"),
        GasLimit = RpcJson.IsNull(header, "gasLimit") ? 0 : RpcJson.ReadULong(header.GetProperty("gasLimit"), "gasLimit"),
        GasUsed = RpcJson.IsNull(header, "gasUsed") ? 0 : RpcJson.ReadULong(header.GetProperty("gasUsed"), "gasUsed"),
    };
}
