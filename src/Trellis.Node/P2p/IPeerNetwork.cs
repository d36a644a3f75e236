using Trellis.Node.Rpc;

namespace Trellis.Node.P2p;

/// <summary>What the JSON-RPC side of a node needs from its peer network.</summary>
public interface IPeerNetwork
{
    /// <summary>Connected peers.</summary>
    int PeerCount { get; }

    /// <summary>Whether the node is behind its peers and fetching blocks.</summary>
    bool IsSyncing { get; }

    /// <summary>Progress while syncing (for eth_syncing), or null when caught up.</summary>
    SyncStatus? GetSyncStatus();

    /// <summary>Gossips a transaction this node accepted from a client to the validators (batched, best effort).</summary>
    void GossipTransaction(ReadOnlyMemory<byte> rawTransaction);
}
