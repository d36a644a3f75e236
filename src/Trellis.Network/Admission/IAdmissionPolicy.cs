using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography.X509Certificates;
using Trellis.Core;

namespace Trellis.Network.Admission;

/// <summary>
/// Who may connect: the member organisations' CA roots (the only trust anchors for certificate chains) and the admitted
/// (CA, node) pairs. Consulted on every handshake, in both directions, so a new policy applies to the next connection.
/// </summary>
public interface IAdmissionPolicy
{
    /// <summary>The member organisations' root certificates; chains are built to these and nothing else.</summary>
    IReadOnlyCollection<X509Certificate2> MemberAuthorities { get; }

    /// <summary>
    /// Decides whether the node certificate <paramref name="nodeFingerprint"/>, issued by the member CA
    /// <paramref name="authorityFingerprint"/>, is admitted, and in which role.
    /// </summary>
    bool TryAdmit(Hash256 authorityFingerprint, Hash256 nodeFingerprint, out PeerRole role, [NotNullWhen(false)] out string? reason);
}
