using Trellis.Consensus.HotStuff;
using Trellis.Core;

namespace Trellis.Consensus.Tests.HotStuff;

public class SafetyRulesTests
{
    private readonly HotStuffFixture _f = new();

    [Fact]
    public void ValidateQc_AcceptsAQuorumOfDistinctValidSignatures()
    {
        var b1 = _f.Child(_f.Genesis, 1);
        Assert.True(_f.Rules.ValidateQc(_f.Certify(b1, 0, 1, 2)).Passed);
        Assert.True(_f.Rules.ValidateQc(_f.Certify(b1, 3, 1, 0, 2)).Passed);
    }

    [Fact]
    public void ValidateQc_RejectsFewerThanAQuorum()
    {
        var b1 = _f.Child(_f.Genesis, 1);
        var check = _f.Rules.ValidateQc(_f.Certify(b1, 0, 1));
        Assert.False(check.Passed);
        Assert.Contains("quorum is 3 of 4", check.Reason);
    }

    [Fact]
    public void ValidateQc_RejectsAValidatorCountedTwice()
    {
        var b1 = _f.Child(_f.Genesis, 1);
        var check = _f.Rules.ValidateQc(_f.Certify(b1, 0, 1, 1));
        Assert.False(check.Passed);
        Assert.Contains("twice", check.Reason);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(-1)]
    [InlineData(int.MaxValue)]
    public void ValidateQc_RejectsUnknownValidators(int signer)
    {
        var b1 = _f.Child(_f.Genesis, 1);
        var good = _f.Certify(b1, 0, 1);
        var qc = new QuorumCertificate(b1.View, b1.Hash, [.. good.Signatures, new ValidatorSignature(signer, good.Signatures[0].Signature)]);
        var check = _f.Rules.ValidateQc(qc);
        Assert.False(check.Passed);
        Assert.Contains("not a validator", check.Reason);
    }

    [Fact]
    public void ValidateQc_RejectsASignatureByTheWrongKey()
    {
        var b1 = _f.Child(_f.Genesis, 1);
        // Validator 3 signs but the QC claims the signature is validator 2's: a forgery.
        var forged = new ValidatorSignature(2, _f.SignVote(3, b1.View, b1.Hash));
        var qc = new QuorumCertificate(b1.View, b1.Hash, [_f.Certify(b1, 0).Signatures[0], _f.Certify(b1, 1).Signatures[0], forged]);
        var check = _f.Rules.ValidateQc(qc);
        Assert.False(check.Passed);
        Assert.Contains("invalid signature from validator 2", check.Reason);
    }

    [Fact]
    public void ValidateQc_RejectsVotesForAnotherViewOrBlock()
    {
        var b1 = _f.Child(_f.Genesis, 1);
        var votesForView1 = _f.Certify(b1);
        Assert.False(_f.Rules.ValidateQc(new QuorumCertificate(2, b1.Hash, votesForView1.Signatures)).Passed);
        Assert.False(_f.Rules.ValidateQc(new QuorumCertificate(1, _f.Genesis.Hash, votesForView1.Signatures)).Passed);
    }

    [Fact]
    public void ValidateQc_RejectsVotesFromAnotherChain()
    {
        var other = new HotStuffFixture(genesisSeed: 7);
        var b1 = other.Child(other.Genesis, 1);
        Assert.True(other.Rules.ValidateQc(other.Certify(b1)).Passed);
        Assert.False(_f.Rules.ValidateQc(other.Certify(b1)).Passed);
    }

    [Fact]
    public void ValidateQc_RejectsGarbageSignatureBytes()
    {
        var b1 = _f.Child(_f.Genesis, 1);
        var qc = new QuorumCertificate(1, b1.Hash, [new ValidatorSignature(0, []), new ValidatorSignature(1, new byte[65]), new ValidatorSignature(2, new byte[3000])]);
        Assert.False(_f.Rules.ValidateQc(qc).Passed);
    }

    [Fact]
    public void ValidateQc_AcceptsTheGenesisQcOnlyForThisGenesis()
    {
        Assert.True(_f.Rules.ValidateQc(_f.GenesisQc).Passed);
        Assert.False(_f.Rules.ValidateQc(QuorumCertificate.ForGenesis(Hash256.Zero)).Passed);
        Assert.False(_f.Rules.ValidateQc(new QuorumCertificate(-3, _f.Genesis.Hash, [])).Passed);
    }

    [Fact]
    public void ValidateTc_NeedsAQuorumOfValidTimeoutsWithHighQcViewsBelowTheView()
    {
        TimeoutSignature T(int v, long view, long high) => new(v, high, _f.SignTimeout(v, view, high));
        Assert.True(_f.Rules.ValidateTc(new TimeoutCertificate(5, [T(0, 5, 3), T(1, 5, 4), T(3, 5, 0)])).Passed);
        Assert.False(_f.Rules.ValidateTc(new TimeoutCertificate(5, [T(0, 5, 3), T(1, 5, 4)])).Passed);
        Assert.False(_f.Rules.ValidateTc(new TimeoutCertificate(5, [T(0, 5, 3), T(1, 5, 5), T(3, 5, 0)])).Passed);
        Assert.False(_f.Rules.ValidateTc(new TimeoutCertificate(6, [T(0, 5, 3), T(1, 5, 4), T(3, 5, 0)])).Passed);
        // A signature whose high QC view was altered no longer verifies.
        var altered = new TimeoutSignature(3, 1, _f.SignTimeout(3, 5, 0));
        Assert.False(_f.Rules.ValidateTc(new TimeoutCertificate(5, [T(0, 5, 3), T(1, 5, 4), altered])).Passed);
    }

    [Fact]
    public void CheckVote_RefusesASecondVoteInAViewAndAnyEarlierView()
    {
        var b1 = _f.Child(_f.Genesis, 1);
        var b1Conflicting = _f.Child(_f.Genesis, 1, payloadTag: 9);
        var tree = _f.Tree(b1, b1Conflicting);
        var safety = SafetyData.Initial(_f.Genesis);
        Assert.True(SafetyRules.CheckVote(safety, b1, tree).Passed);
        var voted = safety with { LastVotedView = 1 };
        var again = SafetyRules.CheckVote(voted, b1Conflicting, tree);
        Assert.False(again.Passed);
        Assert.Contains("already voted in view 1", again.Reason);
        Assert.False(SafetyRules.CheckVote(safety with { LastVotedView = 5 }, b1, tree).Passed);
    }

    [Fact]
    public void IsSafeNode_AcceptsBlocksExtendingTheLock()
    {
        var b1 = _f.Child(_f.Genesis, 1);
        var b2 = _f.Child(b1, 2);
        var b3 = _f.Child(b2, 3);
        var tree = _f.Tree(b1, b2, b3);
        Assert.True(SafetyRules.IsSafeNode(b3, _f.Certify(b1), tree));
        Assert.True(SafetyRules.IsSafeNode(b2, _f.Certify(b1), tree));
    }

    [Fact]
    public void IsSafeNode_RefusesAConflictingBranchWithAnOlderQc()
    {
        // Locked on b2 (view 2); a leader proposes b4 in view 4 on b1's QC (view 1): it forks away from the lock.
        var b1 = _f.Child(_f.Genesis, 1);
        var b2 = _f.Child(b1, 2);
        var b4 = _f.Child(b1, 4, payloadTag: 4);
        var tree = _f.Tree(b1, b2, b4);
        Assert.False(SafetyRules.IsSafeNode(b4, _f.Certify(b2), tree));
        var check = SafetyRules.CheckVote(new SafetyData(3, _f.Certify(b2), _f.Certify(b2)), b4, tree);
        Assert.False(check.Passed);
        Assert.Contains("neither extends the locked block", check.Reason);
    }

    [Fact]
    public void IsSafeNode_AcceptsAConflictingBranchWhoseQcIsNewerThanTheLock()
    {
        // Liveness rule: locked on b1 (view 1), but a quorum certified b3 (view 3) on another branch.
        var b1 = _f.Child(_f.Genesis, 1);
        var b2 = _f.Child(_f.Genesis, 2, payloadTag: 2);
        var b3 = _f.Child(b2, 3);
        var b4 = _f.Child(b3, 4);
        var tree = _f.Tree(b1, b2, b3, b4);
        Assert.True(SafetyRules.IsSafeNode(b4, _f.Certify(b1), tree));
    }

    [Fact]
    public void FindNewLock_LocksTheBlockTwoLinksBack()
    {
        var b1 = _f.Child(_f.Genesis, 1);
        var b2 = _f.Child(b1, 2);
        var b3 = _f.Child(b2, 3);
        var tree = _f.Tree(b1, b2, b3);
        // b3 carries QC(b2); b2 carries QC(b1): the two-chain b1 <- b2 locks b1.
        var lockedQc = SafetyRules.FindNewLock(_f.GenesisQc, b3, tree);
        Assert.NotNull(lockedQc);
        Assert.Equal(b1.Hash, lockedQc.BlockHash);
        Assert.Null(SafetyRules.FindNewLock(lockedQc, b3, tree));
        Assert.Null(SafetyRules.FindNewLock(_f.GenesisQc, b1, tree));
    }

    [Fact]
    public void FindCommit_CommitsOnAThreeChainOfConsecutiveViews()
    {
        var b1 = _f.Child(_f.Genesis, 1);
        var b2 = _f.Child(b1, 2);
        var b3 = _f.Child(b2, 3);
        var b4 = _f.Child(b3, 4);
        var tree = _f.Tree(b1, b2, b3, b4);
        Assert.Null(SafetyRules.FindCommit(b3, tree));
        Assert.Equal(b1.Hash, SafetyRules.FindCommit(b4, tree)?.Hash);
    }

    [Fact]
    public void FindCommit_AcceptsAnyLaterViewForTheBlockCarryingTheLastQc()
    {
        // The QC of b3 may arrive in any later view (b* need not be b3's direct successor).
        var b1 = _f.Child(_f.Genesis, 1);
        var b2 = _f.Child(b1, 2);
        var b3 = _f.Child(b2, 3);
        var b9 = _f.Child(b3, 9);
        Assert.Equal(b1.Hash, SafetyRules.FindCommit(b9, _f.Tree(b1, b2, b3, b9))?.Hash);
    }

    [Theory]
    [InlineData(1, 2, 4)]
    [InlineData(1, 3, 4)]
    [InlineData(2, 4, 6)]
    public void FindCommit_RequiresConsecutiveViews(long v1, long v2, long v3)
    {
        var b1 = _f.Child(_f.Genesis, v1);
        var b2 = _f.Child(b1, v2);
        var b3 = _f.Child(b2, v3);
        var b4 = _f.Child(b3, v3 + 1);
        Assert.Null(SafetyRules.FindCommit(b4, _f.Tree(b1, b2, b3, b4)));
    }

    [Fact]
    public void FindCommit_IgnoresChainsWithMissingBlocks()
    {
        var b1 = _f.Child(_f.Genesis, 1);
        var b2 = _f.Child(b1, 2);
        var b3 = _f.Child(b2, 3);
        var b4 = _f.Child(b3, 4);
        var tree = new BlockTree(_f.Genesis);
        Assert.Null(SafetyRules.FindCommit(b4, tree));
    }

    [Fact]
    public void Higher_PicksTheLaterView()
    {
        var b1 = _f.Child(_f.Genesis, 1);
        var qc1 = _f.Certify(b1);
        Assert.Same(qc1, SafetyRules.Higher(_f.GenesisQc, qc1));
        Assert.Same(qc1, SafetyRules.Higher(qc1, _f.GenesisQc));
    }
}
