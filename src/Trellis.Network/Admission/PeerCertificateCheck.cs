using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Trellis.Core;
using Trellis.Network.Certificates;

namespace Trellis.Network.Admission;

/// <summary>
/// The TLS certificate callback for one handshake: validates the peer's certificate (and the TLS CA it sent, in the
/// national suite) against the member CAs only (the system store and the platform's own verdict are ignored), checks
/// revocation, then asks the admission policy. Remembers the identity or the reason for refusal so the handshake can
/// log it.
/// </summary>
internal sealed class PeerCertificateCheck(IAdmissionPolicy policy)
{
    public PeerIdentity? Identity { get; private set; }

    public string? Rejection { get; private set; }

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
        {
            return Reject("peer presented no certificate");
        }

        // The platform's chain used the system store; ours uses the member roots, so its verdict and the
        // host-name check (nodes are named by certificate, not DNS) do not apply. The extra store holds the
        // certificates the peer sent besides its own: in the national suite, its TLS CA.
        X509Certificate2 leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        var offered = new X509Certificate2Collection();
        if (chain is not null)
        {
            offered.AddRange(chain.ChainPolicy.ExtraStore);

            // Depending on the platform, the certificates the peer sent appear as elements of the platform's chain
            // rather than in its extra store; they are only candidates here, validated below against our anchors.
            foreach (X509ChainElement element in chain.ChainElements)
            {
                if (!element.Certificate.RawData.AsSpan().SequenceEqual(certificate.GetRawCertData()))
                {
                    offered.Add(element.Certificate);
                }
            }
        }

        CertificateValidation validation = CertificateValidator.ValidateNode(leaf, offered, policy.AuthoritiesFor(offered), policy.Revocations, DateTime.UtcNow);
        if (!validation.IsValid)
        {
            return Reject($"certificate \"{leaf.Subject}\" is not valid under the member CAs: {validation.Reason}");
        }

        string name = NodeCertificateFields.ReadCommonName(leaf)!;
        string organisation = NodeCertificateFields.ReadOrganisation(leaf)!;
        if (!NodeCertificateFields.TryReadSigningAddress(leaf, out Address address, out string? addressError))
        {
            return Reject(addressError);
        }

        Hash256 authority = CertificateFingerprint.Of(validation.MemberAuthority);
        Hash256 node = CertificateFingerprint.Of(leaf);
        if (!policy.TryAdmit(authority, node, address, out PeerRole role, out string? reason))
        {
            return Reject($"node \"{name}\" of \"{organisation}\" is not admitted: {reason}");
        }

        Identity = new PeerIdentity(node, authority, name, organisation, address, role);
        return true;
    }

    private bool Reject(string reason)
    {
        Rejection = reason;
        return false;
    }
}
