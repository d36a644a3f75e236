using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography.X509Certificates;
using Trellis.Core;
using Trellis.Network.Certificates;

namespace Trellis.Network.Admission;

/// <summary>
/// Who may connect: the member organisations' CA roots (the only trust anchors for certificate chains), the admitted
/// (CA, node) pairs and the revoked certificates. Consulted on every handshake, in both directions, so a new policy
/// applies to the next connection.
/// </summary>
public interface IAdmissionPolicy
{
    /// <summary>The member organisations' root certificates; chains are built to these and nothing else.</summary>
    IReadOnlyCollection<X509Certificate2> MemberAuthorities { get; }

    /// <summary>
    /// The trust anchors for one handshake, given the certificates the peer sent besides its own (in TLS and in its
    /// first hello). By default the member roots; a policy that knows members only by CA fingerprint may add an offered
    /// root with such a fingerprint.
    /// </summary>
    IReadOnlyCollection<X509Certificate2> AuthoritiesFor(IEnumerable<X509Certificate2> offered) => MemberAuthorities;

    /// <summary>Revoked certificates (nodes, TLS CAs, admins); none unless the policy says otherwise.</summary>
    IRevocationSet Revocations => IRevocationSet.None;

    /// <summary>
    /// Decides whether the node certificate <paramref name="nodeFingerprint"/>, issued by the member CA
    /// <paramref name="authorityFingerprint"/>, is admitted, and in which role.
    /// </summary>
    bool TryAdmit(Hash256 authorityFingerprint, Hash256 nodeFingerprint, out PeerRole role, [NotNullWhen(false)] out string? reason);

    /// <summary>
    /// As <see cref="TryAdmit(Hash256, Hash256, out PeerRole, out string?)"/>, also checking the signing address the
    /// certificate names against the admitted entry. By default the address is not checked.
    /// </summary>
    bool TryAdmit(Hash256 authorityFingerprint, Hash256 nodeFingerprint, Address signingAddress, out PeerRole role, [NotNullWhen(false)] out string? reason) =>
        TryAdmit(authorityFingerprint, nodeFingerprint, out role, out reason);
}
