namespace Trellis.Consensus.Raft.Messages;

/// <summary>The answer to an <see cref="AppendEntriesMessage"/> or a <see cref="CatchUpMessage"/>.</summary>
/// <param name="Term">The follower's current term.</param>
/// <param name="Success">True when the follower's log matched and now holds the entries.</param>
/// <param name="Index">
/// On success, the index up to which the follower's log now matches the leader's; on failure, a hint: the leader
/// should retry from <c>Index + 1</c> (the follower's last index, or the entry before a conflicting term).
/// </param>
public sealed record AppendEntriesResponseMessage(long Term, bool Success, long Index) : RaftMessage(Term);
