using System.Diagnostics.CodeAnalysis;
using Trellis.Core;

namespace Trellis.Network.Certificates;

/// <summary>
/// Certificates that are revoked, named by fingerprint or by issuer and serial number. Checked on every validation, so
/// a revocation applies to the next handshake. Governance implements it from ledger state; implementations must be
/// safe to call from many threads at once.
/// </summary>
public interface IRevocationSet
{
    /// <summary>A set that revokes nothing.</summary>
    static IRevocationSet None { get; } = new Empty();

    /// <summary>
    /// Whether the certificate with <paramref name="fingerprint"/> (SHA-256 of its DER), issued by the certificate
    /// with <paramref name="issuerFingerprint"/> under <paramref name="serialNumber"/> (lowercase hex, big-endian, as
    /// encoded), is revoked; if so <paramref name="reason"/> says why.
    /// </summary>
    bool IsRevoked(Hash256 fingerprint, Hash256 issuerFingerprint, string serialNumber, [NotNullWhen(true)] out string? reason);

    /// <summary>Revokes nothing, and cannot be made to.</summary>
    private sealed class Empty : IRevocationSet
    {
        public bool IsRevoked(Hash256 fingerprint, Hash256 issuerFingerprint, string serialNumber, [NotNullWhen(true)] out string? reason)
        {
            reason = null;
            return false;
        }
    }
}
