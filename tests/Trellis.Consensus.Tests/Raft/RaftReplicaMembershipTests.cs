using Trellis.Consensus.Raft;
using Trellis.Consensus.Raft.Messages;

namespace Trellis.Consensus.Tests.Raft;

/// <summary>
/// Per-entry configurations in the protocol core, driven by hand: majorities are counted in the configuration an
/// entry was appended under (both lists when joint), non-voters neither vote nor stand, a removed leader steps down
/// once its log is committed, and with one proposal in flight a follower applies everything before its last block.
/// </summary>
public sealed class RaftReplicaMembershipTests
{
    // Elections are driven by hand with real votes; pre-vote and check-quorum have their own tests (RaftReplicaPreVoteTests).
    private static readonly RaftOptions Options = new() { ElectionTimeout = 100, HeartbeatInterval = 10, RetainedAppliedEntries = 0, OneProposalInFlight = true, PreVote = false, CheckQuorum = false };

    private static RaftReplica Create(int self, int count, RaftConfiguration? configuration = null)
    {
        var replica = new RaftReplica(self, count, Options, new InMemoryRaftStorage(), new Random(self + 1), configuration);
        replica.Start(0);
        return replica;
    }

    // Server 0 of {0, 1, 2} elected in term 1, its no-op committed by server 1 and applied.
    private static RaftReplica Leader(int count = 3, RaftConfiguration? configuration = null)
    {
        var replica = Create(0, count, configuration);
        replica.Tick(250);
        replica.Receive(1, new RequestVoteResponseMessage(1, true), 250);
        Assert.Equal(RaftRole.Leader, replica.Role);
        var output = replica.Receive(1, new AppendEntriesResponseMessage(1, true, 1), 251);
        Assert.Equal(1, replica.CommitIndex);
        replica.MarkApplied(output.Committed[^1].Index);
        Assert.True(replica.CanPropose);
        return replica;
    }

    [Fact]
    public void Configuration_MajorityOfEachListIsNeeded()
    {
        var single = new RaftConfiguration([0, 1, 2]);
        Assert.True(single.HasQuorum(id => id is 0 or 2));
        Assert.False(single.HasQuorum(id => id == 1));
        var joint = new RaftConfiguration([3, 4, 5], [0, 1, 2]);
        Assert.False(joint.HasQuorum(id => id is 3 or 4), "new majority without the old");
        Assert.False(joint.HasQuorum(id => id is 0 or 1), "old majority without the new");
        Assert.True(joint.HasQuorum(id => id is 0 or 1 or 3 or 4));
        Assert.Equal([3, 4, 5, 0, 1, 2], joint.Members());
        Assert.Equal(5, joint.MaxId);
        Assert.Throws<ArgumentException>(() => new RaftConfiguration([]));
        Assert.Throws<ArgumentException>(() => new RaftConfiguration([1, 1]));
        Assert.Throws<ArgumentException>(() => new RaftConfiguration([0, -1]));
    }

    [Fact]
    public void AddedServer_ItsAcknowledgementIsNeededForAnEntryOfTheLargerConfiguration()
    {
        var leader = Leader();

        // The next block's voters are {0, 1, 2, 3}: a majority is three.
        leader.SetConfiguration(new RaftConfiguration([0, 1, 2, 3]));
        long index = leader.Propose(new byte[] { 7 }, 300, new RaftOutput());
        Assert.Equal(2, index);
        var replicated = leader.Tick(320);
        Assert.Contains(replicated.Messages, m => m.To == 3);
        leader.Receive(1, new AppendEntriesResponseMessage(1, true, 2), 330);
        Assert.Equal(1, leader.CommitIndex);
        leader.Receive(3, new AppendEntriesResponseMessage(1, true, 2), 331);
        Assert.Equal(2, leader.CommitIndex);
    }

    [Fact]
    public void RemovedServer_ItsAcknowledgementDoesNotCount()
    {
        var leader = Leader();
        leader.SetConfiguration(new RaftConfiguration([0, 1]));
        leader.Propose(new byte[] { 7 }, 300, new RaftOutput());
        var replicated = leader.Tick(320);
        Assert.DoesNotContain(replicated.Messages, m => m.To == 2);
        leader.Receive(2, new AppendEntriesResponseMessage(1, true, 2), 330);
        Assert.Equal(1, leader.CommitIndex);
        leader.Receive(1, new AppendEntriesResponseMessage(1, true, 2), 331);
        Assert.Equal(2, leader.CommitIndex);
    }

    [Fact]
    public void JointEntry_NeedsTheOldAndTheNewMajority()
    {
        var leader = Leader(6, new RaftConfiguration([0, 1, 2]));

        // {0, 1, 2} -> {0, 3, 4}: two servers change at once, so the entry is joint.
        leader.SetConfiguration(new RaftConfiguration([0, 3, 4], [0, 1, 2]));
        leader.Propose(new byte[] { 7 }, 300, new RaftOutput());
        leader.Receive(3, new AppendEntriesResponseMessage(1, true, 2), 330);
        Assert.Equal(1, leader.CommitIndex);
        leader.Receive(4, new AppendEntriesResponseMessage(1, true, 2), 331);
        Assert.Equal(1, leader.CommitIndex);
        leader.Receive(2, new AppendEntriesResponseMessage(1, true, 2), 332);
        Assert.Equal(2, leader.CommitIndex);
    }

    [Fact]
    public void RemovedLeader_StepsDownOnlyOnceItsLastEntryIsCommitted()
    {
        var leader = Leader();
        leader.Propose(new byte[] { 7 }, 300, new RaftOutput());

        // The block just appended removes the leader from the next set; it stays to commit that block.
        leader.SetConfiguration(new RaftConfiguration([1, 2]));
        Assert.Equal(RaftRole.Leader, leader.Role);
        Assert.False(leader.CanPropose);
        var output = leader.Receive(1, new AppendEntriesResponseMessage(1, true, 2), 330);
        Assert.Equal(2, leader.CommitIndex);
        Assert.Equal(RaftRole.Leader, leader.Role);
        leader.MarkApplied(output.Committed[^1].Index);
        Assert.Equal(RaftRole.Follower, leader.Role);

        // Not a voter: it never stands for election again.
        Assert.Empty(leader.Tick(10_000).Messages);
        Assert.Equal(RaftRole.Follower, leader.Role);
    }

    [Fact]
    public void NonVoter_DoesNotGrantVotesOrStartElections()
    {
        var replica = Create(3, 4, new RaftConfiguration([0, 1, 2]));
        Assert.False(replica.IsVoter);
        Assert.Empty(replica.Tick(1000).Messages);
        Assert.Equal(RaftRole.Follower, replica.Role);
        var answer = replica.Receive(0, new RequestVoteMessage(1, 0, 0), 1001);
        var response = Assert.IsType<RequestVoteResponseMessage>(Assert.Single(answer.Messages).Message);
        Assert.False(response.Granted);

        // Once the configuration names it, it votes.
        replica.SetConfiguration(new RaftConfiguration([0, 1, 2, 3]));
        Assert.True(replica.IsVoter);
        answer = replica.Receive(1, new RequestVoteMessage(2, 0, 0), 1002);
        Assert.True(Assert.IsType<RequestVoteResponseMessage>(Assert.Single(answer.Messages).Message).Granted);
    }

    [Fact]
    public void Candidate_CountsVotesInItsElectionConfiguration()
    {
        var replica = Create(0, 5, new RaftConfiguration([0, 1, 2, 3, 4]));
        var request = replica.Tick(250);
        Assert.Equal([1, 2, 3, 4], request.Messages.Select(m => m.To));
        replica.Receive(1, new RequestVoteResponseMessage(1, true), 251);
        Assert.Equal(RaftRole.Candidate, replica.Role);
        replica.Receive(2, new RequestVoteResponseMessage(1, true), 252);
        Assert.Equal(RaftRole.Leader, replica.Role);
    }

    [Fact]
    public void Follower_WithOneProposalInFlight_AppliesEverythingBeforeItsLastBlock()
    {
        var follower = Create(1, 3);

        // The leader's commit index says nothing is committed, but the block at 3 was proposed only after 1 and 2 were.
        RaftEntry[] entries = [new(1, 1, ReadOnlyMemory<byte>.Empty), new(2, 1, new byte[] { 1 }), new(3, 1, new byte[] { 2 })];
        var output = follower.Receive(0, new AppendEntriesMessage(1, 0, 0, entries, 0, 0), 10);
        Assert.Equal([1L, 2L], output.Committed.Select(e => e.Index));
        Assert.Equal(2, follower.CommitIndex);

        // A trailing no-op does not move it.
        output = follower.Receive(0, new AppendEntriesMessage(1, 3, 1, [new(4, 1, ReadOnlyMemory<byte>.Empty)], 0, 0), 11);
        Assert.Empty(output.Committed);
    }

    [Fact]
    public void Receive_FromAnIdNoConfigurationNamed_IsRejected()
    {
        var replica = Create(0, 3);
        replica.Receive(7, new RequestVoteMessage(1, 0, 0), 1);
        Assert.Equal(1, replica.RejectedCount);
        replica.SetConfiguration(new RaftConfiguration([0, 1, 7]));
        var answer = replica.Receive(7, new RequestVoteMessage(1, 0, 0), 2);
        Assert.Single(answer.Messages);
        Assert.Equal(1, replica.RejectedCount);
        Assert.Throws<ArgumentException>(() => replica.SetConfiguration(new RaftConfiguration([0, RaftReplica.MaxServerId + 1])));
    }
}
