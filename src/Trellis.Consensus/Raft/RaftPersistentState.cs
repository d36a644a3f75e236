namespace Trellis.Consensus.Raft;

/// <summary>
/// What a Raft server keeps across crashes (the paper's "persistent state on all servers": currentTerm, votedFor,
/// log[]), with the log compacted: entries up to <see cref="SnapshotIndex"/> were applied (to the block store) and
/// are represented by that index and its term only.
/// </summary>
/// <param name="Term">The latest term the server has seen.</param>
/// <param name="VotedFor">The candidate voted for in <paramref name="Term"/>, or -1.</param>
/// <param name="SnapshotIndex">The last compacted (applied) index; 0 when nothing was compacted.</param>
/// <param name="SnapshotTerm">The term of the entry at <paramref name="SnapshotIndex"/>; 0 with it.</param>
/// <param name="Entries">The entries after <paramref name="SnapshotIndex"/>, contiguous, in index order.</param>
public sealed record RaftPersistentState(long Term, int VotedFor, long SnapshotIndex, long SnapshotTerm, IReadOnlyList<RaftEntry> Entries)
{
    /// <summary>A server that never ran: term 0, no vote, empty log.</summary>
    public static RaftPersistentState Empty { get; } = new(0, -1, 0, 0, []);
}
