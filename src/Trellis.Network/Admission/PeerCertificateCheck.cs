using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Trellis.Core;
using Trellis.Network.Certificates;

namespace Trellis.Network.Admission;

/// <summary>
/// The certificate check of one handshake. In the TLS callback it validates the peer's certificate (and the TLS CA it
/// sent, in the national suite) against the member CAs only (the system store and the platform's own verdict are
/// ignored), checks revocation, then asks the admission policy. When the only problem is an issuer it cannot find — a
/// member admitted after genesis, whose CA the ledger knows by fingerprint only and which TLS does not deliver — it
/// lets TLS finish and <em>defers</em> the decision to <see cref="Complete"/>, which runs the same full check again with
/// the CA certificates of the peer's first hello added. The handshake processes nothing from the peer but hellos before
/// that check passes. Remembers the identity or the reason for refusal so the handshake can log it.
/// </summary>
internal sealed class PeerCertificateCheck(IAdmissionPolicy policy) : IDisposable
{
    private X509Certificate2? _leaf;
    private X509Certificate2[] _offered = [];

    /// <summary>The admitted peer, once the full check passed.</summary>
    public PeerIdentity? Identity { get; private set; }

    /// <summary>Why the peer was refused (or, while <see cref="IsDeferred"/>, why TLS alone could not decide).</summary>
    public string? Rejection { get; private set; }

    /// <summary>True when the TLS callback accepted the connection pending <see cref="Complete"/>.</summary>
    public bool IsDeferred { get; private set; }

    /// <summary>SHA-256 of the peer's leaf certificate, once it was seen.</summary>
    public Hash256 NodeFingerprint { get; private set; }

    /// <summary>"name (organisation, 0x1234abcd…)" of the peer for logs, before and after admission.</summary>
    public string Describe() =>
        Identity?.ToString()
        ?? (_leaf is null ? "peer" : $"{NodeCertificateFields.ReadCommonName(_leaf) ?? _leaf.Subject} ({NodeCertificateFields.ReadOrganisation(_leaf) ?? "?"}, {NodeFingerprint.ToString()[..10]}…)");

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
        {
            return Reject("peer presented no certificate");
        }

        // The platform's chain used the system store; ours uses the member roots, so its verdict and the
        // host-name check (nodes are named by certificate, not DNS) do not apply. The extra store holds the
        // certificates the peer sent besides its own: in the national suite, its TLS CA.
        byte[] leafBytes = certificate.GetRawCertData();
        X509Certificate2 leaf = X509CertificateLoader.LoadCertificate(leafBytes);
        var offered = new List<X509Certificate2>();
        if (chain is not null)
        {
            foreach (X509Certificate2 extra in chain.ChainPolicy.ExtraStore)
            {
                offered.Add(X509CertificateLoader.LoadCertificate(extra.RawData));
            }

            // Depending on the platform, the certificates the peer sent appear as elements of the platform's chain
            // rather than in its extra store; they are only candidates here, validated below against our anchors.
            foreach (X509ChainElement element in chain.ChainElements)
            {
                if (!element.Certificate.RawData.AsSpan().SequenceEqual(leafBytes))
                {
                    offered.Add(X509CertificateLoader.LoadCertificate(element.Certificate.RawData));
                }
            }
        }

        _leaf = leaf;
        _offered = [.. offered];
        NodeFingerprint = CertificateFingerprint.Of(leaf);
        if (Check(leaf, _offered, out bool unknownIssuer))
        {
            return true;
        }

        if (unknownIssuer)
        {
            // Possibly a member known to the ledger by CA fingerprint only: decided after the hello brings its CA.
            IsDeferred = true;
            return true;
        }

        return false;
    }

    /// <summary>
    /// Finishes a deferred check with the CA certificates of the peer's hello (already bounded and decoded): the full
    /// validation and admission again, with those certificates offered beside the ones TLS delivered. Returns the
    /// admitted identity, or null with <see cref="Rejection"/> set. Without a deferral, returns the TLS verdict.
    /// </summary>
    public PeerIdentity? Complete(IReadOnlyList<X509Certificate2> helloCertificates)
    {
        ArgumentNullException.ThrowIfNull(helloCertificates);
        if (!IsDeferred || _leaf is null)
        {
            return Identity;
        }

        IsDeferred = false;
        X509Certificate2[] offered = [.. _offered, .. helloCertificates];
        return Check(_leaf, offered, out _) ? Identity : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _leaf?.Dispose();
        foreach (X509Certificate2 certificate in _offered)
        {
            certificate.Dispose();
        }
    }

    /// <summary>
    /// Validates, reads the fields and asks the policy; sets <see cref="Identity"/> or <see cref="Rejection"/>.
    /// <paramref name="unknownIssuer"/> tells a refusal that another CA certificate could cure from any other.
    /// </summary>
    private bool Check(X509Certificate2 leaf, X509Certificate2[] offered, out bool unknownIssuer)
    {
        unknownIssuer = false;
        CertificateValidation validation = CertificateValidator.ValidateNode(leaf, offered, policy.AuthoritiesFor(offered), policy.Revocations, DateTime.UtcNow);
        if (!validation.IsValid)
        {
            unknownIssuer = validation.Error == CertificateError.UnknownIssuer;
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
        Rejection = null;
        return true;
    }

    private bool Reject(string reason)
    {
        Rejection = reason;
        return false;
    }
}
