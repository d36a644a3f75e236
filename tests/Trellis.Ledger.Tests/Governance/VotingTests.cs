using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using Trellis.Ledger.Execution;
using Trellis.Ledger.Governance;

namespace Trellis.Ledger.Tests.Governance;

/// <summary>Thresholds, one vote per member, who may vote, expiry, rejection and explicit execution.</summary>
public sealed class VotingTests
{
    [Fact]
    public void Passes_ExactlyTwoThirdsDoesNotPassAndMoreDoes()
    {
        Assert.False(ProposalsContract.Passes(2, 3, 2, 3));
        Assert.True(ProposalsContract.Passes(3, 3, 2, 3));
        Assert.False(ProposalsContract.Passes(4, 6, 2, 3));
        Assert.True(ProposalsContract.Passes(5, 6, 2, 3));
        Assert.True(ProposalsContract.Passes(7, 10, 2, 3));
        Assert.False(ProposalsContract.Passes(66, 99, 2, 3));
        Assert.True(ProposalsContract.Passes(ulong.MaxValue, ulong.MaxValue, 999_999, 1_000_000));
    }

    [Fact]
    public void Passes_AgreesWithExactRationalComparison()
    {
        // yes / total > numerator / denominator, compared exactly in BigInteger arithmetic.
        Prop.ForAll(
            ArbMap.Default.ArbFor<(ulong, ulong, ulong, ulong)>(),
            values =>
            {
                (ulong yes, ulong total, ulong numerator, ulong denominator) = values;
                bool expected = new BigInteger(yes) * denominator > new BigInteger(total) * numerator;
                return ProposalsContract.Passes(yes, total, numerator, denominator) == expected;
            }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Vote_ThreeEqualMembersNeedAllThree()
    {
        using var chain = new GovernanceChain();

        chain.Propose(0, "proposeSetPermissioned", true);
        ExecutedTransaction second = chain.Vote(1, 1);

        // Two of three is exactly 2/3: not more than the threshold.
        GovernanceProposal open = chain.State.GetProposal(1, chain.Height)!;
        Assert.Equal((ProposalStatus.Open, 2UL, 0UL), (open.Status, open.YesWeight, open.NoWeight));
        Assert.DoesNotContain(GovernanceChain.Events(second), e => e.Event.Name == "ProposalExecuted");
        Assert.False(chain.State.IsPermissioned);

        chain.Vote(2, 1);
        Assert.True(chain.State.IsPermissioned);
    }

    [Fact]
    public void Vote_WeightsDecide()
    {
        using var chain = new GovernanceChain(members: 4);
        chain.Pass("proposeSetMemberWeight", "org1", 3UL);
        Assert.Equal(6UL, chain.State.TotalWeight);

        // org1 (3) + org2 (1) = 4 of 6 = exactly 2/3: open. + org3 (1) = 5 of 6: passes.
        chain.Propose(0, "proposeSetPermissioned", true);
        ulong id = chain.State.ProposalCount;
        chain.Vote(1, id);
        Assert.Equal(ProposalStatus.Open, chain.State.GetProposal(id, chain.Height)!.Status);
        Assert.Equal(4UL, chain.State.GetProposal(id, chain.Height)!.YesWeight);
        chain.Vote(2, id);
        Assert.Equal(ProposalStatus.Executed, chain.State.GetProposal(id, chain.Height)!.Status);
    }

    [Fact]
    public void Vote_ASingleMemberChainExecutesOnProposal()
    {
        using var chain = new GovernanceChain(members: 1);

        ExecutedTransaction proposed = chain.Propose(0, "proposeGrantRights", chain.Outsider.Address, (byte)1);

        Assert.Contains(GovernanceChain.Events(proposed), e => e.Event.Name == "ProposalExecuted");
        Assert.Equal(AccountRights.Transact, chain.State.RightsOf(chain.Outsider.Address));
    }

    [Fact]
    public void Vote_DuplicateVoteIsRejected()
    {
        using var chain = new GovernanceChain(members: 4);
        chain.Propose(0, "proposeSetPermissioned", true);
        chain.Vote(1, 1, support: false);

        ExecutedTransaction again = chain.Vote(1, 1, support: true);
        ExecutedTransaction proposerAgain = chain.Vote(0, 1);

        Assert.False(again.Receipt.Success);
        Assert.Equal("member \"org2\" already voted on proposal 1", GovernanceChain.RevertMessage(again));
        Assert.Equal("member \"org1\" already voted on proposal 1", GovernanceChain.RevertMessage(proposerAgain));
        Assert.Empty(again.Receipt.Logs);
        GovernanceProposal proposal = chain.State.GetProposal(1, chain.Height)!;
        Assert.Equal((1UL, 1UL), (proposal.YesWeight, proposal.NoWeight));
        Assert.Equal(new Trellis.Core.UInt256(2), chain.View(GovernanceAddresses.Governance, "voteOf", 1UL, "org2")[0]);
    }

    [Fact]
    public void Vote_AReplayedVoteTransactionIsRejectedByItsNonce()
    {
        using var chain = new GovernanceChain(members: 4);
        chain.Propose(0, "proposeSetPermissioned", true);
        var vote = chain.Sign(chain.Admins[1], GovernanceAddresses.Governance, GovernanceChain.Encode(GovernanceChain.GovernanceAbi, "vote", 1UL, true));
        chain.Append(vote);

        BlockExecutionResult replay = chain.Append(vote);

        Assert.Empty(replay.Transactions);
        Assert.Contains("nonce too low", Assert.Single(replay.Skipped).Reason, StringComparison.Ordinal);
        Assert.Equal(2UL, chain.State.GetProposal(1, chain.Height)!.YesWeight);
    }

    [Fact]
    public void VoteAndPropose_ByANonMemberAreRejected()
    {
        using var chain = new GovernanceChain();
        chain.Propose(0, "proposeSetPermissioned", true);

        ExecutedTransaction vote = chain.Send(chain.Outsider, GovernanceAddresses.Governance, GovernanceChain.Encode(GovernanceChain.GovernanceAbi, "vote", 1UL, true));
        ExecutedTransaction propose = chain.Send(chain.Outsider, GovernanceAddresses.Governance, GovernanceChain.Encode(GovernanceChain.GovernanceAbi, "proposeSetPermissioned", true));

        string expected = $"caller {chain.Outsider.Address} is not an admin account of any member organisation";
        Assert.Equal(expected, GovernanceChain.RevertMessage(vote));
        Assert.Equal(expected, GovernanceChain.RevertMessage(propose));
        Assert.Equal(1UL, chain.State.ProposalCount);
        Assert.Equal(1UL, chain.State.GetProposal(1, chain.Height)!.YesWeight);
    }

    [Fact]
    public void Vote_MembersWithoutAdminsCannotVote()
    {
        using var chain = new GovernanceChain(adminsInGenesis: false);

        ExecutedTransaction propose = chain.Propose(0, "proposeSetPermissioned", true);

        Assert.False(propose.Receipt.Success);
        Assert.Empty(chain.State.Members[0].Admins);
    }

    [Fact]
    public void ExpiredProposal_CannotBeVotedOnOrExecuted()
    {
        using var chain = new GovernanceChain();
        chain.Pass("proposeSetChainConfig", "proposalLifetimeBlocks", 3UL);
        chain.Propose(0, "proposeSetPermissioned", true);
        ulong id = chain.State.ProposalCount;
        GovernanceProposal proposal = chain.State.GetProposal(id, chain.Height)!;
        Assert.Equal(proposal.CreatedAt + 3, proposal.ExpiresAt);
        chain.Vote(1, id);
        chain.AdvanceTo(proposal.ExpiresAt);

        ExecutedTransaction late = chain.Vote(2, id);
        ExecutedTransaction execute = chain.Send(chain.Admins[2], GovernanceAddresses.Governance, GovernanceChain.Encode(GovernanceChain.GovernanceAbi, "execute", id));

        Assert.Equal($"proposal {id} expired at height {proposal.ExpiresAt} (now {proposal.ExpiresAt + 1})", GovernanceChain.RevertMessage(late));
        Assert.Contains("expired at height", GovernanceChain.RevertMessage(execute), StringComparison.Ordinal);
        Assert.Equal(ProposalStatus.Expired, chain.State.GetProposal(id, chain.Height + 1)!.Status);
        Assert.False(chain.State.IsPermissioned);
        object?[] viewed = chain.View(GovernanceAddresses.Governance, "getProposal", id);
        Assert.Equal(new Trellis.Core.UInt256((ulong)ProposalStatus.Expired), viewed[2]);
    }

    [Fact]
    public void ProposalShortOfTheThreshold_NeverExecutesAndExecuteReverts()
    {
        using var chain = new GovernanceChain();
        chain.Propose(0, "proposeSetPermissioned", true);
        chain.Vote(1, 1);

        ExecutedTransaction execute = chain.Send(chain.Admins[0], GovernanceAddresses.Governance, GovernanceChain.Encode(GovernanceChain.GovernanceAbi, "execute", 1UL));

        Assert.Equal("proposal 1 does not pass: yes weight 2 of total 3 is not more than 2/3", GovernanceChain.RevertMessage(execute));
        Assert.Equal(ProposalStatus.Open, chain.State.GetProposal(1, chain.Height)!.Status);
        Assert.False(chain.State.IsPermissioned);
    }

    [Fact]
    public void Execute_RunsAProposalThatPassesAfterAThresholdChange()
    {
        using var chain = new GovernanceChain(members: 4);
        chain.Propose(0, "proposeSetPermissioned", true);
        chain.Vote(1, 1);

        // 2 of 4 is not more than 2/3 (nor than 1/2). Lower the threshold to 1/2 and give org1 weight 2: the
        // recorded yes votes now weigh 3 of 5, which passes, but no vote triggers it: execute() does.
        chain.Pass("proposeSetThreshold", 1UL, 2UL);
        chain.Pass("proposeSetMemberWeight", "org1", 2UL);
        Assert.Equal(ProposalStatus.Open, chain.State.GetProposal(1, chain.Height)!.Status);
        ExecutedTransaction execute = chain.Send(chain.Outsider, GovernanceAddresses.Governance, GovernanceChain.Encode(GovernanceChain.GovernanceAbi, "execute", 1UL));

        Assert.True(execute.Receipt.Success, GovernanceChain.RevertMessage(execute));
        Assert.Equal(ProposalStatus.Executed, chain.State.GetProposal(1, chain.Height)!.Status);
        Assert.True(chain.State.IsPermissioned);
    }

    [Fact]
    public void NoVotes_RejectAProposalThatCanNoLongerPass()
    {
        using var chain = new GovernanceChain();
        chain.Propose(0, "proposeSetPermissioned", true);

        ExecutedTransaction no = chain.Vote(1, 1, support: false);

        Assert.Contains(GovernanceChain.Events(no), e => e.Event.Name == "ProposalRejected");
        Assert.Equal(ProposalStatus.Rejected, chain.State.GetProposal(1, chain.Height)!.Status);
        Assert.Equal("proposal 1 is rejected, not open", GovernanceChain.RevertMessage(chain.Vote(2, 1)));
    }

    [Fact]
    public void AProposalWhoseChangeNoLongerAppliesFailsWithoutRevertingTheVote()
    {
        using var chain = new GovernanceChain();
        chain.Propose(0, "proposeSetPermissioned", true);
        chain.Propose(1, "proposeSetPermissioned", true);
        chain.Vote(1, 1);
        chain.Vote(2, 1);
        chain.Vote(0, 2);

        ExecutedTransaction last = chain.Vote(2, 2);

        Assert.True(last.Receipt.Success);
        var failed = Assert.Single(GovernanceChain.Events(last), e => e.Event.Name == "ProposalFailed");
        Assert.Equal("the chain is already permissioned", failed.Value<string>("reason"));
        Assert.Equal(ProposalStatus.Failed, chain.State.GetProposal(2, chain.Height)!.Status);
    }

    [Fact]
    public void VoteCast_CarriesTheTally()
    {
        using var chain = new GovernanceChain(members: 4);
        ExecutedTransaction proposed = chain.Propose(2, "proposeSetPermissioned", true);

        var events = GovernanceChain.Events(proposed);

        var created = Assert.Single(events, e => e.Event.Name == "ProposalCreated");
        Assert.Equal((1UL, (byte)ProposalKind.SetPermissioned, chain.Admins[2].Address, "org3"), (created.Value<ulong>("id"), created.Value<byte>("kind"), created.Value<Trellis.Core.Address>("proposer"), created.Value<string>("member")));
        var vote = Assert.Single(events, e => e.Event.Name == "VoteCast");
        Assert.Equal((true, 1UL, 0UL), (vote.Value<bool>("support"), vote.Value<ulong>("yesWeight"), vote.Value<ulong>("noWeight")));
    }
}
