namespace Trellis.Consensus;

/// <summary>What <see cref="INetworkedConsensusEngine.ApplySyncedBlocksAsync"/> did.</summary>
/// <param name="Applied">Blocks verified, executed and committed, from the first one given.</param>
/// <param name="Error">Why the next block was refused, or null when all were applied.</param>
public readonly record struct SyncApplyResult(int Applied, string? Error);
