using System.Security.Cryptography.X509Certificates;
using Trellis.Core;
using Trellis.Crypto;
using Trellis.Network.Certificates;
using PublicKey = Trellis.Crypto.PublicKey;

namespace Trellis.Network.Tests.Certificates;

/// <summary>Admin certificates in both suites, checked against OpenSSL (signature, subject, key, address hash).</summary>
public sealed class AdminCertificateTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("trellis-admin-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("standard", "secp256k1")]
    [InlineData("national", "SM2")]
    public void AdminCertificate_CarriesTheSuiteKeyAndItsAddress_AsOpenSslComputesIt(string suiteName, string curveName)
    {
        ICryptoSuite suite = CryptoSuites.Get(suiteName);
        using CertificateAuthority ca = CertificateAuthority.Create("org1", suite);
        PrivateKey key = suite.GeneratePrivateKey();
        using AdminCertificate admin = ca.IssueAdminCertificate("alice", suite.DerivePublicKey(key));
        string root = OpenSsl.WriteTemp(_directory, "ca.crt", ca.ExportCertificatePem());
        string path = OpenSsl.WriteTemp(_directory, "admin.crt", admin.ExportCertificatePem());

        // OpenSSL 3.0 takes the GM/T 0015 default SM2 id only when told.
        string[] options = suiteName == "national" ? ["-vfyopt", "distid:1234567812345678"] : [];
        (int code, string output) = OpenSsl.Run(["verify", .. options, "-CAfile", root, path]);
        Assert.True(code == 0, output);
        (_, string text) = OpenSsl.Run("x509", "-in", path, "-noout", "-subject", "-text");
        Assert.Contains("O = org1, OU = admin, CN = alice", text, StringComparison.Ordinal);
        Assert.Contains(curveName, text, StringComparison.Ordinal);
        Assert.Contains("URI:" + NodeCertificateFields.AddressUriPrefix + admin.Address.ToLowerHex(), text, StringComparison.Ordinal);

        // The address is the last 20 bytes of the suite hash of x || y, which OpenSSL computes from the certificate.
        string publicKeyPem = OpenSsl.Run("x509", "-in", path, "-noout", "-pubkey").Output;
        string spki = OpenSsl.WriteTemp(_directory, "admin.pub", publicKeyPem);
        string der = Path.Combine(_directory, "admin.der");
        Assert.Equal(0, OpenSsl.Run("pkey", "-pubin", "-in", spki, "-outform", "DER", "-out", der).ExitCode);
        byte[] point = File.ReadAllBytes(der)[^64..];
        Assert.Equal("0x" + IndependentHash(suiteName, point)[^40..], admin.Address.ToLowerHex());
        Assert.Equal(suite.ToAddress(suite.DerivePublicKey(key)), admin.Address);
    }

    /// <summary>SM3 by OpenSSL; Keccak-256 by BouncyCastle (this OpenSSL 3.0 has no Keccak).</summary>
    private string IndependentHash(string suiteName, byte[] data)
    {
        if (suiteName == "national")
        {
            string file = Path.Combine(_directory, "xy.bin");
            File.WriteAllBytes(file, data);
            return OpenSsl.Run("dgst", "-sm3", "-r", file).Output.Split(' ')[0];
        }

        var keccak = new Org.BouncyCastle.Crypto.Digests.KeccakDigest(256);
        keccak.BlockUpdate(data, 0, data.Length);
        var digest = new byte[32];
        keccak.DoFinal(digest, 0);
        return Convert.ToHexStringLower(digest);
    }

    [Fact]
    public void IssueAdmin_RefusesAKeyOfTheOtherSuite()
    {
        using CertificateAuthority ca = CertificateAuthority.Create("org1", CryptoSuites.National);
        PublicKey secp = CryptoSuites.Standard.DerivePublicKey(CryptoSuites.Standard.GeneratePrivateKey());
        ArgumentException error = Assert.Throws<ArgumentException>(() => ca.IssueAdminCertificate("bob", secp));
        Assert.Contains("is of the national suite", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AdminValidation_RefusesNodeCertificatesOtherCasAndRevokedAdmins()
    {
        using CertificateAuthority ca = CertificateAuthority.Create("org1", CryptoSuites.National);
        using CertificateAuthority other = CertificateAuthority.Create("org2", CryptoSuites.National);
        PublicKey key = CryptoSuites.National.DerivePublicKey(CryptoSuites.National.GeneratePrivateKey());
        using AdminCertificate admin = ca.IssueAdminCertificate("alice", key);
        Assert.True(CertificateValidator.ValidateAdmin(admin.Certificate, [ca.Certificate], null, DateTime.UtcNow).IsValid);

        CertificateValidation wrongCa = CertificateValidator.ValidateAdmin(admin.Certificate, [other.Certificate], null, DateTime.UtcNow);
        Assert.Equal(CertificateError.UnknownIssuer, wrongCa.Error);

        using NodeCertificate node = ca.IssueNodeCertificate("n", CraftedCertificates.Address);
        CertificateValidation notAdmin = CertificateValidator.ValidateAdmin(node.Certificate, [ca.Certificate], null, DateTime.UtcNow);
        Assert.Equal(CertificateError.WrongSubject, notAdmin.Error);
        Assert.Contains("no OU=admin", notAdmin.Reason, StringComparison.Ordinal);

        var revoked = new InMemoryRevocationSet();
        revoked.RevokeSerial(ca.Fingerprint, admin.Certificate.SerialNumber, "left the organisation");
        CertificateValidation result = CertificateValidator.ValidateAdmin(admin.Certificate, [ca.Certificate], revoked, DateTime.UtcNow);
        Assert.Equal(CertificateError.Revoked, result.Error);
        Assert.Contains("left the organisation", result.Reason, StringComparison.Ordinal);

        DateTimeOffset now = DateTimeOffset.UtcNow;
        using AdminCertificate expired = ca.IssueAdminCertificate("old", key, now.AddDays(-30), now.AddDays(-1));
        Assert.Equal(CertificateError.Expired, CertificateValidator.ValidateAdmin(expired.Certificate, [ca.Certificate], null, DateTime.UtcNow).Error);
    }

    [Fact]
    public void AdminFromPem_RoundTrips_AndTheValidatorClassifiesIt()
    {
        using CertificateAuthority ca = CertificateAuthority.Create("org0");
        PublicKey key = CryptoSuites.Standard.DerivePublicKey(CryptoSuites.Standard.GeneratePrivateKey());
        using AdminCertificate admin = ca.IssueAdminCertificate("alice", key);
        using AdminCertificate loaded = AdminCertificate.FromPem(admin.ExportCertificatePem(), ca.ExportCertificatePem());
        Assert.Equal("alice", loaded.Name);
        Assert.Equal("org0", loaded.Organisation);
        Assert.Equal(key, loaded.PublicKey);
        Assert.Equal(CertificateKind.Admin, CertificateValidator.Classify(loaded.Certificate));
        Assert.Equal(CertificateKind.Authority, CertificateValidator.Classify(ca.Certificate));
        using X509Certificate2 node = CraftedCertificates.Node(ca);
        Assert.Equal(CertificateKind.Node, CertificateValidator.Classify(node));
        Address address = CryptoSuites.Standard.ToAddress(key);
        Assert.Equal(address, loaded.Address);
    }
}
