namespace Trellis.Consensus.Raft.Messages;

/// <summary>A candidate asks for a vote (RequestVote RPC, Figure 2), or a pre-candidate asks whether it would get one (pre-vote, thesis §9.6).</summary>
/// <param name="Term">The candidate's term; for a pre-vote, the term the sender would stand in (its own term + 1), which it has not adopted.</param>
/// <param name="LastLogIndex">The index of the candidate's last log entry.</param>
/// <param name="LastLogTerm">The term of the candidate's last log entry.</param>
/// <param name="PreVote">True for a pre-vote: the receiver answers but changes neither its term, its vote nor its timer.</param>
public sealed record RequestVoteMessage(long Term, long LastLogIndex, long LastLogTerm, bool PreVote = false) : RaftMessage(Term);
