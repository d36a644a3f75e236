using Trellis.Consensus.Raft.Messages;

namespace Trellis.Consensus.Raft;

/// <summary>A message the replica wants sent to server <paramref name="To"/>.</summary>
/// <param name="To">The recipient's index.</param>
/// <param name="Message">The message.</param>
public readonly record struct RaftOutgoingMessage(int To, RaftMessage Message);
