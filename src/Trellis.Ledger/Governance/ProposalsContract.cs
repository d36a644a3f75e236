using Trellis.Core;
using Trellis.Evm.SystemContracts;

namespace Trellis.Ledger.Governance;

/// <summary>
/// IGovernance at 0x…1001: members' admin accounts propose changes and vote; a proposal executes in the vote (or
/// propose) that takes its yes weight over the threshold, or by <c>execute</c> once it passes; it expires by height.
/// </summary>
internal sealed class ProposalsContract : NativeContract
{
    private static readonly (string Signature, ProposalKind Kind)[] ProposeFunctions =
    [
        ("proposeAddMember(string,bytes32,address[])", ProposalKind.AddMember),
        ("proposeRemoveMember(string)", ProposalKind.RemoveMember),
        ("proposeSetMemberWeight(string,uint64)", ProposalKind.SetMemberWeight),
        ("proposeSetThreshold(uint64,uint64)", ProposalKind.SetThreshold),
        ("proposeAddNode(address,string,string,uint8,bytes,bytes32)", ProposalKind.AddNode),
        ("proposeRemoveNode(address)", ProposalKind.RemoveNode),
        ("proposeSetNodeRole(address,uint8)", ProposalKind.SetNodeRole),
        ("proposeGrantRights(address,uint8)", ProposalKind.GrantRights),
        ("proposeRevokeRights(address,uint8)", ProposalKind.RevokeRights),
        ("proposeSetPermissioned(bool)", ProposalKind.SetPermissioned),
        ("proposeFreezeContract(address)", ProposalKind.FreezeContract),
        ("proposeUnfreezeContract(address)", ProposalKind.UnfreezeContract),
        ("proposeApproveUpgrade(address,bytes32)", ProposalKind.ApproveUpgrade),
        ("proposeSetChainConfig(string,uint64)", ProposalKind.SetChainConfig),
        ("proposeRevokeCertificate(bytes32,string)", ProposalKind.RevokeCertificate),
    ];

    private static readonly Dictionary<string, ProposalKind> KindBySignature = ProposeFunctions.ToDictionary(f => f.Signature, f => f.Kind, StringComparer.Ordinal);

    public ProposalsContract()
        : base(GovernanceAddresses.Governance, "IGovernance", [.. ProposeFunctions.Select(f => f.Signature), "vote(uint64,bool)", "execute(uint64)", "proposalCount()", "getProposal(uint64)", "voteOf(uint64,string)"])
    {
    }

    /// <summary>True when <paramref name="yes"/> of <paramref name="total"/> is more than numerator / denominator.</summary>
    public static bool Passes(ulong yes, ulong total, ulong numerator, ulong denominator) =>
        (UInt128)yes * denominator > (UInt128)total * numerator;

    protected override byte[] Run(string signature, ReadOnlySpan<byte> arguments, GovernanceStore store, SystemCall call)
    {
        var abi = new AbiReader(arguments);
        if (KindBySignature.TryGetValue(signature, out ProposalKind kind))
        {
            return Word(Propose(kind, arguments, store, call));
        }

        switch (signature)
        {
            case "vote(uint64,bool)":
                Vote(abi.UInt64(0, "id"), abi.Bool(1, "support"), store, call);
                return [];
            case "execute(uint64)":
                Execute(abi.UInt64(0, "id"), store, call);
                return [];
            case "proposalCount()":
                return Word(store.ProposalCount);
            case "getProposal(uint64)":
                {
                    ulong id = abi.UInt64(0, "id");
                    GovernanceProposal proposal = store.ReadProposal(id, call.Block.Number) ?? throw NoProposal(id);
                    return new AbiWriter()
                        .UInt((ulong)proposal.Kind)
                        .Address(proposal.Proposer)
                        .UInt((ulong)proposal.Status)
                        .UInt(proposal.CreatedAt)
                        .UInt(proposal.ExpiresAt)
                        .UInt(proposal.YesWeight)
                        .UInt(proposal.NoWeight)
                        .Bytes(proposal.Payload)
                        .ToArray();
                }

            default:
                {
                    ulong id = abi.UInt64(0, "id");
                    ulong member = store.FindMemberByName(abi.String(1, "member", GovernanceRules.MaxPayloadBytes));
                    return Word(member == 0 ? 0UL : store.VoteOf(id, member));
                }
        }
    }

    private static ulong Propose(ProposalKind kind, ReadOnlySpan<byte> arguments, GovernanceStore store, SystemCall call)
    {
        ulong memberId = RequireMemberAdmin(store, call.Caller);
        if (arguments.Length > GovernanceRules.MaxPayloadBytes)
        {
            throw new GovernanceRevertException($"proposal arguments are {arguments.Length} bytes; the limit is {GovernanceRules.MaxPayloadBytes}");
        }

        ProposalAction action = ProposalAction.Decode(kind, arguments);
        string? invalid = action.Validate(store, call.State.Suite);
        if (invalid is not null)
        {
            throw new GovernanceRevertException(invalid);
        }

        ulong height = call.Block.Number;
        ulong expiresAt = height + store.ProposalLifetimeBlocks;
        ulong id = store.CreateProposal(kind, call.Caller, height, expiresAt, arguments);
        string member = store.MemberName(memberId);
        store.Emit(
            GovernanceAddresses.Governance,
            [GovernanceEvents.ProposalCreated, GovernanceEvents.Word(id), GovernanceEvents.Word(call.Caller)],
            new AbiWriter().UInt((ulong)kind).String(member).UInt(expiresAt).ToArray());

        // Proposing is the proposer's yes vote.
        CastVote(id, memberId, member, support: true, store, call);
        Evaluate(id, store, call);
        return id;
    }

    private static void Vote(ulong id, bool support, GovernanceStore store, SystemCall call)
    {
        ulong memberId = RequireMemberAdmin(store, call.Caller);
        RequireOpen(id, store, call.Block.Number);
        string member = store.MemberName(memberId);
        if (store.VoteOf(id, memberId) != 0)
        {
            throw new GovernanceRevertException($"member \"{member}\" already voted on proposal {id}");
        }

        CastVote(id, memberId, member, support, store, call);
        Evaluate(id, store, call);
    }

    private static void Execute(ulong id, GovernanceStore store, SystemCall call)
    {
        RequireOpen(id, store, call.Block.Number);
        (ulong yes, _) = store.Tally(id);
        ulong total = store.TotalWeight;
        (ulong numerator, ulong denominator) = store.Threshold;
        if (!Passes(yes, total, numerator, denominator))
        {
            throw new GovernanceRevertException($"proposal {id} does not pass: yes weight {yes} of total {total} is not more than {numerator}/{denominator}");
        }

        Enact(id, store, call);
    }

    private static void CastVote(ulong id, ulong memberId, string member, bool support, GovernanceStore store, SystemCall call)
    {
        store.RecordVote(id, memberId, support);
        (ulong yes, ulong no) = store.Tally(id);
        store.Emit(
            GovernanceAddresses.Governance,
            [GovernanceEvents.VoteCast, GovernanceEvents.Word(id), GovernanceEvents.Word(call.Caller)],
            new AbiWriter().String(member).Bool(support).UInt(yes).UInt(no).ToArray());
    }

    // Executes a proposal that now passes; rejects one that no longer can.
    private static void Evaluate(ulong id, GovernanceStore store, SystemCall call)
    {
        (ulong yes, ulong no) = store.Tally(id);
        ulong total = store.TotalWeight;
        (ulong numerator, ulong denominator) = store.Threshold;
        if (Passes(yes, total, numerator, denominator))
        {
            Enact(id, store, call);
        }
        else if (!Passes(total - Math.Min(no, total), total, numerator, denominator))
        {
            store.SetProposalStatus(id, ProposalStatus.Rejected);
            store.Emit(GovernanceAddresses.Governance, [GovernanceEvents.ProposalRejected, GovernanceEvents.Word(id)], []);
        }
    }

    // Re-validates against the state now (it may have changed since the proposal); a change that no longer
    // applies marks the proposal failed instead of reverting the vote that passed it.
    private static void Enact(ulong id, GovernanceStore store, SystemCall call)
    {
        ProposalKind kind = store.ProposalKindOf(id);
        ProposalAction action = ProposalAction.Decode(kind, store.ProposalPayload(id));
        string? invalid = action.Validate(store, call.State.Suite);
        if (invalid is not null)
        {
            store.SetProposalStatus(id, ProposalStatus.Failed);
            store.Emit(GovernanceAddresses.Governance, [GovernanceEvents.ProposalFailed, GovernanceEvents.Word(id)], new AbiWriter().String(invalid).ToArray());
            return;
        }

        action.Apply(store, id, call.Block.Number);
        store.SetProposalStatus(id, ProposalStatus.Executed);
        store.Emit(GovernanceAddresses.Governance, [GovernanceEvents.ProposalExecuted, GovernanceEvents.Word(id)], new AbiWriter().UInt((ulong)kind).ToArray());
    }

    private static ulong RequireMemberAdmin(GovernanceStore store, in Address caller)
    {
        ulong memberId = store.FindMemberByAdmin(caller);
        return memberId != 0 ? memberId : throw new GovernanceRevertException($"caller {caller} is not an admin account of any member organisation");
    }

    private static void RequireOpen(ulong id, GovernanceStore store, ulong height)
    {
        ProposalStatus status = store.StoredStatus(id);
        if (status == ProposalStatus.None)
        {
            throw NoProposal(id);
        }

        if (status != ProposalStatus.Open)
        {
            throw new GovernanceRevertException($"proposal {id} is {status.ToString().ToLowerInvariant()}, not open");
        }

        ulong expiresAt = store.ProposalExpiresAt(id);
        if (height > expiresAt)
        {
            throw new GovernanceRevertException($"proposal {id} expired at height {expiresAt} (now {height})");
        }
    }

    private static GovernanceRevertException NoProposal(ulong id) => new($"no proposal with id {id}");
}
