using Trellis.Core;
using Trellis.Ledger.Governance;

namespace Trellis.Sdk.Governance;

/// <summary>A proposal as <c>IGovernance.getProposal</c> returns it, with each current member's vote.</summary>
/// <param name="Id">The proposal id (1, 2, ...).</param>
/// <param name="Kind">What it changes.</param>
/// <param name="Proposer">The admin account that proposed it.</param>
/// <param name="Status">Open, executed, rejected, failed or expired.</param>
/// <param name="CreatedAt">The height of the block that holds the proposal.</param>
/// <param name="ExpiresAt">The last height at which it can be voted on.</param>
/// <param name="YesWeight">The weight of the current members that voted yes.</param>
/// <param name="NoWeight">The weight of the current members that voted no.</param>
/// <param name="Payload">The ABI-encoded arguments of the propose call.</param>
/// <param name="Votes">Every current member's vote, in committee order.</param>
public sealed record ProposalInfo(
    ulong Id,
    ProposalKind Kind,
    Address Proposer,
    ProposalStatus Status,
    ulong CreatedAt,
    ulong ExpiresAt,
    ulong YesWeight,
    ulong NoWeight,
    byte[] Payload,
    IReadOnlyList<MemberVote> Votes)
{
    /// <summary>The arguments of the propose call, decoded with its ABI (for example name, caFingerprint, admins for AddMember).</summary>
    public IReadOnlyList<object?> DecodeArguments() => GovernanceClient.DecodeProposalArguments(Kind, Payload);
}
