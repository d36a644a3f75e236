namespace Trellis.Consensus.Raft.Messages;

/// <summary>The answer to a <see cref="RequestVoteMessage"/>.</summary>
/// <param name="Term">The voter's current term, for the candidate to update itself.</param>
/// <param name="Granted">True when the voter voted for the candidate.</param>
public sealed record RequestVoteResponseMessage(long Term, bool Granted) : RaftMessage(Term);
