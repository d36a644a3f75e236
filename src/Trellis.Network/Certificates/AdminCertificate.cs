using System.Security.Cryptography.X509Certificates;
using Trellis.Core;
using Trellis.Crypto;
using Trellis.Crypto.X509;
using PublicKey = Trellis.Crypto.PublicKey;

namespace Trellis.Network.Certificates;

/// <summary>
/// An organisation administrator's certificate: subject CN = name, OU = admin, O = organisation, a suite key
/// (secp256k1 in the standard suite, SM2 in the national one) and its address as subjectAltName
/// <c>urn:trellis:address:0x...</c>, issued directly by the organisation's CA. Governance uses it to prove which
/// organisation an admin speaks for; the admin signs with the ledger key the certificate names.
/// </summary>
public sealed class AdminCertificate : IDisposable
{
    /// <summary>The subject OU that marks an admin certificate.</summary>
    public const string Role = "admin";

    /// <summary>How long a new admin certificate is valid unless told otherwise (never past its CA).</summary>
    public static readonly TimeSpan DefaultValidity = TimeSpan.FromDays(365);

    private AdminCertificate(X509Certificate2 certificate, X509Certificate2 authority, string name, string organisation, PublicKey publicKey, Address address)
    {
        Certificate = certificate;
        Authority = authority;
        Name = name;
        Organisation = organisation;
        PublicKey = publicKey;
        Address = address;
        Fingerprint = CertificateFingerprint.Of(certificate);
    }

    /// <summary>The certificate (public; the admin's private key is kept apart, as a ledger key).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The issuing organisation CA's certificate.</summary>
    public X509Certificate2 Authority { get; }

    /// <summary>The admin's name (subject CN).</summary>
    public string Name { get; }

    /// <summary>The organisation (subject O).</summary>
    public string Organisation { get; }

    /// <summary>The admin's ledger public key.</summary>
    public PublicKey PublicKey { get; }

    /// <summary>The admin's ledger address (of <see cref="PublicKey"/> under the suite's hash).</summary>
    public Address Address { get; }

    /// <summary>SHA-256 of the certificate's DER bytes.</summary>
    public Hash256 Fingerprint { get; }

    /// <summary>
    /// Loads and validates an admin certificate against its CA (at the current time; no revocation list).
    /// </summary>
    /// <exception cref="FormatException">Unreadable PEM.</exception>
    /// <exception cref="ArgumentException">The certificate is not a valid admin certificate of that CA; the message says why.</exception>
    public static AdminCertificate FromPem(string certificatePem, string authorityCertificatePem)
    {
        X509Certificate2 certificate = CertificatePem.ReadOne(certificatePem, "admin certificate PEM");
        X509Certificate2 authority;
        try
        {
            authority = CertificatePem.ReadOne(authorityCertificatePem, "CA certificate PEM");
        }
        catch
        {
            certificate.Dispose();
            throw;
        }

        try
        {
            return FromValidated(certificate, authority, DateTime.UtcNow);
        }
        catch
        {
            certificate.Dispose();
            authority.Dispose();
            throw;
        }
    }

    /// <summary>The certificate in PEM.</summary>
    public string ExportCertificatePem() => Certificate.ExportCertificatePem() + "\n";

    /// <inheritdoc />
    public void Dispose()
    {
        Certificate.Dispose();
        Authority.Dispose();
    }

    internal static AdminCertificate FromValidated(X509Certificate2 certificate, X509Certificate2 authority, DateTime atUtc)
    {
        CertificateValidation validation = CertificateValidator.ValidateAdmin(certificate, [authority], null, atUtc);
        if (!validation.IsValid)
        {
            throw new ArgumentException(validation.Reason, nameof(certificate));
        }

        return FromIssued(certificate, authority);
    }

    /// <summary>Wraps a certificate this process has just issued (any validity period, as asked for).</summary>
    internal static AdminCertificate FromIssued(X509Certificate2 certificate, X509Certificate2 authority)
    {
        if (!CertificateKeys.TryReadSuiteKey(certificate, out PublicKey? key, out string? error)
            || !NodeCertificateFields.TryReadSigningAddress(certificate, out Address address, out error))
        {
            throw new ArgumentException(error, nameof(certificate));
        }

        return new AdminCertificate(
            certificate,
            authority,
            NodeCertificateFields.ReadCommonName(certificate)!,
            NodeCertificateFields.ReadOrganisation(certificate)!,
            key,
            address);
    }
}
