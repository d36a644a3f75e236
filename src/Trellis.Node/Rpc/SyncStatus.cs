namespace Trellis.Node.Rpc;

/// <summary>Progress of a catching-up node, for eth_syncing.</summary>
public sealed record SyncStatus(ulong StartingBlock, ulong CurrentBlock, ulong HighestBlock);
