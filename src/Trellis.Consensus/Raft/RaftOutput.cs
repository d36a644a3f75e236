namespace Trellis.Consensus.Raft;

/// <summary>What one input (start, tick, message, proposal) made a replica do.</summary>
public sealed class RaftOutput
{
    /// <summary>Messages to send, in order.</summary>
    public List<RaftOutgoingMessage> Messages { get; } = [];

    /// <summary>Entries newly known committed, in index order; apply them, then call <see cref="RaftReplica.MarkApplied"/>.</summary>
    public List<RaftEntry> Committed { get; } = [];

    /// <summary>Set when the leader says this follower must catch up by block sync.</summary>
    public RaftCatchUp? CatchUp { get; set; }
}
