using Trellis.Core;

namespace Trellis.Ledger.Governance;

/// <summary>A proposal as IGovernance.getProposal reports it.</summary>
/// <param name="Id">1, 2, ...</param>
/// <param name="Kind">What it changes.</param>
/// <param name="Proposer">The admin account that proposed it.</param>
/// <param name="Status">Its status at the height it was read for (open proposals past expiry read as expired).</param>
/// <param name="CreatedAt">The block height it was created in.</param>
/// <param name="ExpiresAt">The last block height at which it can be voted on or executed.</param>
/// <param name="YesWeight">The current weight of the members that voted yes.</param>
/// <param name="NoWeight">The current weight of the members that voted no.</param>
/// <param name="Payload">The ABI-encoded arguments of the propose call.</param>
public sealed record GovernanceProposal(
    ulong Id,
    ProposalKind Kind,
    Address Proposer,
    ProposalStatus Status,
    ulong CreatedAt,
    ulong ExpiresAt,
    ulong YesWeight,
    ulong NoWeight,
    byte[] Payload);
