namespace Trellis.Consensus.Raft.Messages;

/// <summary>A leader replicates entries, or sends a heartbeat when <paramref name="Entries"/> is empty (AppendEntries RPC, Figure 2).</summary>
/// <param name="Term">The leader's term.</param>
/// <param name="PrevLogIndex">The index of the entry just before the new ones.</param>
/// <param name="PrevLogTerm">The term of that entry.</param>
/// <param name="Entries">The entries, with indexes PrevLogIndex + 1, PrevLogIndex + 2, ...</param>
/// <param name="LeaderCommit">The leader's commit index.</param>
/// <param name="LeaderHeight">The leader's applied application height (the block height), telling followers how far the network is.</param>
public sealed record AppendEntriesMessage(long Term, long PrevLogIndex, long PrevLogTerm, IReadOnlyList<RaftEntry> Entries, long LeaderCommit, ulong LeaderHeight) : RaftMessage(Term);
