namespace Trellis.Consensus.Raft.Messages;

/// <summary>
/// A leader tells a follower that the entries it needs were compacted into the block store: fetch blocks by block
/// sync up to <paramref name="LeaderHeight"/>, then resume the log after <paramref name="SnapshotIndex"/>.
/// Replaces InstallSnapshot (§7); the follower answers with an <see cref="AppendEntriesResponseMessage"/> once its
/// log holds the snapshot point.
/// </summary>
/// <param name="Term">The leader's term.</param>
/// <param name="SnapshotIndex">The leader's compaction point.</param>
/// <param name="SnapshotTerm">The term of the entry at that index.</param>
/// <param name="LeaderHeight">The leader's applied block height.</param>
public sealed record CatchUpMessage(long Term, long SnapshotIndex, long SnapshotTerm, ulong LeaderHeight) : RaftMessage(Term);
