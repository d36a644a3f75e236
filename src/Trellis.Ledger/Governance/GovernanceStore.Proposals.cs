using Trellis.Core;

namespace Trellis.Ledger.Governance;

// The proposals contract's storage (0x…1001).
internal sealed partial class GovernanceStore
{
    private const byte ProposalMeta = 1;
    private const byte ProposalFields = 2;
    private const byte ProposalPayloadTable = 3;
    private const byte VoteTable = 4;

    private const uint FieldKind = 0;
    private const uint FieldProposer = 1;
    private const uint FieldStatus = 2;
    private const uint FieldCreatedAt = 3;
    private const uint FieldExpiresAt = 4;

    /// <summary>A vote as stored: 0 none, 1 yes, 2 no.</summary>
    public const byte VoteYes = 1;

    public const byte VoteNo = 2;

    private static Address Proposals => GovernanceAddresses.Governance;

    public ulong ProposalCount => ReadUInt64(Proposals, ProposalMeta, 0, Key(0));

    public ulong CreateProposal(ProposalKind kind, in Address proposer, ulong createdAt, ulong expiresAt, ReadOnlySpan<byte> payload)
    {
        ulong id = ProposalCount + 1;
        Address key = Key(id);
        Write(Proposals, ProposalMeta, 0, Key(0), new UInt256(id));
        Write(Proposals, ProposalFields, FieldKind, key, new UInt256((ulong)kind));
        Write(Proposals, ProposalFields, FieldProposer, key, FromAddress(proposer));
        Write(Proposals, ProposalFields, FieldStatus, key, new UInt256((ulong)ProposalStatus.Open));
        Write(Proposals, ProposalFields, FieldCreatedAt, key, new UInt256(createdAt));
        Write(Proposals, ProposalFields, FieldExpiresAt, key, new UInt256(expiresAt));
        WriteBytes(Proposals, ProposalPayloadTable, key, payload);
        return id;
    }

    /// <summary>The stored status (an open proposal past expiry is still stored as open).</summary>
    public ProposalStatus StoredStatus(ulong id) => (ProposalStatus)Math.Min(ReadUInt64(Proposals, ProposalFields, FieldStatus, Key(id)), 255);

    public ProposalKind ProposalKindOf(ulong id) => (ProposalKind)Math.Min(ReadUInt64(Proposals, ProposalFields, FieldKind, Key(id)), 255);

    public ulong ProposalExpiresAt(ulong id) => ReadUInt64(Proposals, ProposalFields, FieldExpiresAt, Key(id));

    public byte[] ProposalPayload(ulong id) => ReadBytes(Proposals, ProposalPayloadTable, Key(id));

    public void SetProposalStatus(ulong id, ProposalStatus status) =>
        Write(Proposals, ProposalFields, FieldStatus, Key(id), new UInt256((ulong)status));

    /// <summary>The proposal as read at block <paramref name="height"/>, or null if there is none with this id.</summary>
    public GovernanceProposal? ReadProposal(ulong id, ulong height)
    {
        ProposalStatus status = StoredStatus(id);
        if (status == ProposalStatus.None)
        {
            return null;
        }

        Address key = Key(id);
        ulong expiresAt = ProposalExpiresAt(id);
        if (status == ProposalStatus.Open && height > expiresAt)
        {
            status = ProposalStatus.Expired;
        }

        (ulong yes, ulong no) = Tally(id);
        return new GovernanceProposal(
            id,
            ProposalKindOf(id),
            AsAddress(Read(Proposals, ProposalFields, FieldProposer, key)),
            status,
            ReadUInt64(Proposals, ProposalFields, FieldCreatedAt, key),
            expiresAt,
            yes,
            no,
            ProposalPayload(id));
    }

    public byte VoteOf(ulong proposalId, ulong memberId) =>
        (byte)Math.Min(ReadUInt64(Proposals, VoteTable, (uint)memberId, Key(proposalId)), 255);

    public void RecordVote(ulong proposalId, ulong memberId, bool support) =>
        Write(Proposals, VoteTable, (uint)memberId, Key(proposalId), new UInt256(support ? VoteYes : VoteNo));

    /// <summary>
    /// The current weight of the current members that voted yes and no. Counting at evaluation time (not at vote
    /// time) means a removed member's vote no longer counts and a weight change applies to open proposals.
    /// </summary>
    public (ulong Yes, ulong No) Tally(ulong proposalId)
    {
        ulong yes = 0;
        ulong no = 0;
        int count = MemberCount;
        for (int i = 0; i < count; i++)
        {
            ulong memberId = MemberIdAt(i);
            byte vote = VoteOf(proposalId, memberId);
            if (vote == VoteYes)
            {
                yes += MemberWeight(memberId);
            }
            else if (vote == VoteNo)
            {
                no += MemberWeight(memberId);
            }
        }

        return (yes, no);
    }
}
