using Trellis.Core;
using Trellis.Crypto;
using Trellis.Ledger.Execution;
using Trellis.Ledger.Governance;
using Trellis.Ledger.Tests.Execution;
using Trellis.Sdk.Abi;

namespace Trellis.Ledger.Tests.Governance;

/// <summary>Every proposal kind end to end: proposed and voted by member admins in signed transactions, executed, its event decoded with solc's ABI.</summary>
public sealed class ProposalKindTests
{
    private static readonly Hash256 Fingerprint = Hash256.Parse("0x1111111111111111111111111111111111111111111111111111111111111111");

    private static DecodedEvent Single(ExecutedTransaction transaction, string name) =>
        Assert.Single(GovernanceChain.Events(transaction), e => e.Event.Name == name);

    private static ExecutedTransaction PassAndGetExecutingVote(GovernanceChain chain, string function, params object?[] arguments)
    {
        ExecutedTransaction proposed = chain.Propose(0, function, arguments);
        Assert.True(proposed.Receipt.Success, GovernanceChain.RevertMessage(proposed));
        ulong id = chain.State.ProposalCount;
        Assert.True(chain.Vote(1, id).Receipt.Success);
        Assert.Equal(ProposalStatus.Open, chain.State.GetProposal(id, chain.Height)!.Status);
        ExecutedTransaction last = chain.Vote(2, id);
        Assert.True(last.Receipt.Success, GovernanceChain.RevertMessage(last));
        Assert.Equal(ProposalStatus.Executed, chain.State.GetProposal(id, chain.Height)!.Status);
        DecodedEvent executed = Single(last, "ProposalExecuted");
        Assert.Equal(id, executed.Value<ulong>("id"));
        return last;
    }

    [Fact]
    public void AddMember_AdmitsTheOrganisationWithWeightOneAndItsAdmins()
    {
        using var chain = new GovernanceChain();
        var admin = new TestAccount(CryptoSuites.Standard, 77);

        ExecutedTransaction vote = PassAndGetExecutingVote(chain, "proposeAddMember", "org4", Fingerprint, new object[] { admin.Address });

        GovernanceMember member = chain.State.FindMember("org4")!;
        Assert.Equal(1UL, member.Weight);
        Assert.Equal(Fingerprint, member.CaFingerprint);
        Assert.Equal([admin.Address], member.Admins);
        Assert.Equal(4UL, chain.State.TotalWeight);
        Assert.Equal("org4", chain.View(GovernanceAddresses.Committee, "memberOf", admin.Address)[0]);
        DecodedEvent added = Single(vote, "MemberAdded");
        Assert.Equal("org4", added.Get<string>("name"));
        Assert.Equal(Fingerprint.ToArray(), added.Get<byte[]>("caFingerprint"));
        Assert.Equal(admin.Address, Assert.Single(added.Get<object[]>("admins")));
        object?[] at = chain.View(GovernanceAddresses.Committee, "memberAt", 3UL);
        Assert.Equal("org4", at[0]);
        Assert.Equal(new UInt256(1), at[2]);
    }

    [Fact]
    public void RemoveMember_RemovesTheOrganisationItsAdminsAndItsNodes()
    {
        using var chain = new GovernanceChain(members: 4);
        Address node = chain.Nodes[3].Address;

        ulong id = chain.Pass("proposeRemoveMember", "org4");

        Assert.Null(chain.State.FindMember("org4"));
        Assert.Null(chain.State.FindMemberByAdmin(chain.Admins[3].Address));
        Assert.Equal(3UL, chain.State.TotalWeight);
        Assert.Equal(["org1", "org2", "org3"], chain.State.Members.Select(m => m.Name).Order());
        RegisteredNode removed = chain.State.FindNode(node)!;
        Assert.Equal(RegistryRole.Removed, removed.Role);
        Assert.Equal(RegistryRole.Validator, removed.PreviousRole);
        Assert.Equal(chain.Height + GovernanceRules.ActivationDelay, removed.ActivationHeight);
        Assert.Equal(ProposalStatus.Executed, chain.State.GetProposal(id, chain.Height)!.Status);

        // The removed organisation's admin can no longer propose.
        ExecutedTransaction refused = chain.Propose(3, "proposeSetPermissioned", true);
        Assert.False(refused.Receipt.Success);
        Assert.Contains("not an admin account of any member", GovernanceChain.RevertMessage(refused), StringComparison.Ordinal);
    }

    [Fact]
    public void SetMemberWeight_ChangesTheWeightAndTheTotal()
    {
        using var chain = new GovernanceChain();

        ExecutedTransaction vote = PassAndGetExecutingVote(chain, "proposeSetMemberWeight", "org2", 5UL);

        Assert.Equal(5UL, chain.State.FindMember("org2")!.Weight);
        Assert.Equal(7UL, chain.State.TotalWeight);
        Assert.Equal(new UInt256(7), chain.View(GovernanceAddresses.Committee, "totalWeight")[0]);
        Assert.Equal(5UL, Single(vote, "MemberWeightChanged").Value<ulong>("weight"));
    }

    [Fact]
    public void SetThreshold_ChangesTheFraction()
    {
        using var chain = new GovernanceChain();

        ExecutedTransaction vote = PassAndGetExecutingVote(chain, "proposeSetThreshold", 1UL, 2UL);

        Assert.Equal((1UL, 2UL), chain.State.Threshold);
        object?[] threshold = chain.View(GovernanceAddresses.Committee, "threshold");
        Assert.Equal([new UInt256(1), new UInt256(2)], threshold);
        DecodedEvent changed = Single(vote, "ThresholdChanged");
        Assert.Equal(2UL, changed.Value<ulong>("denominator"));
    }

    [Fact]
    public void AddNode_RegistersTheNodeFromTheHeightAfterTheNextBlock()
    {
        using var chain = new GovernanceChain();
        var key = new TestAccount(CryptoSuites.Standard, 60);
        byte[] publicKey = CryptoSuites.Standard.DerivePublicKey(key.Key).Bytes.ToArray();
        Hash256 tls = Hash256.Parse("0x2222222222222222222222222222222222222222222222222222222222222222");

        ExecutedTransaction vote = PassAndGetExecutingVote(chain, "proposeAddNode", key.Address, "org2-node2", "org2", (byte)1, publicKey, tls);

        ulong executedAt = chain.Height;
        RegisteredNode node = chain.State.FindNode(key.Address)!;
        Assert.Equal(("org2-node2", "org2", RegistryRole.Validator, tls), (node.Name, node.Org, node.Role, node.TlsFingerprint));
        Assert.Equal(publicKey, node.PublicKey);
        Assert.Equal(executedAt + GovernanceRules.ActivationDelay, node.ActivationHeight);
        Assert.Equal(RegistryRole.None, chain.State.RoleAt(key.Address, executedAt + 1));
        Assert.Equal(RegistryRole.Validator, chain.State.RoleAt(key.Address, executedAt + 2));
        Assert.Equal(3, chain.State.ValidatorsAt(executedAt + 1).Count);
        Assert.Equal([.. chain.Nodes.Select(n => n.Address), key.Address], chain.State.ValidatorsAt(executedAt + 2).Select(n => n.SigningAddress));
        Assert.False(chain.State.IsAdmitted(key.Address, executedAt + 1));
        Assert.True(chain.State.IsAdmitted(key.Address, executedAt + 2));
        DecodedEvent added = Single(vote, "NodeAdded");
        Assert.Equal(key.Address, added.Get<Address>("signingAddress"));
        Assert.Equal(executedAt + 2, added.Value<ulong>("activationHeight"));
        Assert.Equal(new UInt256(1), chain.View(GovernanceAddresses.NodeRegistry, "roleAt", key.Address, executedAt + 2)[0]);
        Assert.Equal(new UInt256(0), chain.View(GovernanceAddresses.NodeRegistry, "roleAt", key.Address, executedAt + 1)[0]);
    }

    [Fact]
    public void AddNode_OnTheNationalSuiteChecksTheSm2KeyAgainstTheSm3Address()
    {
        using var chain = new GovernanceChain(suiteName: "national");
        var key = new TestAccount(CryptoSuites.National, 61);
        byte[] publicKey = CryptoSuites.National.DerivePublicKey(key.Key).Bytes.ToArray();

        chain.Pass("proposeAddNode", key.Address, "org1-node2", "org1", (byte)2, publicKey, Hash256.Zero);

        Assert.Equal(RegistryRole.Observer, chain.State.FindNode(key.Address)!.Role);
        Assert.Equal(publicKey, chain.State.FindNode(key.Address)!.PublicKey);
        ExecutedTransaction wrong = chain.Propose(0, "proposeAddNode", chain.Outsider.Address, "x", "org1", (byte)2, publicKey, Hash256.Zero);
        Assert.Contains("publicKey belongs to", GovernanceChain.RevertMessage(wrong), StringComparison.Ordinal);
    }

    [Fact]
    public void AddNode_RefusesAPublicKeyOfAnotherAddress()
    {
        using var chain = new GovernanceChain();
        byte[] otherKey = CryptoSuites.Standard.DerivePublicKey(chain.Nodes[0].Key).Bytes.ToArray();

        ExecutedTransaction proposed = chain.Propose(0, "proposeAddNode", chain.Outsider.Address, "x", "org1", (byte)2, otherKey, Hash256.Zero);

        Assert.False(proposed.Receipt.Success);
        Assert.Contains("publicKey belongs to", GovernanceChain.RevertMessage(proposed), StringComparison.Ordinal);
        Assert.Equal(0UL, chain.State.ProposalCount);
    }

    [Fact]
    public void RemoveNode_ForcesTheNodeOutFromTheActivationHeight()
    {
        using var chain = new GovernanceChain(members: 4);
        Address node = chain.Nodes[1].Address;

        ExecutedTransaction vote = PassAndGetExecutingVote(chain, "proposeRemoveNode", node);

        ulong executedAt = chain.Height;
        Assert.Equal(RegistryRole.Validator, chain.State.RoleAt(node, executedAt + 1));
        Assert.Equal(RegistryRole.Removed, chain.State.RoleAt(node, executedAt + 2));
        Assert.DoesNotContain(chain.State.ValidatorsAt(executedAt + 2), n => n.SigningAddress == node);
        Assert.False(chain.State.IsAdmitted(node, executedAt + 2));
        Assert.Equal(node, Single(vote, "NodeRemoved").Get<Address>("signingAddress"));
    }

    [Fact]
    public void SetNodeRole_TurnsAValidatorIntoAnObserver()
    {
        using var chain = new GovernanceChain();
        Address node = chain.Nodes[2].Address;

        ExecutedTransaction vote = PassAndGetExecutingVote(chain, "proposeSetNodeRole", node, (byte)2);

        RegisteredNode registered = chain.State.FindNode(node)!;
        Assert.Equal((RegistryRole.Observer, RegistryRole.Validator), (registered.Role, registered.PreviousRole));
        Assert.True(chain.State.IsAdmitted(node, chain.Height + 2));
        Assert.Equal(2, chain.State.ValidatorsAt(chain.Height + 2).Count);
        DecodedEvent changed = Single(vote, "NodeRoleChanged");
        Assert.Equal(((byte)1, (byte)2), (changed.Value<byte>("previousRole"), changed.Value<byte>("role")));
    }

    [Fact]
    public void GrantAndRevokeRights_ChangeTheAccountsRights()
    {
        using var chain = new GovernanceChain();
        Address account = chain.Outsider.Address;

        ExecutedTransaction grant = PassAndGetExecutingVote(chain, "proposeGrantRights", account, (byte)3);
        Assert.Equal(AccountRights.Transact | AccountRights.Deploy, chain.State.RightsOf(account));
        Assert.Equal(3, Single(grant, "RightsGranted").Value<byte>("newRights"));

        ExecutedTransaction revoke = PassAndGetExecutingVote(chain, "proposeRevokeRights", account, (byte)2);
        Assert.Equal(AccountRights.Transact, chain.State.RightsOf(account));
        Assert.Equal(1, Single(revoke, "RightsRevoked").Value<byte>("newRights"));
        Assert.Equal(new UInt256(1), chain.View(GovernanceAddresses.Permissions, "rightsOf", account)[0]);
    }

    [Fact]
    public void SetPermissioned_SwitchesTheChainMode()
    {
        using var chain = new GovernanceChain();

        ExecutedTransaction vote = PassAndGetExecutingVote(chain, "proposeSetPermissioned", true);

        Assert.True(chain.State.IsPermissioned);
        Assert.Equal(true, chain.View(GovernanceAddresses.Permissions, "permissioned")[0]);
        Assert.False(chain.State.CanTransact(chain.Outsider.Address));
        Assert.True(chain.State.CanTransact(chain.Admins[0].Address));
        Assert.True(Single(vote, "PermissionModeChanged").Get<bool>("permissioned"));
    }

    [Fact]
    public void FreezeAndUnfreeze_MarkTheContract()
    {
        using var chain = new GovernanceChain();
        Address target = Address.Parse("0x00000000000000000000000000000000000c0de1");

        ExecutedTransaction freeze = PassAndGetExecutingVote(chain, "proposeFreezeContract", target);
        Assert.True(chain.State.IsFrozen(target));
        Assert.Equal(true, chain.View(GovernanceAddresses.ContractAdmin, "isFrozen", target)[0]);
        Assert.Equal(target, Single(freeze, "ContractFrozen").Get<Address>("target"));

        ExecutedTransaction unfreeze = PassAndGetExecutingVote(chain, "proposeUnfreezeContract", target);
        Assert.False(chain.State.IsFrozen(target));
        Assert.Equal(target, Single(unfreeze, "ContractUnfrozen").Get<Address>("target"));
    }

    [Fact]
    public void ApproveUpgrade_RecordsTheCodeHash()
    {
        using var chain = new GovernanceChain();
        Address target = Address.Parse("0x00000000000000000000000000000000000c0de1");

        ExecutedTransaction vote = PassAndGetExecutingVote(chain, "proposeApproveUpgrade", target, Fingerprint);

        Assert.Equal(Fingerprint, chain.State.ApprovedCodeHash(target));
        Assert.Equal(Fingerprint.ToArray(), chain.View(GovernanceAddresses.ContractAdmin, "approvedCodeHash", target)[0]);
        Assert.Equal(Fingerprint.ToArray(), Single(vote, "UpgradeApproved").Get<byte[]>("codeHash"));
    }

    [Fact]
    public void SetChainConfig_OverridesTheValue()
    {
        using var chain = new GovernanceChain();
        Assert.Null(chain.State.Setting(ChainSetting.BlockGasLimit));

        ExecutedTransaction vote = PassAndGetExecutingVote(chain, "proposeSetChainConfig", "blockGasLimit", 50_000_000UL);

        Assert.Equal(50_000_000UL, chain.State.Setting(ChainSetting.BlockGasLimit));
        Assert.Equal(new UInt256(50_000_000), chain.View(GovernanceAddresses.ChainConfig, "valueOf", "blockGasLimit")[0]);
        DecodedEvent changed = Single(vote, "ChainConfigChanged");
        Assert.Equal(("blockGasLimit", 50_000_000UL), (changed.Get<string>("key"), changed.Value<ulong>("value")));
    }

    [Fact]
    public void SetChainConfig_RefusesUnknownKeysAndOutOfRangeValues()
    {
        using var chain = new GovernanceChain();

        ExecutedTransaction unknown = chain.Propose(0, "proposeSetChainConfig", "gasPrice", 1UL);
        ExecutedTransaction tooSmall = chain.Propose(0, "proposeSetChainConfig", "blockGasLimit", 20_999UL);

        Assert.Contains("unknown chain config key \"gasPrice\"", GovernanceChain.RevertMessage(unknown), StringComparison.Ordinal);
        Assert.Contains("blockGasLimit 20999 is not between 21000", GovernanceChain.RevertMessage(tooSmall), StringComparison.Ordinal);
        Assert.Equal(0UL, chain.State.ProposalCount);
    }
}
