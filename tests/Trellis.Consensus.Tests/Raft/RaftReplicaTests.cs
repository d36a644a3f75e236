using Trellis.Consensus.Raft;
using Trellis.Consensus.Raft.Messages;

namespace Trellis.Consensus.Tests.Raft;

/// <summary>The rules of Figure 2 (Ongaro and Ousterhout 2014), driven by hand one message at a time.</summary>
public sealed class RaftReplicaTests
{
    // Figure 2 as published: elections without pre-vote, leaders without check-quorum (those have RaftReplicaPreVoteTests).
    private static readonly RaftOptions Options = new() { ElectionTimeout = 100, HeartbeatInterval = 10, RetainedAppliedEntries = 0, PreVote = false, CheckQuorum = false };

    private static RaftReplica Create(int self, int count, InMemoryRaftStorage storage, RaftOptions? options = null)
    {
        var replica = new RaftReplica(self, count, options ?? Options, storage, new Random(self + 1));
        replica.Start(0);
        return replica;
    }

    private static RaftReplica Leader(int count, InMemoryRaftStorage storage, RaftOptions? options = null)
    {
        var replica = Create(0, count, storage, options);
        replica.Tick(250);
        replica.Receive(1, new RequestVoteResponseMessage(replica.CurrentTerm, true), 250);
        Assert.Equal(RaftRole.Leader, replica.Role);
        return replica;
    }

    private static RaftEntry Entry(long index, long term, byte value = 1) => new(index, term, new byte[] { value });

    [Fact]
    public void ElectionTimeout_StartsAnElectionInTheNextTermWithAPersistedSelfVote()
    {
        var storage = new InMemoryRaftStorage();
        var replica = Create(0, 3, storage);

        var output = replica.Tick(250);

        Assert.Equal(RaftRole.Candidate, replica.Role);
        Assert.Equal(1, replica.CurrentTerm);
        Assert.Equal((1L, 0), (storage.Load().Term, storage.Load().VotedFor));
        Assert.Equal([1, 2], output.Messages.Select(m => m.To));
        Assert.All(output.Messages, m => Assert.Equal(new RequestVoteMessage(1, 0, 0), m.Message));
    }

    [Fact]
    public void MajorityOfVotes_MakesALeaderThatOpensItsTermWithANoOp()
    {
        var replica = Create(0, 3, new InMemoryRaftStorage());
        replica.Tick(250);

        var output = replica.Receive(1, new RequestVoteResponseMessage(1, true), 260);

        Assert.Equal(RaftRole.Leader, replica.Role);
        Assert.Equal(1, replica.LastLogIndex);
        Assert.True(replica.TryGetEntry(1, out var noOp) && noOp.Payload.IsEmpty && noOp.Term == 1);
        var appends = output.Messages.Select(m => Assert.IsType<AppendEntriesMessage>(m.Message)).ToList();
        Assert.Equal(2, appends.Count);
        Assert.All(appends, a => Assert.Equal((0L, 0L, 1), (a.PrevLogIndex, a.PrevLogTerm, a.Entries.Count)));
        Assert.False(replica.CanPropose);
    }

    [Fact]
    public void Vote_SurvivesARestart_SoNoSecondCandidateGetsItInTheSameTerm()
    {
        var storage = new InMemoryRaftStorage();
        var voter = Create(2, 3, storage);
        var first = voter.Receive(0, new RequestVoteMessage(1, 0, 0), 5);
        Assert.True(Assert.IsType<RequestVoteResponseMessage>(Assert.Single(first.Messages).Message).Granted);

        var restarted = Create(2, 3, storage);
        var second = restarted.Receive(1, new RequestVoteMessage(1, 0, 0), 5);

        Assert.False(Assert.IsType<RequestVoteResponseMessage>(Assert.Single(second.Messages).Message).Granted);
        Assert.Equal(0, restarted.VotedFor);
    }

    [Fact]
    public void RequestVote_FromACandidateWithAnOlderLastTerm_IsRefusedEvenIfItsLogIsLonger()
    {
        var follower = Create(2, 3, new InMemoryRaftStorage());
        follower.Receive(1, new AppendEntriesMessage(2, 0, 0, [Entry(1, 2)], 0, 0), 5);

        var output = follower.Receive(0, new RequestVoteMessage(3, 9, 1), 6);

        Assert.False(Assert.IsType<RequestVoteResponseMessage>(Assert.Single(output.Messages).Message).Granted);
        Assert.Equal(3, follower.CurrentTerm);
        Assert.Equal(-1, follower.VotedFor);
    }

    [Fact]
    public void AppendEntries_WithoutTheirPreviousEntry_AreRefusedWithTheLastIndexAsHint()
    {
        var follower = Create(1, 3, new InMemoryRaftStorage());

        var output = follower.Receive(0, new AppendEntriesMessage(1, 5, 1, [Entry(6, 1)], 0, 0), 5);

        Assert.Equal(new AppendEntriesResponseMessage(1, false, 0), Assert.Single(output.Messages).Message);
        Assert.Equal(0, follower.LastLogIndex);
    }

    [Fact]
    public void AppendEntries_ThatConflict_TruncateTheConflictAndEverythingAfterIt()
    {
        var storage = new InMemoryRaftStorage();
        var follower = Create(2, 3, storage);
        follower.Receive(0, new AppendEntriesMessage(1, 0, 0, [Entry(1, 1), Entry(2, 1), Entry(3, 1)], 1, 0), 5);

        var output = follower.Receive(1, new AppendEntriesMessage(2, 1, 1, [Entry(2, 2, 9)], 1, 0), 6);

        Assert.Equal(new AppendEntriesResponseMessage(2, true, 2), Assert.Single(output.Messages).Message);
        Assert.Equal(2, follower.LastLogIndex);
        Assert.Equal(2, follower.TermAt(2));
        Assert.Equal([1L, 2L], storage.Load().Entries.Select(e => e.Term));
    }

    [Fact]
    public void DuplicatedOldAppendEntries_DoNotTruncateLaterEntries()
    {
        var follower = Create(1, 3, new InMemoryRaftStorage());
        follower.Receive(0, new AppendEntriesMessage(1, 0, 0, [Entry(1, 1), Entry(2, 1)], 0, 0), 5);

        var output = follower.Receive(0, new AppendEntriesMessage(1, 0, 0, [Entry(1, 1)], 0, 0), 6);

        Assert.True(Assert.IsType<AppendEntriesResponseMessage>(Assert.Single(output.Messages).Message).Success);
        Assert.Equal(2, follower.LastLogIndex);
    }

    [Fact]
    public void Leader_DoesNotCommitAnEarlierTermsEntryByCountingReplicas()
    {
        // Figure 8: entry 2 of term 2 is on a majority once server 1 acknowledges it, yet only an entry of the
        // leader's own term may be committed by counting; the earlier one commits with it.
        var storage = new InMemoryRaftStorage();
        storage.SaveTermAndVote(2, -1);
        storage.Append([Entry(1, 1), Entry(2, 2)]);
        var leader = Leader(3, storage);
        Assert.Equal(3, leader.CurrentTerm);
        Assert.Equal(3, leader.LastLogIndex);

        var partial = leader.Receive(1, new AppendEntriesResponseMessage(3, true, 2), 300);
        Assert.Empty(partial.Committed);
        Assert.Equal(0, leader.CommitIndex);

        var full = leader.Receive(1, new AppendEntriesResponseMessage(3, true, 3), 301);
        Assert.Equal([1L, 2L, 3L], full.Committed.Select(e => e.Index));
        Assert.Equal(3, leader.CommitIndex);
    }

    [Fact]
    public void AnyMessageWithAHigherTerm_MakesTheLeaderStepDown()
    {
        var leader = Leader(3, new InMemoryRaftStorage());

        leader.Receive(2, new AppendEntriesResponseMessage(7, false, 0), 300);

        Assert.Equal(RaftRole.Follower, leader.Role);
        Assert.Equal(7, leader.CurrentTerm);
        Assert.False(leader.CanPropose);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(3)]
    public void MessagesFromSelfOrUnknownServers_AreRejected(int from)
    {
        var replica = Create(0, 3, new InMemoryRaftStorage());

        var output = replica.Receive(from, new RequestVoteMessage(1, 0, 0), 5);

        Assert.Empty(output.Messages);
        Assert.Equal(1, replica.RejectedCount);
        Assert.Contains("unknown sender", replica.LastRejection, StringComparison.Ordinal);
    }

    [Fact]
    public void MalformedAppendEntries_AreRejectedWithAReasonAndChangeNothing()
    {
        var replica = Create(1, 3, new InMemoryRaftStorage());

        var gap = replica.Receive(0, new AppendEntriesMessage(1, 0, 0, [Entry(1, 1), Entry(3, 1)], 0, 0), 5);
        var future = replica.Receive(0, new AppendEntriesMessage(1, 0, 0, [Entry(1, 2)], 0, 0), 5);
        var negative = replica.Receive(0, new AppendEntriesMessage(1, -1, 0, [], 0, 0), 5);

        Assert.Empty(gap.Messages.Concat(future.Messages).Concat(negative.Messages));
        Assert.Equal(3, replica.RejectedCount);
        Assert.Contains("negative", replica.LastRejection, StringComparison.Ordinal);
        Assert.Equal((0L, 0L), (replica.CurrentTerm, replica.LastLogIndex));
    }

    [Fact]
    public void MarkApplied_CompactsTheStorage_AndARestartResumesAtThePoint()
    {
        var storage = new InMemoryRaftStorage();
        var single = Create(0, 1, storage);
        Assert.Equal(RaftRole.Leader, single.Role);
        var output = new RaftOutput();
        single.Propose(new byte[] { 1 }, 1, output);
        single.Propose(new byte[] { 2 }, 2, output);
        Assert.Equal([2L, 3L], output.Committed.Select(e => e.Index));

        single.MarkApplied(3);

        Assert.Equal(0, storage.EntryCount);
        var restarted = new RaftReplica(0, 1, Options, storage, new Random(1));
        Assert.Equal((3L, 3L, 3L, 1L), (restarted.AppliedIndex, restarted.CommitIndex, restarted.LastLogIndex, restarted.LastLogTerm));
    }

    [Fact]
    public void FollowerBehindTheCompactionPoint_IsToldToCatchUp_AndResumesAfterInstallingTheSnapshot()
    {
        var leader = Leader(3, new InMemoryRaftStorage());
        leader.ApplicationHeight = 0;
        var committed = leader.Receive(1, new AppendEntriesResponseMessage(1, true, 1), 260);
        leader.MarkApplied(committed.Committed[^1].Index);
        var proposal = new RaftOutput();
        leader.Propose(new byte[] { 7 }, 261, proposal);
        committed = leader.Receive(1, new AppendEntriesResponseMessage(1, true, 2), 262);
        leader.MarkApplied(2);
        leader.ApplicationHeight = 1;

        // Server 2 heard nothing: it refuses the heartbeat, and the entries it lacks are gone from the leader's log.
        var follower = Create(2, 3, new InMemoryRaftStorage());
        var heartbeat = leader.Tick(400).Messages.Single(m => m.To == 2).Message;
        var refusal = follower.Receive(0, heartbeat, 400).Messages.Single().Message;
        var notice = Assert.IsType<CatchUpMessage>(leader.Receive(2, refusal, 401).Messages.Single().Message);
        Assert.Equal((2L, 1L, 1UL), (notice.SnapshotIndex, notice.SnapshotTerm, notice.LeaderHeight));

        var told = follower.Receive(0, notice, 402);
        Assert.Equal(new RaftCatchUp(0, 2, 1, 1), told.CatchUp);

        // It answers (so a leader checking its quorum counts it), and the leader does not send the notice again at once.
        var answer = Assert.IsType<AppendEntriesResponseMessage>(Assert.Single(told.Messages).Message);
        Assert.Equal(new AppendEntriesResponseMessage(1, false, 0), answer);
        Assert.Empty(leader.Receive(2, answer, 402).Messages);

        // Block sync brought the follower's store to height 1; the log restarts after the leader's point.
        follower.InstallSnapshot(2, 1);
        var accepted = follower.Receive(0, notice, 403).Messages.Single().Message;
        Assert.Equal(new AppendEntriesResponseMessage(1, true, 2), accepted);
        leader.Receive(2, accepted, 404);
        var next = new RaftOutput();
        leader.Propose(new byte[] { 8 }, 405, next);
        var append = Assert.IsType<AppendEntriesMessage>(next.Messages.Single(m => m.To == 2).Message);
        Assert.Equal((2L, 1), (append.PrevLogIndex, append.Entries.Count));
        Assert.True(Assert.IsType<AppendEntriesResponseMessage>(follower.Receive(0, append, 406).Messages.Single().Message).Success);
        Assert.Equal(3, follower.LastLogIndex);
    }
}
