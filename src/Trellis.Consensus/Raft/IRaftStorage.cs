namespace Trellis.Consensus.Raft;

/// <summary>
/// Durable Raft state. Every method except <see cref="Compact"/> must not return until its change would survive a
/// crash: the replica calls them before any message that depends on the change leaves (a vote, an acknowledgement,
/// a leader's replication), as Figure 2 requires ("updated on stable storage before responding to RPCs").
/// </summary>
public interface IRaftStorage
{
    /// <summary>Everything saved so far (<see cref="RaftPersistentState.Empty"/> for a new server).</summary>
    /// <exception cref="InvalidDataException">Stored data exists but is damaged other than by a torn final write.</exception>
    RaftPersistentState Load();

    /// <summary>Durably records the current term and the vote cast in it (-1 for none).</summary>
    void SaveTermAndVote(long term, int votedFor);

    /// <summary>Durably appends entries; the first follows the last stored entry (or the snapshot index).</summary>
    void Append(IReadOnlyList<RaftEntry> entries);

    /// <summary>Durably removes every entry with index at least <paramref name="index"/> (conflict truncation).</summary>
    void TruncateFrom(long index);

    /// <summary>
    /// Drops every entry up to <paramref name="index"/> and records (<paramref name="index"/>, <paramref name="term"/>)
    /// as the snapshot point. Need not be durable at once: losing it only makes a restarted server re-apply entries
    /// the block store already holds, which the engine skips.
    /// </summary>
    void Compact(long index, long term);
}
