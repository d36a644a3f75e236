using Trellis.Core;

namespace Trellis.Ledger.Governance;

/// <summary>
/// A certificate revoked by governance: refused by every node for blocks from <paramref name="EffectiveHeight"/> on
/// (the executing block's height + <see cref="GovernanceRules.ActivationDelay"/>). Revocation is permanent.
/// </summary>
/// <param name="Fingerprint">SHA-256 of the certificate's DER (node TLS, admin or organisation CA certificate).</param>
/// <param name="Reason">Why, as the proposal gave it (may be empty).</param>
/// <param name="ProposalId">The proposal that revoked it.</param>
/// <param name="EffectiveHeight">The first height at which it is revoked.</param>
public sealed record RevokedCertificate(Hash256 Fingerprint, string Reason, ulong ProposalId, ulong EffectiveHeight)
{
    /// <summary>True if the certificate is revoked at block <paramref name="height"/>.</summary>
    public bool IsEffectiveAt(ulong height) => height >= EffectiveHeight;
}
