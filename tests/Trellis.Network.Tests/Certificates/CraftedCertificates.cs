using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Trellis.Core;
using Trellis.Network.Certificates;

namespace Trellis.Network.Tests.Certificates;

/// <summary>Builds node-like certificates with one chosen defect, signed by a real CA's TLS key.</summary>
internal static class CraftedCertificates
{
    public const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    public const string ClientAuth = "1.3.6.1.5.5.7.3.2";

    public static X509Certificate2 Node(
        CertificateAuthority ca,
        string name = "crafted",
        string? organisation = null,
        ECCurve? curve = null,
        bool addressSan = true,
        X509KeyUsageFlags usage = X509KeyUsageFlags.DigitalSignature,
        string[]? extendedUsages = null,
        bool isCa = false,
        X509Certificate2? signer = null)
    {
        using ECDsa key = ECDsa.Create(curve ?? ECCurve.NamedCurves.nistP256);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(name);
        subject.AddOrganizationName(organisation ?? ca.Organisation);
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(isCa, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, critical: true));
        var usages = new OidCollection();
        foreach (string oid in extendedUsages ?? [ServerAuth, ClientAuth])
        {
            usages.Add(new Oid(oid));
        }

        if (usages.Count > 0)
        {
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usages, critical: false));
        }

        if (addressSan)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddUri(new Uri(NodeCertificateFields.AddressUri(TestConsortium.AddressOf(42))));
            request.CertificateExtensions.Add(names.Build());
        }

        DateTimeOffset now = DateTimeOffset.UtcNow;
        byte[] serial = RandomNumberGenerator.GetBytes(8);
        serial[0] = 0x11;
        using X509Certificate2 certificate = request.Create(signer ?? ca.TlsAuthority, now.AddMinutes(-5), now.AddDays(30), serial);
        return X509CertificateLoader.LoadCertificate(certificate.RawData);
    }

    /// <summary>A copy of the certificate with one byte of its signature flipped.</summary>
    public static X509Certificate2 WithBrokenSignature(X509Certificate2 certificate)
    {
        byte[] der = certificate.RawData;
        der[^5] ^= 0x01; // inside the signature's last integer
        return X509CertificateLoader.LoadCertificate(der);
    }

    public static Address Address => TestConsortium.AddressOf(42);
}
