using Trellis.Core;

namespace Trellis.Node.Rpc;

/// <summary>A log entry with its position in the chain.</summary>
public sealed record RpcLog
{
    /// <summary>Emitting contract.</summary>
    public required Address Address { get; init; }

    /// <summary>Zero to four topics.</summary>
    public required IReadOnlyList<Hash256> Topics { get; init; }

    /// <summary>Non-indexed data.</summary>
    public required byte[] Data { get; init; }

    /// <summary>Containing block number.</summary>
    public required ulong BlockNumber { get; init; }

    /// <summary>Containing block hash.</summary>
    public required Hash256 BlockHash { get; init; }

    /// <summary>Emitting transaction.</summary>
    public required Hash256 TransactionHash { get; init; }

    /// <summary>Emitting transaction's position in the block.</summary>
    public required ulong TransactionIndex { get; init; }

    /// <summary>Position of the log in the block (not in the transaction).</summary>
    public required ulong LogIndex { get; init; }

    /// <summary>True when a reorganisation removed the log; final blocks make it always false on Trellis.</summary>
    public bool Removed { get; init; }
}
