using Trellis.Core;
using Trellis.Crypto;
using Trellis.Ledger.Genesis;
using Trellis.Ledger.Governance;
using Trellis.Node;
using Trellis.Sdk.Governance;
using LedgerNodeConfig = Trellis.Ledger.Genesis.NodeConfig;
using NodeFileConfig = Trellis.Node.NodeConfig;

namespace Trellis.Sdk.Tests.Governance;

/// <summary>
/// <see cref="GovernanceClient"/> against a Solo node in this process whose genesis has three members (org1..org3,
/// one admin key each, threshold 2/3 so every proposal needs all three) and one validator. Expected values come from
/// the genesis this test wrote and the rules of docs/governance.md, never from the client under test.
/// </summary>
public sealed class GovernanceClientTests : IAsyncLifetime
{
    private static readonly ICryptoSuite Suite = CryptoSuites.Standard;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "trellis-sdk-gov-" + Guid.NewGuid().ToString("N"));
    private readonly PrivateKey[] _adminKeys = [Suite.GeneratePrivateKey(), Suite.GeneratePrivateKey(), Suite.GeneratePrivateKey()];
    private readonly PrivateKey _validatorKey = Suite.GeneratePrivateKey();
    private readonly List<Signer> _signers = [];
    private TrellisNode? _node;
    private TrellisClient? _client;

    private Address ValidatorAddress => Suite.ToAddress(Suite.DerivePublicKey(_validatorKey));

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        var members = new List<MemberConfig>();
        for (int i = 0; i < 3; i++)
        {
            members.Add(new MemberConfig { Name = "org" + (i + 1), Admins = [Admin(i)] });
        }

        var chain = new ChainConfig
        {
            ChainId = 4244,
            Suite = Suite,
            Consensus = new ConsensusConfig { Engine = "solo", BlockIntervalMs = 20 },
            BlockGasLimit = 30_000_000,
            Members = members,
            Nodes = [new LedgerNodeConfig { Name = "org1-node1", Org = "org1", Role = NodeRole.Validator, Address = ValidatorAddress, PublicKey = Suite.DerivePublicKey(_validatorKey) }],
        };
        string genesis = Path.Combine(_directory, "genesis.json");
        await File.WriteAllTextAsync(genesis, chain.ToJson());
        _node = await TrellisNode.StartAsync(new NodeFileConfig { DataDir = Path.Combine(_directory, "data"), GenesisFile = genesis, RpcPort = 0 });
        _client = new TrellisClient(_node.RpcAddress, new TrellisClientOptions { ReceiptPollInterval = TimeSpan.FromMilliseconds(20) });
    }

    public async Task DisposeAsync()
    {
        foreach (Signer signer in _signers)
        {
            signer.Dispose();
        }

        _client?.Dispose();
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    private Address Admin(int i) => Suite.ToAddress(Suite.DerivePublicKey(_adminKeys[i]));

    private GovernanceClient As(int i)
    {
        var signer = new Signer(_client!, new Wallet(Suite, _adminKeys[i]));
        _signers.Add(signer);
        return new GovernanceClient(_client!, signer);
    }

    /// <summary>org1 proposes, org2 and org3 vote yes; returns the outcome of the last vote.</summary>
    private async Task<ProposalOutcome> PassAsync(Func<GovernanceClient, Task<ProposalOutcome>> propose)
    {
        ProposalOutcome proposed = await propose(As(0));
        Assert.Equal(ProposalStatus.Open, proposed.Status);
        ProposalOutcome second = await As(1).VoteAsync(proposed.ProposalId);
        Assert.Equal(ProposalStatus.Open, second.Status);
        ProposalOutcome third = await As(2).VoteAsync(proposed.ProposalId);
        Assert.Equal(ProposalStatus.Executed, third.Status);
        Assert.Equal(proposed.ProposalId, third.ProposalId);
        return third;
    }

    [Fact]
    public async Task Reads_ReturnTheGenesisCommitteeAndRegistry()
    {
        var reader = new GovernanceClient(_client!);
        IReadOnlyList<MemberInfo> members = await reader.GetMembersAsync();
        Assert.Equal(["org1", "org2", "org3"], members.Select(m => m.Name));
        Assert.Equal([Admin(1)], members[1].Admins);
        Assert.All(members, m => Assert.Equal(1UL, m.Weight));
        Assert.Equal(3UL, await reader.GetMemberCountAsync());
        Assert.Equal(3UL, await reader.GetTotalWeightAsync());
        Assert.Equal(new ThresholdInfo(2, 3), await reader.GetThresholdAsync());
        Assert.Equal("org3", await reader.GetMemberOfAsync(Admin(2)));
        Assert.Null(await reader.GetMemberOfAsync(ValidatorAddress));
        Assert.True(await reader.IsMemberAsync("org2"));
        Assert.False(await reader.IsMemberAsync("org9"));
        Assert.Null(await reader.GetMemberAsync("org9"));

        NodeInfo node = Assert.Single(await reader.GetNodesAsync());
        Assert.Equal(ValidatorAddress, node.SigningAddress);
        Assert.Equal("org1-node1", node.Name);
        Assert.Equal("org1", node.Org);
        Assert.Equal(RegistryRole.Validator, node.Role);
        Assert.Equal(0UL, node.ActivationHeight);
        Assert.Equal(Suite.DerivePublicKey(_validatorKey).Bytes.ToArray(), node.PublicKey);
        Assert.Null(await reader.GetNodeAsync(Admin(0)));
        Assert.Equal(RegistryRole.Validator, await reader.GetRoleAtAsync(ValidatorAddress, 0));

        Assert.False(await reader.IsPermissionedAsync());
        Assert.Equal(AccountRights.None, await reader.GetRightsAsync(Admin(0)));
        Assert.True(await reader.CanTransactAsync(Admin(0)));
        Assert.False(await reader.IsFrozenAsync(Admin(0)));
        Assert.Equal(default, await reader.GetApprovedCodeHashAsync(Admin(0)));
        Assert.Equal(0UL, await reader.GetChainConfigValueAsync("blockGasLimit"));
        Assert.Equal(0UL, await reader.GetProposalCountAsync());
    }

    [Fact]
    public async Task AddMember_StaysOpenShortOfTheThresholdAndExecutesOnTheLastVote()
    {
        Address newAdmin = Suite.ToAddress(Suite.DerivePublicKey(Suite.GeneratePrivateKey()));
        var fingerprint = new Hash256(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
        ProposalOutcome proposed = await As(0).ProposeAddMemberAsync("org4", fingerprint, [newAdmin]);
        Assert.Equal(1UL, proposed.ProposalId);
        Assert.True(proposed.Receipt.Succeeded);

        // Two of three equal members is exactly 2/3, which does not pass.
        ProposalOutcome second = await As(1).VoteAsync(proposed.ProposalId);
        Assert.Equal((ProposalStatus.Open, 2UL, 0UL), (second.Status, second.YesWeight, second.NoWeight));
        var reader = new GovernanceClient(_client!);
        ProposalInfo open = await reader.GetProposalAsync(proposed.ProposalId);
        Assert.Equal(ProposalStatus.Open, open.Status);
        Assert.Equal(ProposalKind.AddMember, open.Kind);
        Assert.Equal(Admin(0), open.Proposer);
        Assert.Equal([new MemberVote("org1", ProposalVote.Yes), new MemberVote("org2", ProposalVote.Yes), new MemberVote("org3", ProposalVote.None)], open.Votes);
        Assert.Equal(open.CreatedAt + 86_400, open.ExpiresAt);
        IReadOnlyList<object?> arguments = open.DecodeArguments();
        Assert.Equal("org4", arguments[0]);
        Assert.Equal(fingerprint.ToArray(), (byte[])arguments[1]!);
        Assert.False(await reader.IsMemberAsync("org4"));

        ProposalOutcome third = await As(2).VoteAsync(proposed.ProposalId);
        Assert.True(third.Executed);
        MemberInfo added = (await reader.GetMemberAsync("org4"))!;
        Assert.Equal(fingerprint, added.CaFingerprint);
        Assert.Equal([newAdmin], added.Admins);
        Assert.Equal(ProposalStatus.Executed, (await reader.GetProposalAsync(1)).Status);
        Assert.Single(await reader.GetProposalsAsync());
    }

    [Fact]
    public async Task RevokeCertificate_IsProposedListedAndReadThroughTheClient()
    {
        var fingerprint = new Hash256(System.Security.Cryptography.SHA256.HashData("a node certificate"u8));
        var reader = new GovernanceClient(_client!);
        Assert.False(await reader.IsRevokedAsync(fingerprint));
        Assert.Empty(await reader.GetRevokedCertificatesAsync());

        ProposalOutcome executed = await PassAsync(g => g.ProposeRevokeCertificateAsync(fingerprint, "compromised"));

        // Effective from the executing block + 2 (docs/governance.md).
        RevokedCertificate revoked = Assert.Single(await reader.GetRevokedCertificatesAsync());
        Assert.Equal(new RevokedCertificate(fingerprint, "compromised", executed.ProposalId, executed.Receipt.BlockNumber + 2), revoked);
        ProposalInfo proposal = await reader.GetProposalAsync(executed.ProposalId);
        Assert.Equal(ProposalKind.RevokeCertificate, proposal.Kind);
        Assert.Equal(fingerprint.ToArray(), (byte[])proposal.DecodeArguments()[0]!);
        Assert.Equal("compromised", proposal.DecodeArguments()[1]);

        // Two more transactions, each in its own later block, put the head past the effective height.
        await As(0).ProposeSetChainConfigAsync("blockIntervalMs", 400);
        await As(1).ProposeSetChainConfigAsync("blockIntervalMs", 300);
        Assert.True(await reader.IsRevokedAsync(fingerprint));
        Assert.False(await reader.IsRevokedAsync(new Hash256(System.Security.Cryptography.SHA256.HashData("another certificate"u8))));

        var again = await Assert.ThrowsAsync<GovernanceException>(() => As(2).ProposeRevokeCertificateAsync(fingerprint));
        Assert.Equal($"certificate {fingerprint} is already revoked (proposal {executed.ProposalId}, effective at height {executed.Receipt.BlockNumber + 2})", again.Reason);
    }

    [Fact]
    public async Task Refusals_SurfaceTheContractsReasonText()
    {
        ProposalOutcome proposed = await As(0).ProposeSetChainConfigAsync("blockIntervalMs", 500);
        var twice = await Assert.ThrowsAsync<GovernanceException>(() => As(0).VoteAsync(proposed.ProposalId));
        Assert.Equal($"member \"org1\" already voted on proposal {proposed.ProposalId}", twice.Reason);

        var stranger = new Signer(_client!, Wallet.Create(Suite));
        _signers.Add(stranger);
        var notAdmin = await Assert.ThrowsAsync<GovernanceException>(() => new GovernanceClient(_client!, stranger).ProposeSetPermissionedAsync(true));
        Assert.Contains("is not an admin account of any member organisation", notAdmin.Reason, StringComparison.Ordinal);
        Assert.Contains(stranger.Address.ToString()[2..], notAdmin.Reason, StringComparison.OrdinalIgnoreCase);

        var badGas = await Assert.ThrowsAsync<GovernanceException>(() => As(0).ProposeSetChainConfigAsync("blockGasLimit", 100));
        Assert.Contains("blockGasLimit 100", badGas.Reason, StringComparison.Ordinal);
        var readOnly = await Assert.ThrowsAsync<InvalidOperationException>(() => new GovernanceClient(_client!).VoteAsync(1));
        Assert.Contains("admin account", readOnly.Message, StringComparison.Ordinal);
        Assert.Equal(ProposalStatus.Open, (await new GovernanceClient(_client!).GetProposalAsync(proposed.ProposalId)).Status);
    }

    [Fact]
    public async Task NodeProposals_AddSetRoleAndRemoveANode()
    {
        PrivateKey key = Suite.GeneratePrivateKey();
        PublicKey publicKey = Suite.DerivePublicKey(key);
        Address address = Suite.ToAddress(publicKey);
        var tls = new Hash256(Enumerable.Repeat((byte)0xab, 32).ToArray());
        var reader = new GovernanceClient(_client!);

        ProposalOutcome added = await PassAsync(g => g.ProposeAddNodeAsync(address, "org2-node1", "org2", RegistryRole.Observer, publicKey.Bytes.ToArray(), tls));
        NodeInfo node = (await reader.GetNodeAsync(address))!;
        Assert.Equal(("org2-node1", "org2", RegistryRole.Observer, tls), (node.Name, node.Org, node.Role, node.TlsFingerprint));
        Assert.Equal(publicKey.Bytes.ToArray(), node.PublicKey);

        // A change executed in block h takes effect at h + 2 (GovernanceRules.ActivationDelay).
        Assert.Equal(added.Receipt.BlockNumber + 2, node.ActivationHeight);
        Assert.Equal(RegistryRole.None, await reader.GetRoleAtAsync(address, node.ActivationHeight - 1));
        Assert.Equal(RegistryRole.Observer, await reader.GetRoleAtAsync(address, node.ActivationHeight));

        await PassAsync(g => g.ProposeSetNodeRoleAsync(address, RegistryRole.Validator));
        Assert.Equal(RegistryRole.Validator, (await reader.GetNodeAsync(address))!.Role);
        Assert.Equal(RegistryRole.Observer, (await reader.GetNodeAsync(address))!.PreviousRole);

        await PassAsync(g => g.ProposeRemoveNodeAsync(address));
        Assert.Equal(RegistryRole.Removed, (await reader.GetNodeAsync(address))!.Role);
        Assert.Equal(2, (await reader.GetNodesAsync()).Count);
    }

    [Fact]
    public async Task AccountContractAndChainProposals_ChangeWhatTheViewsReport()
    {
        var reader = new GovernanceClient(_client!);
        Address account = Address.Parse("0x00000000000000000000000000000000000000aa");
        Address target = Address.Parse("0x00000000000000000000000000000000000000bb");
        var codeHash = new Hash256(Enumerable.Repeat((byte)7, 32).ToArray());

        await PassAsync(g => g.ProposeGrantRightsAsync(account, AccountRights.Transact | AccountRights.Deploy));
        Assert.Equal(AccountRights.Transact | AccountRights.Deploy, await reader.GetRightsAsync(account));
        await PassAsync(g => g.ProposeRevokeRightsAsync(account, AccountRights.Deploy));
        Assert.Equal(AccountRights.Transact, await reader.GetRightsAsync(account));

        await PassAsync(g => g.ProposeFreezeContractAsync(target));
        Assert.True(await reader.IsFrozenAsync(target));
        await PassAsync(g => g.ProposeUnfreezeContractAsync(target));
        Assert.False(await reader.IsFrozenAsync(target));
        await PassAsync(g => g.ProposeApproveUpgradeAsync(target, codeHash));
        Assert.Equal(codeHash, await reader.GetApprovedCodeHashAsync(target));

        await PassAsync(g => g.ProposeSetChainConfigAsync("maxTransactionsPerBlock", 500));
        Assert.Equal(500UL, await reader.GetChainConfigValueAsync("maxTransactionsPerBlock"));

        await PassAsync(g => g.ProposeSetPermissionedAsync(true));
        Assert.True(await reader.IsPermissionedAsync());
        Assert.True(await reader.CanTransactAsync(account));
        Assert.False(await reader.CanDeployAsync(account));
        await PassAsync(g => g.ProposeSetPermissionedAsync(false));
        Assert.False(await reader.IsPermissionedAsync());
    }

    [Fact]
    public async Task CommitteeProposals_WeightThresholdExecuteAndRemoveMember()
    {
        var reader = new GovernanceClient(_client!);
        await PassAsync(g => g.ProposeSetMemberWeightAsync("org1", 3));
        Assert.Equal(5UL, await reader.GetTotalWeightAsync());

        // org1 alone (3 of 5) does not pass 2/3 ...
        ProposalOutcome open = await As(0).ProposeSetThresholdAsync(1, 2);
        Assert.Equal(ProposalStatus.Open, open.Status);
        await Assert.ThrowsAsync<GovernanceException>(() => As(1).ExecuteAsync(open.ProposalId));

        // ... until org2 votes (4 of 5 > 2/3).
        ProposalOutcome passed = await As(1).VoteAsync(open.ProposalId);
        Assert.True(passed.Executed);
        Assert.Equal(new ThresholdInfo(1, 2), await reader.GetThresholdAsync());

        // Now 3 of 5 > 1/2: an open proposal made before the change can be executed without a new vote.
        ProposalOutcome removal = await As(2).ProposeRemoveMemberAsync("org2");
        Assert.Equal(ProposalStatus.Open, removal.Status);
        ProposalOutcome executed = await As(0).VoteAsync(removal.ProposalId);
        Assert.True(executed.Executed);
        Assert.False(await reader.IsMemberAsync("org2"));
        Assert.Equal(["org1", "org3"], (await reader.GetMembersAsync()).Select(m => m.Name).Order());
    }
}
