namespace Trellis.Consensus.Raft.Messages;

/// <summary>A candidate asks for a vote (RequestVote RPC, Figure 2).</summary>
/// <param name="Term">The candidate's term.</param>
/// <param name="LastLogIndex">The index of the candidate's last log entry.</param>
/// <param name="LastLogTerm">The term of the candidate's last log entry.</param>
public sealed record RequestVoteMessage(long Term, long LastLogIndex, long LastLogTerm) : RaftMessage(Term);
