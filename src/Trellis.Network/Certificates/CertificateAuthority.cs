using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Trellis.Core;

namespace Trellis.Network.Certificates;

/// <summary>
/// An organisation's certificate authority: a self-signed ECDSA P-256 root (subject O = CN = organisation) that issues
/// the organisation's node certificates.
/// </summary>
public sealed class CertificateAuthority : IDisposable
{
    /// <summary>How long a new CA is valid unless told otherwise.</summary>
    public static readonly TimeSpan DefaultValidity = TimeSpan.FromDays(3650);

    // Backdating covers clock skew between the machines of a consortium.
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private CertificateAuthority(X509Certificate2 certificate, string organisation)
    {
        Certificate = certificate;
        Organisation = organisation;
        Fingerprint = CertificateFingerprint.Of(certificate);
    }

    /// <summary>The root certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The organisation this CA belongs to.</summary>
    public string Organisation { get; }

    /// <summary>SHA-256 of the root certificate's DER bytes.</summary>
    public Hash256 Fingerprint { get; }

    /// <summary>Creates a new self-signed root for <paramref name="organisation"/> with a fresh P-256 key.</summary>
    /// <exception cref="ArgumentException">The organisation name is empty, too long or holds control characters.</exception>
    public static CertificateAuthority Create(string organisation, TimeSpan? validity = null)
    {
        ValidateName(organisation, nameof(organisation), "organisation");
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new X500DistinguishedNameBuilder();
        // The builder encodes in reverse order of adding; this gives the conventional O then CN encoding.
        subject.AddCommonName(organisation + " CA");
        subject.AddOrganizationName(organisation);
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(X509BasicConstraintsExtension.CreateForCertificateAuthority(0));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        DateTimeOffset now = DateTimeOffset.UtcNow;
        X509Certificate2 certificate = request.CreateSelfSigned(now - ClockSkew, now + (validity ?? DefaultValidity));
        return new CertificateAuthority(certificate, organisation);
    }

    /// <summary>Loads a CA from its certificate and PKCS#8 private key in PEM.</summary>
    /// <exception cref="ArgumentException">The PEM is unreadable, the key does not match, or it is not a CA.</exception>
    public static CertificateAuthority FromPem(string certificatePem, string privateKeyPem)
    {
        ArgumentNullException.ThrowIfNull(certificatePem);
        ArgumentNullException.ThrowIfNull(privateKeyPem);
        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPem(certificatePem, privateKeyPem);
        }
        catch (CryptographicException e)
        {
            throw new ArgumentException($"CA certificate or key PEM is not readable, or they do not match: {e.Message}", nameof(certificatePem), e);
        }

        if (certificate.Extensions["2.5.29.19"] is not X509BasicConstraintsExtension { CertificateAuthority: true })
        {
            string subject = certificate.Subject;
            certificate.Dispose();
            throw new ArgumentException($"certificate \"{subject}\" is not a CA: basicConstraints cA is not true", nameof(certificatePem));
        }

        string organisation = NodeCertificateFields.ReadOrganisation(certificate) ?? string.Empty;
        return new CertificateAuthority(certificate, organisation);
    }

    /// <summary>
    /// Issues a node certificate: a fresh P-256 TLS key, subject CN = <paramref name="nodeName"/> and O = this
    /// organisation, usable for TLS server and client authentication, carrying <paramref name="signingAddress"/>
    /// (the node's ledger signing key) as a subjectAltName URI.
    /// </summary>
    /// <exception cref="ArgumentException">The node name is empty, too long or holds control characters.</exception>
    public NodeCertificate IssueNodeCertificate(string nodeName, Address signingAddress, TimeSpan? validity = null)
    {
        ValidateName(nodeName, nameof(nodeName), "node name");
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(nodeName);
        subject.AddOrganizationName(Organisation);
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(
            Certificate, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        var names = new SubjectAlternativeNameBuilder();
        names.AddUri(new Uri(NodeCertificateFields.AddressUri(signingAddress)));
        request.CertificateExtensions.Add(names.Build());

        DateTimeOffset now = DateTimeOffset.UtcNow;
        DateTimeOffset notAfter = now + (validity ?? NodeCertificate.DefaultValidity);
        if (notAfter > Certificate.NotAfter)
        {
            notAfter = Certificate.NotAfter;
        }

        Span<byte> serial = stackalloc byte[16];
        RandomNumberGenerator.Fill(serial);
        serial[0] &= 0x7f; // a positive INTEGER
        using X509Certificate2 publicOnly = request.Create(Certificate, now - ClockSkew, notAfter, serial);
        X509Certificate2 withKey = publicOnly.CopyWithPrivateKey(key);
        return new NodeCertificate(withKey, X509CertificateLoader.LoadCertificate(Certificate.RawData));
    }

    /// <summary>The root certificate in PEM (public; this is what the other members trust).</summary>
    public string ExportCertificatePem() => Certificate.ExportCertificatePem();

    /// <summary>The CA's private key as PKCS#8 PEM.</summary>
    public string ExportPrivateKeyPem()
    {
        using ECDsa key = Certificate.GetECDsaPrivateKey()
            ?? throw new InvalidOperationException($"CA \"{Organisation}\" has no private key loaded");
        return key.ExportPkcs8PrivateKeyPem();
    }

    /// <inheritdoc />
    public void Dispose() => Certificate.Dispose();

    internal static void ValidateName(string name, string parameter, string what)
    {
        ArgumentNullException.ThrowIfNull(name, parameter);
        // 64 is the X.520 upper bound for both commonName and organizationName.
        if (name.Length is 0 or > 64)
        {
            throw new ArgumentException($"{what} \"{name}\" must be 1 to 64 characters, got {name.Length}", parameter);
        }

        foreach (char c in name)
        {
            if (char.IsControl(c))
            {
                throw new ArgumentException($"{what} \"{name}\" holds control character U+{(int)c:X4}; names must be printable", parameter);
            }
        }
    }
}
