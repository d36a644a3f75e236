using Trellis.Consensus.HotStuff;
using Trellis.Consensus.HotStuff.Messages;
using Trellis.Consensus.Tests.Simulation;
using Trellis.Core;

namespace Trellis.Consensus.Tests.HotStuff;

public class HotStuffReplicaTests
{
    private static readonly HotStuffOptions Options = new() { BaseTimeout = 100, MaxTimeout = 800 };
    private readonly HotStuffFixture _f = new();
    private readonly SimulatedLedger _ledger;

    public HotStuffReplicaTests() => _ledger = new SimulatedLedger(_f.Suite);

    private HotStuffReplica Replica(int index, ISafetyStorage storage, IReadOnlyList<HotStuffBlock>? chain = null) =>
        new(_f.Suite, _f.Validators, index, _f.Keys[index], _f.Genesis, Options, storage, _ledger, new SimulatedPool(), chain);

    private ProposalMessage Propose(HotStuffBlock block, int? signer = null) =>
        new(block, null, _f.SignProposal(signer ?? _f.Validators.LeaderOf(block.View), block));

    private HotStuffBlock ValidChild(HotStuffBlock parent, long view, params ulong[] txs)
    {
        var payload = SimulatedLedger.Encode(txs);
        return HotStuffBlock.Create(_f.Suite, parent, view, payload, _ledger.StateRoot(parent.StateRoot, payload), _f.Certify(parent));
    }

    [Fact]
    public void Start_TheFirstLeaderProposesOnGenesisAndSendsItsVoteToTheNextLeader()
    {
        var storage = new InMemorySafetyStorage();
        var output = Replica(1, storage).Start(0);
        var proposal = Assert.IsType<ProposalMessage>(output.Messages[0].Message);
        Assert.Equal(OutgoingMessage.Broadcast, output.Messages[0].To);
        Assert.Equal(1, proposal.Block.View);
        Assert.Equal(_f.Genesis.Hash, proposal.Block.ParentHash);
        Assert.True(_f.Rules.VerifyProposal(1, 1, proposal.Block.Hash, proposal.Signature));
        var vote = Assert.IsType<VoteMessage>(output.Messages[1].Message);
        Assert.Equal(2, output.Messages[1].To);
        Assert.True(_f.Rules.VerifyVote(1, 1, proposal.Block.Hash, vote.Signature));
        Assert.Equal(1, storage.Load()!.LastVotedView);
    }

    [Fact]
    public void Vote_IsPersistedBeforeItIsReturned()
    {
        var storage = new RecordingStorage();
        var replica = Replica(0, storage);
        replica.Start(0);
        var b1 = ValidChild(_f.Genesis, 1, 5);
        var output = replica.Receive(1, Propose(b1), 1);
        var vote = Assert.IsType<VoteMessage>(Assert.Single(output.Messages).Message);
        Assert.Equal(b1.Hash, vote.BlockHash);
        Assert.Equal([1L], storage.SavedViews);
        Assert.Equal([b1.Hash], storage.SavedBlocks);
    }

    [Fact]
    public void Proposal_WithAWrongStateRoot_GetsNoVote()
    {
        var storage = new InMemorySafetyStorage();
        var replica = Replica(0, storage);
        replica.Start(0);
        var payload = SimulatedLedger.Encode([5]);
        var lying = HotStuffBlock.Create(_f.Suite, _f.Genesis, 1, payload, Hash256.Zero, _f.GenesisQc);
        var output = replica.Receive(1, Propose(lying), 1);
        Assert.Empty(output.Messages);
        Assert.Contains("state root", replica.LastRejection);
        Assert.Null(storage.Load());
    }

    [Fact]
    public void Proposal_WithAnInvalidPayload_GetsNoVote()
    {
        var replica = Replica(0, new InMemorySafetyStorage());
        replica.Start(0);
        var payload = SimulatedLedger.Encode([SimulatedLedger.InvalidMarker | 3]);
        var invalid = HotStuffBlock.Create(_f.Suite, _f.Genesis, 1, payload, Hash256.Zero, _f.GenesisQc);
        Assert.Empty(replica.Receive(1, Propose(invalid), 1).Messages);
        Assert.Contains("payload invalid", replica.LastRejection);
    }

    [Fact]
    public void Proposal_NotSignedByTheViewsLeader_IsRejected()
    {
        var replica = Replica(0, new InMemorySafetyStorage());
        replica.Start(0);
        var b1 = ValidChild(_f.Genesis, 1);
        Assert.Empty(replica.Receive(2, Propose(b1, signer: 2), 1).Messages);
        Assert.Contains("not signed by view 1's leader 1", replica.LastRejection);
    }

    [Fact]
    public void Proposal_WithAForgedQc_IsRejected()
    {
        var replica = Replica(0, new InMemorySafetyStorage());
        replica.Start(0);
        var b1 = ValidChild(_f.Genesis, 1);
        var forged = new QuorumCertificate(1, b1.Hash, [new ValidatorSignature(0, _f.SignVote(3, 1, b1.Hash)), .. _f.Certify(b1, 1, 2).Signatures]);
        var b2 = HotStuffBlock.Create(_f.Suite, b1, 2, [], _ledger.StateRoot(b1.StateRoot, []), forged);
        replica.Receive(1, Propose(b1), 1);
        Assert.Empty(replica.Receive(2, Propose(b2), 2).Messages);
        Assert.Contains("invalid signature from validator 0", replica.LastRejection);
    }

    [Fact]
    public void RestartedReplica_ResumesAfterItsHighQc_AndFollowsTheOthersIntoTheViewItHadVotedIn()
    {
        // Validator 0 enters view 3 by a TC of view 2 carried in view 3's proposal, and votes there (for view 4's leader,
        // itself, so the vote is not sent; the restarted replica's refusal below shows it was recorded).
        var storage = new InMemorySafetyStorage();
        var first = Replica(0, storage);
        first.Start(0);
        var tc2 = TimeoutCertificate(2, 1, 2, 3);
        var b3 = ValidChild(_f.Genesis, 3, 7);
        var proposal = new ProposalMessage(b3, tc2, _f.SignProposal(_f.Validators.LeaderOf(3), b3));
        first.Receive(3, proposal, 1);
        Assert.Equal(3, first.CurrentView);
        Assert.Null(first.LastRejection);

        // Restarted, it no longer holds that TC: it resumes after its high QC (genesis) rather than in view 3, where its
        // timeouts could carry no proof the others accept, and still never votes in view 3 again.
        var restarted = Replica(0, storage);
        restarted.Start(2);
        Assert.Equal(1, restarted.CurrentView);
        Assert.Empty(restarted.Receive(3, proposal, 3).Messages);
        Assert.Contains("already voted in view 3", restarted.LastRejection);

        // The others' timeout for view 3 carries the TC that leads there, and takes it back.
        restarted.Receive(1, new TimeoutMessage(3, 1, _f.GenesisQc, tc2, _f.SignTimeout(1, 3, 0)), 4);
        Assert.Equal(3, restarted.CurrentView);
    }

    private TimeoutCertificate TimeoutCertificate(long view, params int[] signers) =>
        new(view, [.. signers.Select(v => new TimeoutSignature(v, 0, _f.SignTimeout(v, view, 0)))]);

    [Fact]
    public void RestartedReplica_NeverVotesTwiceInAView()
    {
        var storage = new InMemorySafetyStorage();
        var first = Replica(0, storage);
        first.Start(0);
        var b1 = ValidChild(_f.Genesis, 1, 1);
        Assert.Single(first.Receive(1, Propose(b1), 1).Messages);

        // Crash, restart over the same storage, and see an equivocating proposal for the same view.
        var restarted = Replica(0, storage);
        restarted.Start(2);
        Assert.Equal(b1.Hash, Assert.Single(storage.LoadBlocks()).Hash);
        var conflicting = ValidChild(_f.Genesis, 1, 2);
        Assert.Empty(restarted.Receive(1, Propose(conflicting), 3).Messages);
        Assert.Empty(restarted.Receive(1, Propose(b1), 3).Messages);
        Assert.Contains("already voted in view 1", restarted.LastRejection);
    }

    [Fact]
    public void NextLeader_FormsAQcFromAQuorumOfVotesAndProposesOnIt()
    {
        var leader2 = Replica(2, new InMemorySafetyStorage());
        leader2.Start(0);
        var b1 = ValidChild(_f.Genesis, 1, 7);
        var afterProposal = leader2.Receive(1, Propose(b1), 1);
        Assert.Empty(afterProposal.Messages); // its own vote stays local: it is the next leader
        Assert.Empty(leader2.Receive(0, new VoteMessage(1, b1.Hash, 0, _f.SignVote(0, 1, b1.Hash)), 2).Messages);
        // A forged vote (validator 3's key claiming to be validator 1) does not count.
        Assert.Empty(leader2.Receive(3, new VoteMessage(1, b1.Hash, 1, _f.SignVote(3, 1, b1.Hash)), 2).Messages);
        var output = leader2.Receive(3, new VoteMessage(1, b1.Hash, 3, _f.SignVote(3, 1, b1.Hash)), 3);
        var proposal = Assert.IsType<ProposalMessage>(output.Messages[0].Message);
        Assert.Equal(2, proposal.Block.View);
        Assert.Equal(b1.Hash, proposal.Block.Justify.BlockHash);
        Assert.True(_f.Rules.ValidateQc(proposal.Block.Justify).Passed);
        Assert.Equal(2, leader2.CurrentView);
    }

    [Fact]
    public void Replica_CommitsOnThreeChainAndReportsEveryBlockInOrder()
    {
        var replica = Replica(0, new InMemorySafetyStorage());
        replica.Start(0);
        var b1 = ValidChild(_f.Genesis, 1, 1);
        var b2 = ValidChild(b1, 2, 2);
        var b3 = ValidChild(b2, 3, 3);
        var b4 = ValidChild(b3, 4, 4);
        Assert.Empty(replica.Receive(1, Propose(b1), 1).Committed);
        Assert.Empty(replica.Receive(2, Propose(b2), 2).Committed);
        Assert.Empty(replica.Receive(3, Propose(b3), 3).Committed);
        var output = replica.Receive(0, Propose(b4), 4);
        Assert.Equal([b1.Hash], output.Committed.Select(b => b.Hash));
        Assert.Equal(b2.Hash, replica.Safety.LockedQc.BlockHash);
    }

    [Fact]
    public void Timeout_IsBroadcastWithTheHighQcAndAQuorumOfTimeoutsMovesTheView()
    {
        var replica = Replica(0, new InMemorySafetyStorage());
        replica.Start(0);
        var output = replica.Tick(100);
        var timeout = Assert.IsType<TimeoutMessage>(Assert.Single(output.Messages).Message);
        Assert.Equal((1L, 0L), (timeout.View, timeout.HighQc.View));
        Assert.Equal(1, replica.CurrentView);
        replica.Receive(2, new TimeoutMessage(1, 2, _f.GenesisQc, null, _f.SignTimeout(2, 1, 0)), 101);
        Assert.Equal(1, replica.CurrentView);
        // A timeout with a forged signature does not count toward the certificate.
        replica.Receive(3, new TimeoutMessage(1, 1, _f.GenesisQc, null, _f.SignTimeout(3, 1, 0)), 102);
        Assert.Equal(1, replica.CurrentView);
        replica.Receive(3, new TimeoutMessage(1, 3, _f.GenesisQc, null, _f.SignTimeout(3, 1, 0)), 103);
        Assert.Equal(2, replica.CurrentView);
        Assert.Equal(1, replica.Pacemaker!.ConsecutiveFailures);
    }

    [Fact]
    public void HostileMessages_AreRejectedWithoutThrowing()
    {
        var replica = Replica(0, new InMemorySafetyStorage());
        replica.Start(0);
        var b1 = ValidChild(_f.Genesis, 1);
        Assert.Empty(replica.Receive(9, Propose(b1), 1).Messages);
        Assert.Empty(replica.Receive(1, new ProposalMessage(null!, null, []), 1).Messages);
        Assert.Empty(replica.Receive(1, new VoteMessage(-5, b1.Hash, 7, []), 1).Messages);
        Assert.Empty(replica.Receive(1, new TimeoutMessage(long.MaxValue, 1, _f.GenesisQc, null, new byte[65]), 1).Messages);
        Assert.Empty(replica.Receive(1, new BlockResponseMessage([b1, null!]), 1).Messages);
        Assert.Empty(replica.Receive(1, new BlockRequestMessage(Hash256.Zero, int.MaxValue), 1).Messages);
        Assert.True(replica.RejectedCount >= 4);
    }

    private sealed class RecordingStorage : ISafetyStorage
    {
        private SafetyData? _data;

        public List<long> SavedViews { get; } = [];

        public SafetyData? Load() => _data;

        public void Save(SafetyData data)
        {
            _data = data;
            SavedViews.Add(data.LastVotedView);
        }

        public void SaveBlock(HotStuffBlock block) => SavedBlocks.Add(block.Hash);

        public IReadOnlyList<HotStuffBlock> LoadBlocks() => [];

        public List<Hash256> SavedBlocks { get; } = [];
    }
}
