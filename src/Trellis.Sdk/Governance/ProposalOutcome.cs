using Trellis.Ledger.Governance;
using Trellis.Sdk.Rpc;

namespace Trellis.Sdk.Governance;

/// <summary>
/// What a propose, vote or execute transaction did, read from its receipt's events: the proposal id, the status it
/// left the proposal in, the tally after the vote, and the failure reason when the change could not be applied.
/// </summary>
/// <param name="ProposalId">The proposal's id (from <c>ProposalCreated</c> or <c>VoteCast</c>).</param>
/// <param name="Status">Executed, failed or rejected when the transaction decided it; otherwise open.</param>
/// <param name="YesWeight">The yes weight after the vote, when the transaction counted one (0 for <c>execute</c>).</param>
/// <param name="NoWeight">The no weight after the vote, when the transaction counted one.</param>
/// <param name="FailureReason">The <c>ProposalFailed</c> reason, when the change could no longer be applied.</param>
/// <param name="Receipt">The transaction's receipt.</param>
public sealed record ProposalOutcome(ulong ProposalId, ProposalStatus Status, ulong YesWeight, ulong NoWeight, string? FailureReason, TransactionReceipt Receipt)
{
    /// <summary>True when this transaction executed the proposal.</summary>
    public bool Executed => Status == ProposalStatus.Executed;
}
