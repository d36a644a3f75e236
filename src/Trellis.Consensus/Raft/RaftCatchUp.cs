namespace Trellis.Consensus.Raft;

/// <summary>
/// The leader has compacted the entries this follower needs (they are in its block store): the follower must fetch
/// committed blocks by block sync until its applied height reaches <paramref name="LeaderHeight"/>, then call
/// <see cref="RaftReplica.InstallSnapshot"/> with (<paramref name="SnapshotIndex"/>, <paramref name="SnapshotTerm"/>).
/// It stands in for the paper's InstallSnapshot RPC (§7): the snapshot is the block store itself.
/// </summary>
/// <param name="Leader">The leader's index (a peer to sync from).</param>
/// <param name="SnapshotIndex">The leader's compaction point.</param>
/// <param name="SnapshotTerm">The term of the entry at that index.</param>
/// <param name="LeaderHeight">The leader's applied height when it sent the notice (at least the height at the compaction point).</param>
public sealed record RaftCatchUp(int Leader, long SnapshotIndex, long SnapshotTerm, ulong LeaderHeight);
