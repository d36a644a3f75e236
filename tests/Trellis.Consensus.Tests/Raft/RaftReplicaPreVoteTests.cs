using Trellis.Consensus.Raft;
using Trellis.Consensus.Raft.Messages;

namespace Trellis.Consensus.Tests.Raft;

/// <summary>
/// Pre-vote and leader stickiness (Ongaro's thesis §9.6, §4.2.3) and check-quorum (§6.2) in the protocol core,
/// driven by hand. Where a test takes the option as a parameter, the "off" case shows the disruption the feature
/// prevents.
/// </summary>
public sealed class RaftReplicaPreVoteTests
{
    private static readonly RaftOptions Options = new() { ElectionTimeout = 100, HeartbeatInterval = 10, RetainedAppliedEntries = 0 };

    private static RaftReplica Create(int self, int count, InMemoryRaftStorage? storage = null, RaftOptions? options = null, RaftConfiguration? configuration = null)
    {
        var replica = new RaftReplica(self, count, options ?? Options, storage ?? new InMemoryRaftStorage(), new Random(self + 1), configuration);
        replica.Start(0);
        return replica;
    }

    private static RaftEntry Entry(long index, long term) => new(index, term, new byte[] { 1 });

    private static RequestVoteResponseMessage Answer(RaftOutput output) =>
        Assert.IsType<RequestVoteResponseMessage>(Assert.Single(output.Messages).Message);

    [Fact]
    public void ElectionTimeout_StartsAPreElection_WithoutChangingThePersistedTermOrVote()
    {
        var storage = new InMemoryRaftStorage();
        var replica = Create(0, 3, storage);

        var output = replica.Tick(250);

        Assert.True(replica.IsPreCandidate);
        Assert.Equal(RaftRole.Follower, replica.Role);
        Assert.Equal((0L, -1), (replica.CurrentTerm, replica.VotedFor));
        Assert.Equal((0L, -1), (storage.Load().Term, storage.Load().VotedFor));
        Assert.Equal([1, 2], output.Messages.Select(m => m.To));
        Assert.All(output.Messages, m => Assert.Equal(new RequestVoteMessage(1, 0, 0, PreVote: true), m.Message));
    }

    [Fact]
    public void MajorityOfPreVotes_StartsARealElectionAtTermPlusOne()
    {
        var storage = new InMemoryRaftStorage();
        var replica = Create(0, 5, storage);
        replica.Tick(250);

        var one = replica.Receive(1, new RequestVoteResponseMessage(1, true, PreVote: true), 251);
        Assert.Empty(one.Messages);
        Assert.True(replica.IsPreCandidate);
        Assert.Equal(0, storage.Load().Term);

        var two = replica.Receive(2, new RequestVoteResponseMessage(1, true, PreVote: true), 252);

        Assert.False(replica.IsPreCandidate);
        Assert.Equal(RaftRole.Candidate, replica.Role);
        Assert.Equal((1L, 0), (storage.Load().Term, storage.Load().VotedFor));
        Assert.Equal([1, 2, 3, 4], two.Messages.Select(m => m.To));
        Assert.All(two.Messages, m => Assert.Equal(new RequestVoteMessage(1, 0, 0), m.Message));
    }

    [Fact]
    public void PreVotes_OfAJointConfiguration_NeedAMajorityOfBothSets()
    {
        var replica = Create(0, 5, configuration: new RaftConfiguration([0, 1, 2], [0, 3, 4]));
        var request = replica.Tick(250);
        Assert.Equal([1, 2, 3, 4], request.Messages.Select(m => m.To).Order());

        replica.Receive(1, new RequestVoteResponseMessage(1, true, PreVote: true), 251);
        replica.Receive(2, new RequestVoteResponseMessage(1, true, PreVote: true), 252);
        Assert.True(replica.IsPreCandidate);
        Assert.Equal(0, replica.CurrentTerm);

        replica.Receive(3, new RequestVoteResponseMessage(1, true, PreVote: true), 253);
        Assert.Equal(RaftRole.Candidate, replica.Role);
        Assert.Equal(1, replica.CurrentTerm);
    }

    [Fact]
    public void PreVote_IsRefused_WhileTheReceiverHearsFromALeader_AndChangesNothing()
    {
        var storage = new InMemoryRaftStorage();
        var follower = Create(2, 3, storage);
        follower.Receive(0, new AppendEntriesMessage(1, 0, 0, [], 0, 0), 10);

        var refused = Answer(follower.Receive(1, new RequestVoteMessage(2, 0, 0, PreVote: true), 60));

        Assert.Equal(new RequestVoteResponseMessage(1, false, PreVote: true), refused);
        Assert.Equal((1L, -1, 0), (follower.CurrentTerm, follower.VotedFor, follower.Leader));

        // One least election timeout after the leader was last heard, the same request is granted: still no change.
        var granted = Answer(follower.Receive(1, new RequestVoteMessage(2, 0, 0, PreVote: true), 110));
        Assert.Equal(new RequestVoteResponseMessage(2, true, PreVote: true), granted);
        Assert.Equal((1L, -1), (follower.CurrentTerm, follower.VotedFor));
        Assert.Equal((1L, -1), (storage.Load().Term, storage.Load().VotedFor));

        // Nor did it reset the timer: the follower's own election (due by 10 + 2 × 100) still comes on time.
        follower.Tick(210);
        Assert.True(follower.IsPreCandidate);
    }

    [Fact]
    public void PreVote_IsRefused_WhenTheCandidatesLogIsBehind()
    {
        var follower = Create(2, 3);
        follower.Receive(0, new AppendEntriesMessage(1, 0, 0, [Entry(1, 1)], 0, 0), 5);

        var behind = Answer(follower.Receive(1, new RequestVoteMessage(2, 0, 0, PreVote: true), 300));
        var current = Answer(follower.Receive(1, new RequestVoteMessage(2, 1, 1, PreVote: true), 300));

        Assert.Equal(new RequestVoteResponseMessage(1, false, PreVote: true), behind);
        Assert.True(current.Granted);
        Assert.Equal(1, follower.CurrentTerm);
    }

    [Fact]
    public void GrantedPreVote_DoesNotRaiseTheRequestersTerm_ButARefusalsRealHigherTermIsAdopted()
    {
        var storage = new InMemoryRaftStorage();
        var replica = Create(0, 3, storage);
        replica.Tick(250);

        // A granted pre-vote for a term beyond the next one cannot be real: it changes nothing.
        replica.Receive(1, new RequestVoteResponseMessage(9, true, PreVote: true), 251);
        Assert.Equal(0, replica.CurrentTerm);
        Assert.True(replica.IsPreCandidate);

        replica.Receive(2, new RequestVoteResponseMessage(4, false, PreVote: true), 252);
        Assert.Equal(4, replica.CurrentTerm);
        Assert.Equal(4, storage.Load().Term);
        Assert.False(replica.IsPreCandidate);
        Assert.Equal(RaftRole.Follower, replica.Role);
    }

    [Fact]
    public void PreVoteRequest_WithAHigherTerm_DoesNotChangeTheReceiversTerm()
    {
        var storage = new InMemoryRaftStorage();
        var receiver = Create(1, 3, storage);

        var granted = Answer(receiver.Receive(0, new RequestVoteMessage(7, 0, 0, PreVote: true), 5));

        Assert.Equal(new RequestVoteResponseMessage(7, true, PreVote: true), granted);
        Assert.Equal((0L, -1), (receiver.CurrentTerm, receiver.VotedFor));
        Assert.Equal((0L, -1), (storage.Load().Term, storage.Load().VotedFor));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void VoteRequestOfAHigherTerm_IsIgnoredWhileALeaderIsHeard(bool preVote)
    {
        var follower = Create(2, 3, options: Options with { PreVote = preVote });
        follower.Receive(0, new AppendEntriesMessage(1, 0, 0, [Entry(1, 1)], 0, 0), 10);

        var output = follower.Receive(1, new RequestVoteMessage(5, 1, 1), 50);

        if (preVote)
        {
            Assert.Empty(output.Messages);
            Assert.Equal((1L, 0), (follower.CurrentTerm, follower.Leader));
        }
        else
        {
            Assert.True(Answer(output).Granted);
            Assert.Equal((5L, 1), (follower.CurrentTerm, follower.VotedFor));
        }
    }

    [Fact]
    public void Leader_IgnoresVoteRequestsOfHigherTerms()
    {
        var leader = ElectedLeader(Create(0, 3));

        var output = leader.Receive(2, new RequestVoteMessage(9, 5, 1), 260);

        Assert.Empty(output.Messages);
        Assert.Equal((RaftRole.Leader, 1L), (leader.Role, leader.CurrentTerm));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void RejoiningPartitionedFollower_WithManyElectionTimeouts_RaisesTheClustersTermOnlyWithoutPreVote(bool preVote)
    {
        var cluster = new HandCluster(3, Options with { PreVote = preVote });
        cluster.RunUntil(1000);
        int leader = cluster.LeaderIndex();
        Assert.True(leader >= 0, "no leader elected");
        long term = cluster.Replicas[leader].CurrentTerm;
        int isolated = (leader + 1) % 3;

        cluster.Isolated.Add(isolated);
        cluster.RunUntil(3000); // about twenty of the isolated server's election timeouts
        cluster.Isolated.Clear();
        cluster.RunUntil(4000);

        if (preVote)
        {
            Assert.Equal(term, cluster.Replicas[isolated].CurrentTerm);
            Assert.Equal(leader, cluster.LeaderIndex());
            Assert.All(cluster.Replicas, r => Assert.Equal(term, r.CurrentTerm));
        }
        else
        {
            Assert.True(cluster.Replicas[leader].CurrentTerm > term + 5, $"term {cluster.Replicas[leader].CurrentTerm} after {term}");
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void RemovedServerThatMissedItsRemoval_DisruptsTheOthersOnlyWithoutPreVote(bool preVote)
    {
        // Server 3 was partitioned when it was removed: it still believes in {0, 1, 2, 3}; the others moved on to
        // {0, 1, 2} and never send to it again. It comes back at t = 2000.
        var options = Options with { PreVote = preVote };
        var cluster = new HandCluster(4, options, new RaftConfiguration([0, 1, 2]), excluded: 3);
        cluster.Isolated.Add(3);
        cluster.RunUntil(1000);
        int leader = cluster.LeaderIndex();
        Assert.True(leader is >= 0 and < 3, "no leader elected among {0, 1, 2}");
        long term = cluster.Replicas[leader].CurrentTerm;

        cluster.RunUntil(2000);
        cluster.Isolated.Clear();
        cluster.RunUntil(4000);

        if (preVote)
        {
            Assert.Equal(leader, cluster.LeaderIndex());
            Assert.Equal(term, cluster.Replicas[leader].CurrentTerm);
            Assert.True(cluster.Replicas[3].CurrentTerm <= term);
        }
        else
        {
            Assert.True(cluster.Replicas[0].CurrentTerm > term + 5, $"term {cluster.Replicas[0].CurrentTerm} after {term}");
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void LeaderCutOffFromTheMajority_StepsDownAfterAnElectionTimeoutOnlyWithCheckQuorum(bool checkQuorum)
    {
        var leader = ElectedLeader(Create(0, 3, options: Options with { CheckQuorum = checkQuorum }));

        // Server 1 answers until t = 300; then nothing arrives. 300 + two checks of 100 covers any phase.
        for (long t = 260; t <= 300; t += 10)
        {
            leader.Tick(t);
            leader.Receive(1, new AppendEntriesResponseMessage(1, true, 1), t);
        }

        for (long t = 310; t <= 510; t += 10)
        {
            leader.Tick(t);
        }

        var proposal = new RaftOutput();
        long index = leader.Propose(new byte[] { 5 }, 510, proposal);
        if (checkQuorum)
        {
            Assert.Equal(RaftRole.Follower, leader.Role);
            Assert.Equal(1, leader.CurrentTerm);
            Assert.Equal(-1, leader.Leader);
            Assert.False(leader.CanPropose);
            Assert.Equal(-1, index);
        }
        else
        {
            Assert.Equal(RaftRole.Leader, leader.Role);
            Assert.True(index > 0);
        }
    }

    [Fact]
    public void LeaderHearingFromAMajority_KeepsLeading()
    {
        var leader = ElectedLeader(Create(0, 3));

        for (long t = 260; t <= 1000; t += 10)
        {
            leader.Tick(t);
            leader.Receive(2, new AppendEntriesResponseMessage(1, true, 1), t);
        }

        Assert.Equal(RaftRole.Leader, leader.Role);
    }

    [Fact]
    public void FollowerToldToCatchUp_StillCountsForTheLeadersQuorum()
    {
        var leader = ElectedLeader(Create(0, 3));
        var follower = Create(1, 3);

        // Server 1 only ever gets catch-up notices (it cannot hold the point), yet it answers each.
        var notice = new CatchUpMessage(1, 1, 1, 1);
        for (long t = 260; t <= 1000; t += 10)
        {
            leader.Tick(t);
            var told = follower.Receive(0, notice, t);
            Assert.NotNull(told.CatchUp);
            leader.Receive(1, Assert.Single(told.Messages).Message, t);
        }

        Assert.Equal(RaftRole.Leader, leader.Role);
    }

    // Server 0 of {0, 1, 2} after a pre-vote and a vote from server 1: leader of term 1 at t = 250.
    private static RaftReplica ElectedLeader(RaftReplica replica)
    {
        replica.Tick(250);
        replica.Receive(1, new RequestVoteResponseMessage(1, true, PreVote: true), 250);
        replica.Receive(1, new RequestVoteResponseMessage(1, true), 250);
        Assert.Equal(RaftRole.Leader, replica.Role);
        return replica;
    }

    /// <summary>Replicas exchanging messages instantly (through the codec), ticked every 10 ms; isolated ones hear and say nothing.</summary>
    private sealed class HandCluster
    {
        private readonly Queue<(int From, int To, byte[] Bytes)> _queue = new();
        private long _now;

        public HandCluster(int count, RaftOptions options, RaftConfiguration? configuration = null, int excluded = -1)
        {
            Replicas = new RaftReplica[count];
            for (int i = 0; i < count; i++)
            {
                // The excluded server keeps the configuration of every server (it missed the change).
                var replica = new RaftReplica(i, count, options, new InMemoryRaftStorage(), new Random(i + 7), i == excluded ? null : configuration);
                Replicas[i] = replica;
                Enqueue(i, replica.Start(0));
            }

            Deliver();
        }

        public RaftReplica[] Replicas { get; }

        public HashSet<int> Isolated { get; } = [];

        public void RunUntil(long end)
        {
            while (_now < end)
            {
                _now += 10;
                for (int i = 0; i < Replicas.Length; i++)
                {
                    Enqueue(i, Replicas[i].Tick(_now));
                }

                Deliver();
            }
        }

        public int LeaderIndex()
        {
            long best = -1;
            int leader = -1;
            for (int i = 0; i < Replicas.Length; i++)
            {
                if (Replicas[i].Role == RaftRole.Leader && Replicas[i].CurrentTerm > best)
                {
                    best = Replicas[i].CurrentTerm;
                    leader = i;
                }
            }

            return leader;
        }

        private void Enqueue(int from, RaftOutput output)
        {
            foreach (var message in output.Messages)
            {
                _queue.Enqueue((from, message.To, RaftMessageCodec.Encode(message.Message)));
            }

            // Everything committed is applied at once, as a driver would.
            if (output.Committed.Count > 0)
            {
                Replicas[from].MarkApplied(output.Committed[^1].Index);
            }
        }

        private void Deliver()
        {
            while (_queue.TryDequeue(out var item))
            {
                if (Isolated.Contains(item.From) || Isolated.Contains(item.To))
                {
                    continue;
                }

                Assert.True(RaftMessageCodec.TryDecode(item.Bytes, out var message, out string? error), error);
                Enqueue(item.To, Replicas[item.To].Receive(item.From, message!, _now));
            }
        }
    }
}
