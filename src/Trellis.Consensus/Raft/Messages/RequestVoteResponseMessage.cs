namespace Trellis.Consensus.Raft.Messages;

/// <summary>The answer to a <see cref="RequestVoteMessage"/>.</summary>
/// <param name="Term">The voter's current term, for the candidate to update itself; a granted pre-vote carries the requested term instead, which is not a real term.</param>
/// <param name="Granted">True when the voter voted (or, for a pre-vote, would vote) for the candidate.</param>
/// <param name="PreVote">True when this answers a pre-vote.</param>
public sealed record RequestVoteResponseMessage(long Term, bool Granted, bool PreVote = false) : RaftMessage(Term);
