using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Trellis.Core;

namespace Trellis.Network.Certificates;

/// <summary>
/// A node's TLS identity: its certificate with the P-256 private key, and the certificate of the organisation CA
/// that issued it (sent along in the TLS handshake so peers can build the chain).
/// </summary>
public sealed class NodeCertificate : IDisposable
{
    /// <summary>How long a new node certificate is valid unless told otherwise (never past its CA).</summary>
    public static readonly TimeSpan DefaultValidity = TimeSpan.FromDays(730);

    internal NodeCertificate(X509Certificate2 certificate, X509Certificate2 authority)
    {
        Certificate = certificate;
        Authority = authority;
        Fingerprint = CertificateFingerprint.Of(certificate);
        AuthorityFingerprint = CertificateFingerprint.Of(authority);
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

    /// <summary>The issuing organisation CA's certificate (public part only).</summary>
    public X509Certificate2 Authority { get; }

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
    /// Loads a node certificate from PEM: the certificate, its PKCS#8 private key and the issuing CA certificate.
    /// The certificate must carry the Trellis fields and be signed by that CA.
    /// </summary>
    /// <exception cref="ArgumentException">Unreadable PEM, a key that does not match, missing fields, or a certificate
    /// the CA did not issue.</exception>
    public static NodeCertificate FromPem(string certificatePem, string privateKeyPem, string authorityCertificatePem)
    {
        ArgumentNullException.ThrowIfNull(certificatePem);
        ArgumentNullException.ThrowIfNull(privateKeyPem);
        ArgumentNullException.ThrowIfNull(authorityCertificatePem);
        X509Certificate2 certificate;
        X509Certificate2 authority;
        try
        {
            certificate = X509Certificate2.CreateFromPem(certificatePem, privateKeyPem);
        }
        catch (CryptographicException e)
        {
            throw new ArgumentException($"node certificate or key PEM is not readable, or they do not match: {e.Message}", nameof(certificatePem), e);
        }

        try
        {
            authority = X509Certificate2.CreateFromPem(authorityCertificatePem);
        }
        catch (CryptographicException e)
        {
            certificate.Dispose();
            throw new ArgumentException($"CA certificate PEM is not readable: {e.Message}", nameof(authorityCertificatePem), e);
        }

        try
        {
            if (!CertificateChains.TryVerify(certificate, [authority], DateTime.UtcNow, out _, out string? error))
            {
                throw new ArgumentException($"node certificate \"{certificate.Subject}\" does not chain to CA \"{authority.Subject}\": {error}", nameof(certificatePem));
            }

            return new NodeCertificate(certificate, authority);
        }
        catch
        {
            certificate.Dispose();
            authority.Dispose();
            throw;
        }
    }

    /// <summary>The node certificate in PEM.</summary>
    public string ExportCertificatePem() => Certificate.ExportCertificatePem();

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
    }
}
