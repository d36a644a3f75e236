using Trellis.Core;
using Trellis.Ledger.Governance;
using Trellis.Sdk.Abi;
using Trellis.Sdk.Rpc;

namespace Trellis.Sdk.Governance;

/// <summary>
/// Typed access to the six governance system contracts (docs/governance.md): reads with <c>eth_call</c>
/// (members, threshold, nodes, roles, rights, frozen contracts, chain settings, proposals with their votes) and,
/// through an admin account's <see cref="Signer"/>, proposals, votes and executions. Each transaction waits for its
/// receipt and reports what it did from the receipt's events (<see cref="ProposalOutcome"/>). A refusal (a revert)
/// surfaces as a <see cref="GovernanceException"/> carrying the contract's reason text.
/// </summary>
public sealed class GovernanceClient
{
    private static readonly Dictionary<ProposalKind, string> ProposeFunctions = new()
    {
        [ProposalKind.AddMember] = "proposeAddMember",
        [ProposalKind.RemoveMember] = "proposeRemoveMember",
        [ProposalKind.SetMemberWeight] = "proposeSetMemberWeight",
        [ProposalKind.SetThreshold] = "proposeSetThreshold",
        [ProposalKind.AddNode] = "proposeAddNode",
        [ProposalKind.RemoveNode] = "proposeRemoveNode",
        [ProposalKind.SetNodeRole] = "proposeSetNodeRole",
        [ProposalKind.GrantRights] = "proposeGrantRights",
        [ProposalKind.RevokeRights] = "proposeRevokeRights",
        [ProposalKind.SetPermissioned] = "proposeSetPermissioned",
        [ProposalKind.FreezeContract] = "proposeFreezeContract",
        [ProposalKind.UnfreezeContract] = "proposeUnfreezeContract",
        [ProposalKind.ApproveUpgrade] = "proposeApproveUpgrade",
        [ProposalKind.SetChainConfig] = "proposeSetChainConfig",
        [ProposalKind.RevokeCertificate] = "proposeRevokeCertificate",
    };

    private readonly Contract _committee;
    private readonly Contract _governance;
    private readonly Contract _nodes;
    private readonly Contract _permissions;
    private readonly Contract _contractAdmin;
    private readonly Contract _chainConfig;

    /// <summary>Binds the contracts; <paramref name="admin"/> (a member's admin account) is needed only to propose, vote and execute.</summary>
    public GovernanceClient(TrellisClient client, Signer? admin = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        Client = client;
        Admin = admin;
        _committee = new Contract(client, GovernanceAbis.Committee, GovernanceAddresses.Committee, admin);
        _governance = new Contract(client, GovernanceAbis.Governance, GovernanceAddresses.Governance, admin);
        _nodes = new Contract(client, GovernanceAbis.NodeRegistry, GovernanceAddresses.NodeRegistry, admin);
        _permissions = new Contract(client, GovernanceAbis.Permissions, GovernanceAddresses.Permissions, admin);
        _contractAdmin = new Contract(client, GovernanceAbis.ContractAdmin, GovernanceAddresses.ContractAdmin, admin);
        _chainConfig = new Contract(client, GovernanceAbis.ChainConfig, GovernanceAddresses.ChainConfig, admin);
    }

    /// <summary>The client calls go through.</summary>
    public TrellisClient Client { get; }

    /// <summary>The admin account that signs proposals and votes; null for a read-only client.</summary>
    public Signer? Admin { get; }

    /// <summary>How long a transaction waits for its receipt. Default 60 s.</summary>
    public TimeSpan ReceiptTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The same client acting through another admin account.</summary>
    public GovernanceClient WithAdmin(Signer admin) => new(Client, admin) { ReceiptTimeout = ReceiptTimeout };

    // ---- ICommittee ----

    /// <summary>The number of member organisations.</summary>
    public Task<ulong> GetMemberCountAsync(CancellationToken cancellationToken = default) => ReadAsync<ulong>(_committee, "memberCount", [], cancellationToken);

    /// <summary>Every member organisation, in committee order.</summary>
    public async Task<IReadOnlyList<MemberInfo>> GetMembersAsync(CancellationToken cancellationToken = default)
    {
        ulong count = await GetMemberCountAsync(cancellationToken).ConfigureAwait(false);
        var members = new List<MemberInfo>((int)Math.Min(count, 1024));
        for (ulong i = 0; i < count; i++)
        {
            object?[] outputs = await ReadAllAsync(_committee, "memberAt", [i], cancellationToken).ConfigureAwait(false);
            members.Add(new MemberInfo(
                (string)outputs[0]!,
                AbiValueConverter.Convert<Hash256>(outputs[1]),
                AbiValueConverter.Convert<ulong>(outputs[2]),
                AbiValueConverter.Convert<Address[]>(outputs[3])));
        }

        return members;
    }

    /// <summary>The member named <paramref name="name"/>, or null when there is none.</summary>
    public async Task<MemberInfo?> GetMemberAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (MemberInfo member in await GetMembersAsync(cancellationToken).ConfigureAwait(false))
        {
            if (member.Name == name)
            {
                return member;
            }
        }

        return null;
    }

    /// <summary>The member <paramref name="admin"/> acts for, or null when it is no member's admin account.</summary>
    public async Task<string?> GetMemberOfAsync(Address admin, CancellationToken cancellationToken = default)
    {
        string name = await ReadAsync<string>(_committee, "memberOf", [admin], cancellationToken).ConfigureAwait(false);
        return name.Length == 0 ? null : name;
    }

    /// <summary>True when an organisation named <paramref name="name"/> is a member.</summary>
    public Task<bool> IsMemberAsync(string name, CancellationToken cancellationToken = default) => ReadAsync<bool>(_committee, "isMember", [name], cancellationToken);

    /// <summary>The sum of the members' weights.</summary>
    public Task<ulong> GetTotalWeightAsync(CancellationToken cancellationToken = default) => ReadAsync<ulong>(_committee, "totalWeight", [], cancellationToken);

    /// <summary>The pass threshold.</summary>
    public async Task<ThresholdInfo> GetThresholdAsync(CancellationToken cancellationToken = default)
    {
        object?[] outputs = await ReadAllAsync(_committee, "threshold", [], cancellationToken).ConfigureAwait(false);
        return new ThresholdInfo(AbiValueConverter.Convert<ulong>(outputs[0]), AbiValueConverter.Convert<ulong>(outputs[1]));
    }

    // ---- INodeRegistry ----

    /// <summary>The number of registered nodes (removed ones included).</summary>
    public Task<ulong> GetNodeCountAsync(CancellationToken cancellationToken = default) => ReadAsync<ulong>(_nodes, "nodeCount", [], cancellationToken);

    /// <summary>Every registered node, in registration order (the validators in this order are the leader rotation).</summary>
    public async Task<IReadOnlyList<NodeInfo>> GetNodesAsync(CancellationToken cancellationToken = default)
    {
        ulong count = await GetNodeCountAsync(cancellationToken).ConfigureAwait(false);
        var nodes = new List<NodeInfo>((int)Math.Min(count, 1024));
        for (ulong i = 0; i < count; i++)
        {
            Address address = await ReadAsync<Address>(_nodes, "nodeAt", [i], cancellationToken).ConfigureAwait(false);
            nodes.Add(await ReadNodeAsync(address, cancellationToken).ConfigureAwait(false));
        }

        return nodes;
    }

    /// <summary>The node registered under <paramref name="signingAddress"/>, or null when none is.</summary>
    public async Task<NodeInfo?> GetNodeAsync(Address signingAddress, CancellationToken cancellationToken = default)
    {
        // getNode reverts for an unknown address; roleAt answers 0 without reverting, so ask it first.
        RegistryRole role = await GetRoleAtAsync(signingAddress, ulong.MaxValue, cancellationToken).ConfigureAwait(false);
        return role == RegistryRole.None ? null : await ReadNodeAsync(signingAddress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The role of a node at <paramref name="height"/> (<see cref="RegistryRole.None"/> when not registered).</summary>
    public async Task<RegistryRole> GetRoleAtAsync(Address signingAddress, ulong height, CancellationToken cancellationToken = default) =>
        (RegistryRole)await ReadAsync<byte>(_nodes, "roleAt", [signingAddress, height], cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// True when the certificate whose DER has SHA-256 <paramref name="fingerprint"/> is revoked at the next block
    /// (a revocation executed in block h is effective from h + 2).
    /// </summary>
    public Task<bool> IsRevokedAsync(Hash256 fingerprint, CancellationToken cancellationToken = default) =>
        ReadAsync<bool>(_nodes, "isRevoked", [fingerprint], cancellationToken);

    /// <summary>Every certificate revoked by governance, in the order of revocation (pending ones included).</summary>
    public async Task<IReadOnlyList<RevokedCertificate>> GetRevokedCertificatesAsync(CancellationToken cancellationToken = default)
    {
        ulong count = await ReadAsync<ulong>(_nodes, "revokedCount", [], cancellationToken).ConfigureAwait(false);
        var revoked = new List<RevokedCertificate>((int)Math.Min(count, 1024));
        for (ulong i = 0; i < count; i++)
        {
            object?[] o = await ReadAllAsync(_nodes, "revokedAt", [i], cancellationToken).ConfigureAwait(false);
            revoked.Add(new RevokedCertificate(
                AbiValueConverter.Convert<Hash256>(o[0]),
                (string)o[1]!,
                AbiValueConverter.Convert<ulong>(o[2]),
                AbiValueConverter.Convert<ulong>(o[3])));
        }

        return revoked;
    }

    // ---- IPermissions ----

    /// <summary>True on a permissioned chain.</summary>
    public Task<bool> IsPermissionedAsync(CancellationToken cancellationToken = default) => ReadAsync<bool>(_permissions, "permissioned", [], cancellationToken);

    /// <summary>The rights governance granted <paramref name="account"/>.</summary>
    public async Task<AccountRights> GetRightsAsync(Address account, CancellationToken cancellationToken = default) =>
        (AccountRights)await ReadAsync<byte>(_permissions, "rightsOf", [account], cancellationToken).ConfigureAwait(false);

    /// <summary>True when <paramref name="account"/> may send transactions.</summary>
    public Task<bool> CanTransactAsync(Address account, CancellationToken cancellationToken = default) => ReadAsync<bool>(_permissions, "canTransact", [account], cancellationToken);

    /// <summary>True when <paramref name="account"/> may create contracts.</summary>
    public Task<bool> CanDeployAsync(Address account, CancellationToken cancellationToken = default) => ReadAsync<bool>(_permissions, "canDeploy", [account], cancellationToken);

    // ---- IContractAdmin, IChainConfig ----

    /// <summary>True when governance froze the contract at <paramref name="target"/>.</summary>
    public Task<bool> IsFrozenAsync(Address target, CancellationToken cancellationToken = default) => ReadAsync<bool>(_contractAdmin, "isFrozen", [target], cancellationToken);

    /// <summary>The code hash members approved for <paramref name="target"/> (zero when none).</summary>
    public Task<Hash256> GetApprovedCodeHashAsync(Address target, CancellationToken cancellationToken = default) =>
        ReadAsync<Hash256>(_contractAdmin, "approvedCodeHash", [target], cancellationToken);

    /// <summary>The value governance set for a chain setting, or 0 when the genesis value applies.</summary>
    public Task<ulong> GetChainConfigValueAsync(string key, CancellationToken cancellationToken = default) =>
        ReadAsync<ulong>(_chainConfig, "valueOf", [key], cancellationToken);

    // ---- IGovernance reads ----

    /// <summary>The number of proposals ever made (ids run from 1 to this).</summary>
    public Task<ulong> GetProposalCountAsync(CancellationToken cancellationToken = default) => ReadAsync<ulong>(_governance, "proposalCount", [], cancellationToken);

    /// <summary>How <paramref name="member"/> voted on proposal <paramref name="id"/>.</summary>
    public async Task<ProposalVote> GetVoteAsync(ulong id, string member, CancellationToken cancellationToken = default) =>
        (ProposalVote)await ReadAsync<byte>(_governance, "voteOf", [id, member], cancellationToken).ConfigureAwait(false);

    /// <summary>Proposal <paramref name="id"/> with every current member's vote.</summary>
    /// <exception cref="GovernanceException">There is no such proposal.</exception>
    public async Task<ProposalInfo> GetProposalAsync(ulong id, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<MemberInfo> members = await GetMembersAsync(cancellationToken).ConfigureAwait(false);
        return await ReadProposalAsync(id, members, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every proposal, oldest first.</summary>
    public async Task<IReadOnlyList<ProposalInfo>> GetProposalsAsync(CancellationToken cancellationToken = default)
    {
        ulong count = await GetProposalCountAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlyList<MemberInfo> members = await GetMembersAsync(cancellationToken).ConfigureAwait(false);
        var proposals = new List<ProposalInfo>((int)Math.Min(count, 1024));
        for (ulong id = 1; id <= count; id++)
        {
            proposals.Add(await ReadProposalAsync(id, members, cancellationToken).ConfigureAwait(false));
        }

        return proposals;
    }

    // ---- IGovernance proposals and votes ----

    /// <summary>Proposes admitting organisation <paramref name="name"/> with its CA fingerprint and 1–8 admin accounts.</summary>
    public Task<ProposalOutcome> ProposeAddMemberAsync(string name, Hash256 caFingerprint, IReadOnlyList<Address> admins, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(admins);
        return SendAsync("proposeAddMember", [name, caFingerprint, admins.ToArray()], cancellationToken);
    }

    /// <summary>Proposes removing member <paramref name="name"/> (and its nodes).</summary>
    public Task<ProposalOutcome> ProposeRemoveMemberAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync("proposeRemoveMember", [name], cancellationToken);

    /// <summary>Proposes a member's weight (1 to 1,000,000).</summary>
    public Task<ProposalOutcome> ProposeSetMemberWeightAsync(string name, ulong weight, CancellationToken cancellationToken = default) =>
        SendAsync("proposeSetMemberWeight", [name, weight], cancellationToken);

    /// <summary>Proposes a new pass threshold (1/2 ≤ numerator/denominator &lt; 1).</summary>
    public Task<ProposalOutcome> ProposeSetThresholdAsync(ulong numerator, ulong denominator, CancellationToken cancellationToken = default) =>
        SendAsync("proposeSetThreshold", [numerator, denominator], cancellationToken);

    /// <summary>
    /// Proposes admitting a node of member <paramref name="org"/> as <paramref name="role"/> (validator or observer).
    /// <paramref name="publicKey"/> may be empty; if given it must belong to <paramref name="signingAddress"/>.
    /// </summary>
    public Task<ProposalOutcome> ProposeAddNodeAsync(
        Address signingAddress, string name, string org, RegistryRole role, ReadOnlyMemory<byte> publicKey, Hash256 tlsFingerprint, CancellationToken cancellationToken = default) =>
        SendAsync("proposeAddNode", [signingAddress, name, org, (byte)role, publicKey, tlsFingerprint], cancellationToken);

    /// <summary>Proposes forcing a node out (role removed).</summary>
    public Task<ProposalOutcome> ProposeRemoveNodeAsync(Address signingAddress, CancellationToken cancellationToken = default) =>
        SendAsync("proposeRemoveNode", [signingAddress], cancellationToken);

    /// <summary>Proposes a node's role (validator ↔ observer, or reinstating a removed node).</summary>
    public Task<ProposalOutcome> ProposeSetNodeRoleAsync(Address signingAddress, RegistryRole role, CancellationToken cancellationToken = default) =>
        SendAsync("proposeSetNodeRole", [signingAddress, (byte)role], cancellationToken);

    /// <summary>Proposes adding right bits to an account.</summary>
    public Task<ProposalOutcome> ProposeGrantRightsAsync(Address account, AccountRights rights, CancellationToken cancellationToken = default) =>
        SendAsync("proposeGrantRights", [account, (byte)rights], cancellationToken);

    /// <summary>Proposes clearing right bits of an account.</summary>
    public Task<ProposalOutcome> ProposeRevokeRightsAsync(Address account, AccountRights rights, CancellationToken cancellationToken = default) =>
        SendAsync("proposeRevokeRights", [account, (byte)rights], cancellationToken);

    /// <summary>Proposes making the chain permissioned (true) or open (false).</summary>
    public Task<ProposalOutcome> ProposeSetPermissionedAsync(bool permissioned, CancellationToken cancellationToken = default) =>
        SendAsync("proposeSetPermissioned", [permissioned], cancellationToken);

    /// <summary>Proposes freezing a contract.</summary>
    public Task<ProposalOutcome> ProposeFreezeContractAsync(Address target, CancellationToken cancellationToken = default) =>
        SendAsync("proposeFreezeContract", [target], cancellationToken);

    /// <summary>Proposes unfreezing a contract.</summary>
    public Task<ProposalOutcome> ProposeUnfreezeContractAsync(Address target, CancellationToken cancellationToken = default) =>
        SendAsync("proposeUnfreezeContract", [target], cancellationToken);

    /// <summary>Proposes recording an approved upgrade code hash for a contract.</summary>
    public Task<ProposalOutcome> ProposeApproveUpgradeAsync(Address target, Hash256 codeHash, CancellationToken cancellationToken = default) =>
        SendAsync("proposeApproveUpgrade", [target, codeHash], cancellationToken);

    /// <summary>Proposes a chain setting (<c>blockGasLimit</c>, <c>blockIntervalMs</c>, ...; see docs/governance.md).</summary>
    public Task<ProposalOutcome> ProposeSetChainConfigAsync(string key, ulong value, CancellationToken cancellationToken = default) =>
        SendAsync("proposeSetChainConfig", [key, value], cancellationToken);

    /// <summary>
    /// Proposes revoking the certificate whose DER has SHA-256 <paramref name="fingerprint"/> (a node TLS, admin or
    /// organisation CA certificate) with a reason of at most 256 UTF-8 bytes. Permanent once executed.
    /// </summary>
    public Task<ProposalOutcome> ProposeRevokeCertificateAsync(Hash256 fingerprint, string reason = "", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reason);
        return SendAsync("proposeRevokeCertificate", [fingerprint, reason], cancellationToken);
    }

    /// <summary>Votes for (<paramref name="support"/> true) or against proposal <paramref name="id"/> for the admin's member.</summary>
    public Task<ProposalOutcome> VoteAsync(ulong id, bool support = true, CancellationToken cancellationToken = default) =>
        SendAsync("vote", [id, support], cancellationToken, id);

    /// <summary>Executes an open proposal that passes without a new vote (after a weight or threshold change).</summary>
    public Task<ProposalOutcome> ExecuteAsync(ulong id, CancellationToken cancellationToken = default) =>
        SendAsync("execute", [id], cancellationToken, id);

    /// <summary>Decodes the payload of a proposal of <paramref name="kind"/> (the arguments of its propose call).</summary>
    /// <exception cref="AbiException">The payload does not decode as that call's arguments.</exception>
    public static IReadOnlyList<object?> DecodeProposalArguments(ProposalKind kind, ReadOnlySpan<byte> payload)
    {
        if (!ProposeFunctions.TryGetValue(kind, out string? name))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, $"proposal kind {(byte)kind} is not one of 1 to 15");
        }

        AbiFunction function = GovernanceAbis.Governance.GetFunction(name);
        var types = new AbiType[function.Inputs.Count];
        for (int i = 0; i < types.Length; i++)
        {
            types[i] = function.Inputs[i].Type;
        }

        return AbiDecoder.Decode(types, payload);
    }

    /// <summary>The name of the propose function for <paramref name="kind"/> (for example <c>proposeAddNode</c>).</summary>
    public static string ProposeFunctionOf(ProposalKind kind) =>
        ProposeFunctions.TryGetValue(kind, out string? name) ? name : throw new ArgumentOutOfRangeException(nameof(kind), kind, $"proposal kind {(byte)kind} is not one of 1 to 15");

    private async Task<NodeInfo> ReadNodeAsync(Address address, CancellationToken cancellationToken)
    {
        object?[] o = await ReadAllAsync(_nodes, "getNode", [address], cancellationToken).ConfigureAwait(false);
        return new NodeInfo(
            address,
            (string)o[0]!,
            (string)o[1]!,
            (RegistryRole)AbiValueConverter.Convert<byte>(o[2]),
            (RegistryRole)AbiValueConverter.Convert<byte>(o[3]),
            AbiValueConverter.Convert<ulong>(o[4]),
            (byte[])o[5]!,
            AbiValueConverter.Convert<Hash256>(o[6]));
    }

    private async Task<ProposalInfo> ReadProposalAsync(ulong id, IReadOnlyList<MemberInfo> members, CancellationToken cancellationToken)
    {
        object?[] o = await ReadAllAsync(_governance, "getProposal", [id], cancellationToken).ConfigureAwait(false);
        var votes = new List<MemberVote>(members.Count);
        foreach (MemberInfo member in members)
        {
            votes.Add(new MemberVote(member.Name, await GetVoteAsync(id, member.Name, cancellationToken).ConfigureAwait(false)));
        }

        return new ProposalInfo(
            id,
            (ProposalKind)AbiValueConverter.Convert<byte>(o[0]),
            (Address)o[1]!,
            (ProposalStatus)AbiValueConverter.Convert<byte>(o[2]),
            AbiValueConverter.Convert<ulong>(o[3]),
            AbiValueConverter.Convert<ulong>(o[4]),
            AbiValueConverter.Convert<ulong>(o[5]),
            AbiValueConverter.Convert<ulong>(o[6]),
            (byte[])o[7]!,
            votes);
    }

    private static async Task<T> ReadAsync<T>(Contract contract, string method, object?[] arguments, CancellationToken cancellationToken)
    {
        try
        {
            return await contract.CallAsync<T>(method, arguments, cancellationToken).ConfigureAwait(false);
        }
        catch (TrellisRpcException e) when (e.IsRevert)
        {
            throw Refusal(method, e);
        }
    }

    private static async Task<object?[]> ReadAllAsync(Contract contract, string method, object?[] arguments, CancellationToken cancellationToken)
    {
        try
        {
            return await contract.CallAsync(method, arguments, cancellationToken).ConfigureAwait(false);
        }
        catch (TrellisRpcException e) when (e.IsRevert)
        {
            throw Refusal(method, e);
        }
    }

    private async Task<ProposalOutcome> SendAsync(string method, object?[] arguments, CancellationToken cancellationToken, ulong? knownId = null)
    {
        if (Admin is null)
        {
            throw new InvalidOperationException($"{method} needs an admin account: create the GovernanceClient with a Signer for a member's admin key");
        }

        Contract governance = new(Client, GovernanceAbis.Governance, GovernanceAddresses.Governance, Admin) { ReceiptTimeout = ReceiptTimeout };
        TransactionReceipt receipt;
        try
        {
            receipt = await governance.SendAsync(method, arguments, UInt256.Zero, cancellationToken).ConfigureAwait(false);
        }
        catch (TrellisRpcException e) when (e.IsRevert)
        {
            throw Refusal(method, e);
        }

        if (!receipt.Succeeded)
        {
            // Estimation passed but the transaction reverted in its block (the state moved on in between): replay it
            // as a call at that block's state to learn the reason.
            string reason = await ReplayReasonAsync(governance.Abi.GetFunction(method).EncodeCall(arguments), receipt, cancellationToken).ConfigureAwait(false);
            throw new GovernanceException(reason);
        }

        // A node may serve the receipt a moment before "latest" moves to its block; wait so that a read after this
        // call sees the change (read-your-writes).
        DateTime deadline = DateTime.UtcNow + ReceiptTimeout;
        while (await Client.GetBlockNumberAsync(cancellationToken).ConfigureAwait(false) < receipt.BlockNumber && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
        }

        return ReadOutcome(receipt, knownId);
    }

    private async Task<string> ReplayReasonAsync(byte[] callData, TransactionReceipt receipt, CancellationToken cancellationToken)
    {
        string fallback = $"transaction {receipt.TransactionHash} reverted in block {receipt.BlockNumber}";
        try
        {
            string parent = "0x" + (receipt.BlockNumber == 0 ? 0 : receipt.BlockNumber - 1).ToString("x", System.Globalization.CultureInfo.InvariantCulture);
            await Client.CallAsync(new CallRequest { From = Admin!.Address, To = GovernanceAddresses.Governance, Data = callData }, parent, cancellationToken).ConfigureAwait(false);
            return fallback;
        }
        catch (TrellisRpcException e) when (e.IsRevert)
        {
            return Refusal("replay", e.WithRevertDecodedBy(GovernanceAbis.Governance)).Reason + $" (transaction {receipt.TransactionHash}, block {receipt.BlockNumber})";
        }
    }

    private ProposalOutcome ReadOutcome(TransactionReceipt receipt, ulong? knownId)
    {
        ulong id = knownId ?? 0;
        ProposalStatus status = ProposalStatus.Open;
        ulong yes = 0;
        ulong no = 0;
        string? failure = null;
        foreach (DecodedEvent e in _governance.DecodeEvents(receipt))
        {
            ulong eventId = AbiValueConverter.Convert<ulong>(e["id"]);
            if (knownId is null && e.Event.Name == "ProposalCreated")
            {
                id = eventId;
            }

            if (eventId != id)
            {
                continue;
            }

            switch (e.Event.Name)
            {
                case "VoteCast":
                    yes = AbiValueConverter.Convert<ulong>(e["yesWeight"]);
                    no = AbiValueConverter.Convert<ulong>(e["noWeight"]);
                    break;
                case "ProposalExecuted":
                    status = ProposalStatus.Executed;
                    break;
                case "ProposalRejected":
                    status = ProposalStatus.Rejected;
                    break;
                case "ProposalFailed":
                    status = ProposalStatus.Failed;
                    failure = (string?)e["reason"];
                    break;
            }
        }

        if (id == 0)
        {
            throw new GovernanceException($"transaction {receipt.TransactionHash} succeeded but its receipt holds no ProposalCreated event of IGovernance");
        }

        return new ProposalOutcome(id, status, yes, no, failure, receipt);
    }

    private static GovernanceException Refusal(string method, TrellisRpcException e)
    {
        // The contract's Error(string) text is the user's answer; anything else keeps the node's message.
        string reason = e.Revert is { Kind: RevertReasonKind.Error, Message: { } message } ? message : e.RpcMessage;
        return new GovernanceException(reason.Length > 0 ? reason : $"{method} reverted without a reason", e);
    }
}
