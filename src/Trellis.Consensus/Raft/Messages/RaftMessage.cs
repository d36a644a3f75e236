namespace Trellis.Consensus.Raft.Messages;

/// <summary>A message between Raft servers. The transport authenticates the sender; every message carries the sender's term (§5.1).</summary>
/// <param name="Term">The sender's current term.</param>
public abstract record RaftMessage(long Term);
