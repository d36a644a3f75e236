namespace Trellis.Consensus.Raft;

/// <summary>Timing and batching of a <see cref="RaftReplica"/>. Times are in the driver's clock unit (milliseconds).</summary>
public sealed record RaftOptions
{
    /// <summary>The least election timeout; each one is drawn at random from [this, 2 × this) (§5.2).</summary>
    public long ElectionTimeout { get; init; } = 1000;

    /// <summary>How often a leader sends AppendEntries to every follower when it has nothing new.</summary>
    public long HeartbeatInterval { get; init; } = 100;

    /// <summary>Most entries in one AppendEntries message.</summary>
    public int MaxEntriesPerMessage { get; init; } = 64;

    /// <summary>Most payload bytes in one AppendEntries message (one larger entry is still sent alone).</summary>
    public int MaxBytesPerMessage { get; init; } = 8 * 1024 * 1024;

    /// <summary>Applied entries kept in memory so a slightly lagging follower catches up from the log rather than by block sync.</summary>
    public int RetainedAppliedEntries { get; init; } = 32;

    /// <summary>
    /// The driver proposes only when <see cref="RaftReplica.CanPropose"/> (everything in the leader's log applied).
    /// Then every entry before the last non-empty entry of any log is committed, and a follower applies it without
    /// waiting for the leader's commit index. Leave false for a driver that pipelines proposals.
    /// </summary>
    public bool OneProposalInFlight { get; init; }

    /// <summary>
    /// Pre-vote and leader stickiness (Ongaro's thesis §9.6, §4.2.3). A server whose election timer fires first asks
    /// whether a majority would vote for it in the next term, without changing its own term; only then does it stand.
    /// A server that heard from a current leader within <see cref="ElectionTimeout"/> refuses pre-votes and ignores
    /// vote requests of higher terms. So a partitioned or removed server cannot raise the cluster's term on return.
    /// </summary>
    public bool PreVote { get; init; } = true;

    /// <summary>
    /// Check-quorum (thesis §6.2): a leader that has not heard from a majority of its configuration (itself counted)
    /// within an <see cref="ElectionTimeout"/> steps down to follower in the same term, so a partitioned leader stops
    /// proposing and clients see it is not leader.
    /// </summary>
    public bool CheckQuorum { get; init; } = true;

    /// <summary>Checks every value, naming the first bad one.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        if (ElectionTimeout < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(ElectionTimeout), ElectionTimeout, $"Raft election timeout must be at least 2, got {ElectionTimeout}");
        }

        if (HeartbeatInterval < 1 || HeartbeatInterval >= ElectionTimeout)
        {
            throw new ArgumentOutOfRangeException(nameof(HeartbeatInterval), HeartbeatInterval, $"Raft heartbeat interval must be from 1 to below the election timeout {ElectionTimeout}, got {HeartbeatInterval}");
        }

        if (MaxEntriesPerMessage < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxEntriesPerMessage), MaxEntriesPerMessage, $"Raft needs at least 1 entry per message, got {MaxEntriesPerMessage}");
        }

        if (MaxBytesPerMessage < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxBytesPerMessage), MaxBytesPerMessage, $"Raft message byte limit must be positive, got {MaxBytesPerMessage}");
        }

        if (RetainedAppliedEntries < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(RetainedAppliedEntries), RetainedAppliedEntries, $"Raft retained applied entries must not be negative, got {RetainedAppliedEntries}");
        }
    }
}
