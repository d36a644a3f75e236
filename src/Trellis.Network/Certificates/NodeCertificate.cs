using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Trellis.Core;

namespace Trellis.Network.Certificates;

/// <summary>
/// A node's TLS identity: its certificate with the P-256 private key, the certificate of the CA that issued it (sent
/// along in the TLS handshake so peers can build the chain) and, when known, the member root above that CA.
/// </summary>
public sealed class NodeCertificate : IDisposable
{
    /// <summary>How long a new node certificate is valid unless told otherwise (never past its CA).</summary>
    public static readonly TimeSpan DefaultValidity = TimeSpan.FromDays(730);

    internal NodeCertificate(X509Certificate2 certificate, X509Certificate2 authority, X509Certificate2? root = null)
    {
        Certificate = certificate;
        Authority = authority;
        Root = root ?? authority;
        Fingerprint = CertificateFingerprint.Of(certificate);
        AuthorityFingerprint = CertificateFingerprint.Of(authority);
        MemberAuthorityFingerprint = CertificateFingerprint.Of(Root);
        Name = NodeCertificateFields.ReadCommonName(certificate)
            ?? throw new ArgumentException($"node certificate \"{certificate.Subject}\" has no CN (node name)", nameof(certificate));
        Organisation = NodeCertificateFields.ReadOrganisation(certificate)
            ?? throw new ArgumentException($"node certificate \"{certificate.Subject}\" has no O (organisation)", nameof(certificate));
        if (!NodeCertificateFields.TryReadSigningAddress(certificate, out Address address, out string? error))
        {
            throw new ArgumentException(error, nameof(certificate));
        }

        SigningAddress = address;
    }

    /// <summary>The node certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>
    /// The CA certificate that issued this one (public part only): the organisation root in the standard suite, the
    /// organisation's TLS CA in the national suite.
    /// </summary>
    public X509Certificate2 Authority { get; }

    /// <summary>
    /// The member CA (organisation root) this certificate chains to; the same object as <see cref="Authority"/> when
    /// the root issued it directly, or when the root was not given on loading.
    /// </summary>
    public X509Certificate2 Root { get; }

    /// <summary>The node name (subject CN).</summary>
    public string Name { get; }

    /// <summary>The organisation (subject O).</summary>
    public string Organisation { get; }

    /// <summary>The node's ledger signing address, from the subjectAltName URI.</summary>
    public Address SigningAddress { get; }

    /// <summary>SHA-256 of the node certificate's DER bytes: the node's identity on the network.</summary>
    public Hash256 Fingerprint { get; }

    /// <summary>SHA-256 of the issuing CA certificate's DER bytes.</summary>
    public Hash256 AuthorityFingerprint { get; }

    /// <summary>
    /// SHA-256 of the member CA (root) certificate: what the admitted set names as the node's organisation CA. Equals
    /// <see cref="AuthorityFingerprint"/> in the standard suite.
    /// </summary>
    public Hash256 MemberAuthorityFingerprint { get; }

    /// <summary>
    /// Loads a node certificate from PEM. <paramref name="certificatePem"/> holds the node certificate, optionally
    /// followed by its TLS CA (as <see cref="ExportChainPem"/> writes it); <paramref name="authorityCertificatePem"/>
    /// holds the issuing CA or the member root (or both). The certificate must carry the Trellis fields and chain to
    /// those CAs.
    /// </summary>
    /// <exception cref="ArgumentException">Unreadable PEM, a key that does not match, missing fields, or a certificate
    /// the CA did not issue.</exception>
    public static NodeCertificate FromPem(string certificatePem, string privateKeyPem, string authorityCertificatePem)
    {
        ArgumentNullException.ThrowIfNull(certificatePem);
        ArgumentNullException.ThrowIfNull(privateKeyPem);
        ArgumentNullException.ThrowIfNull(authorityCertificatePem);
        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPem(certificatePem, privateKeyPem);
        }
        catch (CryptographicException e)
        {
            throw new ArgumentException($"node certificate or key PEM is not readable, or they do not match: {e.Message}", nameof(certificatePem), e);
        }

        var others = new List<X509Certificate2>();
        try
        {
            try
            {
                List<X509Certificate2> chain = CertificatePem.ReadAll(certificatePem, "node certificate PEM");
                chain[0].Dispose();
                others.AddRange(chain.Skip(1));
                others.AddRange(CertificatePem.ReadAll(authorityCertificatePem, "CA certificate PEM"));
            }
            catch (FormatException e)
            {
                throw new ArgumentException(e.Message, nameof(authorityCertificatePem), e);
            }

            // Trust anchors: the self-signed certificates given; failing those, the issuer itself (standard-suite habit).
            var roots = others.Where(IsSelfSigned).ToList();
            X509Certificate2? issuer = others.FirstOrDefault(c => c.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData));
            if (roots.Count == 0 && issuer is not null)
            {
                roots.Add(issuer);
            }

            CertificateValidation validation = CertificateValidator.ValidateNode(certificate, others.Except(roots), roots, null, DateTime.UtcNow);
            if (!validation.IsValid)
            {
                string authority = issuer?.Subject ?? others[^1].Subject;
                throw new ArgumentException($"node certificate \"{certificate.Subject}\" does not chain to CA \"{authority}\": {validation.Reason}", nameof(certificatePem));
            }

            X509Certificate2 direct = validation.Issuer;
            X509Certificate2 root = validation.MemberAuthority;
            foreach (X509Certificate2 other in others)
            {
                if (!ReferenceEquals(other, direct) && !ReferenceEquals(other, root))
                {
                    other.Dispose();
                }
            }

            return new NodeCertificate(certificate, direct, root);
        }
        catch
        {
            certificate.Dispose();
            foreach (X509Certificate2 other in others)
            {
                other.Dispose();
            }

            throw;
        }
    }

    /// <summary>The node certificate in PEM.</summary>
    public string ExportCertificatePem() => Certificate.ExportCertificatePem();

    /// <summary>
    /// The node certificate followed by its TLS CA when that is not the root (national suite): the file a node loads
    /// with <see cref="FromPem"/>, so that peers receive the whole chain up to the member root.
    /// </summary>
    public string ExportChainPem()
    {
        var builder = new StringBuilder(Certificate.ExportCertificatePem()).Append('\n');
        if (!ReferenceEquals(Authority, Root))
        {
            builder.Append(Authority.ExportCertificatePem()).Append('\n');
        }

        return builder.ToString();
    }

    /// <summary>The node's TLS private key as PKCS#8 PEM.</summary>
    public string ExportPrivateKeyPem()
    {
        using ECDsa key = Certificate.GetECDsaPrivateKey()
            ?? throw new InvalidOperationException($"node certificate \"{Name}\" has no private key loaded");
        return key.ExportPkcs8PrivateKeyPem();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Certificate.Dispose();
        Authority.Dispose();
        if (!ReferenceEquals(Root, Authority))
        {
            Root.Dispose();
        }
    }

    private static bool IsSelfSigned(X509Certificate2 certificate) =>
        certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData);
}
