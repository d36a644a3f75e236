using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Trellis.Core;
using Trellis.Ledger.Governance;
using Trellis.Network.Certificates;

namespace Trellis.Node.P2p;

/// <summary>
/// The certificates governance revoked (INodeRegistry's revocation list), as in force at one height: those whose
/// effective height is at or below it. Immutable, so safe from any thread; <see cref="GovernanceAdmission"/> reads a
/// new one with each policy. Matches by certificate fingerprint (a node's TLS certificate, its TLS CA or its
/// organisation's CA); the ledger records no issuer and serial revocations.
/// </summary>
public sealed class LedgerRevocationSet : IRevocationSet
{
    private readonly Dictionary<Hash256, RevokedCertificate> _revoked = [];

    /// <summary>The revocations among <paramref name="revocations"/> in force at <paramref name="height"/>.</summary>
    public LedgerRevocationSet(IEnumerable<RevokedCertificate> revocations, ulong height)
    {
        ArgumentNullException.ThrowIfNull(revocations);
        Height = height;
        ulong next = ulong.MaxValue;
        foreach (RevokedCertificate revocation in revocations)
        {
            ArgumentNullException.ThrowIfNull(revocation);
            if (revocation.IsEffectiveAt(height))
            {
                _revoked.TryAdd(revocation.Fingerprint, revocation);
            }
            else
            {
                next = Math.Min(next, revocation.EffectiveHeight);
            }
        }

        NextEffectiveHeight = next;
    }

    /// <summary>The height this set decides for.</summary>
    public ulong Height { get; }

    /// <summary>The number of certificates revoked at <see cref="Height"/>.</summary>
    public int Count => _revoked.Count;

    /// <summary>The lowest effective height of a revocation still pending at <see cref="Height"/> (<see cref="ulong.MaxValue"/> if none).</summary>
    public ulong NextEffectiveHeight { get; }

    /// <summary>Reads the revocations in force at <paramref name="height"/> from <paramref name="governance"/>.</summary>
    public static LedgerRevocationSet Read(GovernanceState governance, ulong height)
    {
        ArgumentNullException.ThrowIfNull(governance);
        return new LedgerRevocationSet(governance.RevokedCertificates, height);
    }

    /// <summary>Whether the certificate with <paramref name="fingerprint"/> is revoked; if so <paramref name="reason"/> says by which proposal and why.</summary>
    public bool IsRevoked(Hash256 fingerprint, [NotNullWhen(true)] out string? reason)
    {
        if (_revoked.TryGetValue(fingerprint, out RevokedCertificate? revocation))
        {
            string why = revocation.Reason.Length == 0 ? string.Empty : ": " + revocation.Reason;
            reason = string.Create(CultureInfo.InvariantCulture, $"revoked by governance proposal {revocation.ProposalId} from block {revocation.EffectiveHeight}{why}");
            return true;
        }

        reason = null;
        return false;
    }

    /// <inheritdoc />
    public bool IsRevoked(Hash256 fingerprint, Hash256 issuerFingerprint, string serialNumber, [NotNullWhen(true)] out string? reason) =>
        IsRevoked(fingerprint, out reason);
}
