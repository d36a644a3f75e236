namespace Trellis.Consensus.Raft;

/// <summary>A Raft server's state (Ongaro and Ousterhout 2014, §5.1).</summary>
public enum RaftRole
{
    /// <summary>Passive: answers leaders and candidates.</summary>
    Follower,

    /// <summary>Asking for votes to become leader.</summary>
    Candidate,

    /// <summary>Accepts proposals and replicates the log.</summary>
    Leader,
}
