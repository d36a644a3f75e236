using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Security;
using Trellis.Crypto;
using Trellis.Network.Certificates;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;
using BcParser = Org.BouncyCastle.X509.X509CertificateParser;

namespace Trellis.Network.Tests.Certificates;

/// <summary>
/// The national-suite CA checked by two independent readers: OpenSSL 3 and BouncyCastle. OpenSSL 3.0 needs the
/// GM/T 0015 default SM2 id passed explicitly, and its command applies it to the target certificate only, so each
/// SM2-signed link is verified as the target of its own command.
/// </summary>
public sealed class NationalCertificateAuthorityTests : IDisposable
{
    private const string DefaultSm2Id = "distid:1234567812345678";
    private readonly string _directory = Directory.CreateTempSubdirectory("trellis-national-ca-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Root_IsASelfSignedSm2CaThatOpenSslReadsAndBouncyCastleVerifies()
    {
        using CertificateAuthority ca = CertificateAuthority.Create("org1", CryptoSuites.National);
        string root = OpenSsl.WriteTemp(_directory, "ca.crt", ca.ExportCertificatePem());
        (int code, string text) = OpenSsl.Run("x509", "-in", root, "-noout", "-text");
        Assert.Equal(0, code);
        Assert.Contains("Signature Algorithm: SM2-with-SM3", text, StringComparison.Ordinal);
        Assert.Contains("ASN1 OID: SM2", text, StringComparison.Ordinal);
        Assert.Contains("CA:TRUE", text, StringComparison.Ordinal);
        Assert.Contains("Certificate Sign", text, StringComparison.Ordinal);

        (int verify, string output) = OpenSsl.Run("verify", "-vfyopt", DefaultSm2Id, "-CAfile", root, root);
        Assert.True(verify == 0, output);
        BcCertificate parsed = new BcParser().ReadCertificate(ca.Certificate.RawData);
        parsed.Verify(parsed.GetPublicKey());
    }

    [Fact]
    public void NodeChain_ThroughTheCrossCertifiedTlsCa_VerifiesWithOpenSsl()
    {
        using CertificateAuthority ca = CertificateAuthority.Create("org1", CryptoSuites.National);
        using NodeCertificate node = ca.IssueNodeCertificate("org1-node1", CraftedCertificates.Address);
        string root = OpenSsl.WriteTemp(_directory, "ca.crt", ca.ExportCertificatePem());
        string tls = OpenSsl.WriteTemp(_directory, "tls-ca.crt", ca.ExportTlsCertificatePem());
        string leaf = OpenSsl.WriteTemp(_directory, "tls.crt", node.ExportCertificatePem());
        // Link 1: the SM2 root signed the TLS CA.
        (int code, string output) = OpenSsl.Run("verify", "-vfyopt", DefaultSm2Id, "-CAfile", root, tls);
        Assert.True(code == 0, output);

        // Link 2: the TLS CA signed the node certificate, for TLS client and server use.
        (code, output) = OpenSsl.Run("verify", "-partial_chain", "-CAfile", tls, "-purpose", "sslclient", leaf);
        Assert.True(code == 0, output);
        (code, output) = OpenSsl.Run("verify", "-partial_chain", "-CAfile", tls, "-purpose", "sslserver", leaf);
        Assert.True(code == 0, output);

        // And a TLS CA from another root is refused by OpenSSL too.
        using CertificateAuthority other = CertificateAuthority.Create("org1", CryptoSuites.National);
        string otherRoot = OpenSsl.WriteTemp(_directory, "other.crt", other.ExportCertificatePem());
        Assert.NotEqual(0, OpenSsl.Run("verify", "-vfyopt", DefaultSm2Id, "-CAfile", otherRoot, tls).ExitCode);

        (_, string tlsText) = OpenSsl.Run("x509", "-in", tls, "-noout", "-text");
        Assert.Contains("Signature Algorithm: SM2-with-SM3", tlsText, StringComparison.Ordinal);
        Assert.Contains("NIST CURVE: P-256", tlsText, StringComparison.Ordinal);
        (_, string leafText) = OpenSsl.Run("x509", "-in", leaf, "-noout", "-text");
        Assert.Contains("ecdsa-with-SHA256", leafText, StringComparison.Ordinal);
    }

    [Fact]
    public void TlsCaSignature_IsVerifiedByBouncyCastle()
    {
        using CertificateAuthority ca = CertificateAuthority.Create("org1", CryptoSuites.National);
        BcCertificate root = new BcParser().ReadCertificate(ca.Certificate.RawData);
        BcCertificate tls = new BcParser().ReadCertificate(ca.TlsAuthority.RawData);
        Assert.Equal("SM3WITHSM2", root.SigAlgName.ToUpperInvariant());
        root.Verify(root.GetPublicKey());
        tls.Verify(root.GetPublicKey());
        BcCertificate other = new BcParser().ReadCertificate(CertificateAuthority.Create("org1", CryptoSuites.National).Certificate.RawData);
        Assert.ThrowsAny<GeneralSecurityException>(() => tls.Verify(other.GetPublicKey()));
    }

    [Fact]
    public void WriteToAndReadFrom_RoundTripTheRootAndTlsCa_AndIssueUnderTheLoadedCa()
    {
        string directory = Path.Combine(_directory, "org1");
        using (CertificateAuthority created = CertificateAuthority.Create("org1", CryptoSuites.National))
        {
            created.WriteTo(directory);
            Assert.Throws<IOException>(() => created.WriteTo(directory));
        }

        using CertificateAuthority loaded = CertificateAuthority.ReadFrom(directory);
        Assert.True(loaded.HasSeparateTlsAuthority);
        Assert.Equal("national", loaded.Suite.Name);
        Assert.Equal("org1", loaded.Organisation);
        using NodeCertificate node = loaded.IssueNodeCertificate("n", CraftedCertificates.Address);
        string root = File.ReadAllText(Path.Combine(directory, CertificateAuthority.CertificateFileName));
        using NodeCertificate reloaded = NodeCertificate.FromPem(node.ExportChainPem(), node.ExportPrivateKeyPem(), root);
        Assert.Equal(loaded.Fingerprint, reloaded.MemberAuthorityFingerprint);
        Assert.Equal(node.AuthorityFingerprint, reloaded.AuthorityFingerprint);

        // The SM2 key file is PKCS#8 that OpenSSL reads as an SM2 key.
        (int code, string text) = OpenSsl.Run("pkey", "-in", Path.Combine(directory, CertificateAuthority.PrivateKeyFileName), "-noout", "-text");
        Assert.True(code == 0, text);
        Assert.Contains("SM2", text, StringComparison.Ordinal);
    }

    [Fact]
    public void FromPem_RefusesATlsCaThatAnotherRootCertified()
    {
        using CertificateAuthority first = CertificateAuthority.Create("org1", CryptoSuites.National);
        using CertificateAuthority second = CertificateAuthority.Create("org1", CryptoSuites.National);
        ArgumentException error = Assert.Throws<ArgumentException>(() => CertificateAuthority.FromPem(
            first.ExportCertificatePem(), first.ExportPrivateKeyPem(), second.ExportTlsCertificatePem(), second.ExportTlsPrivateKeyPem()));
        Assert.Contains("is not certified by CA", error.Message, StringComparison.Ordinal);

        ArgumentException missing = Assert.Throws<ArgumentException>(() => CertificateAuthority.FromPem(first.ExportCertificatePem(), first.ExportPrivateKeyPem()));
        Assert.Contains("needs its TLS CA", missing.Message, StringComparison.Ordinal);

        ArgumentException wrongKey = Assert.Throws<ArgumentException>(() => CertificateAuthority.FromPem(
            first.ExportCertificatePem(), second.ExportPrivateKeyPem(), first.ExportTlsCertificatePem(), first.ExportTlsPrivateKeyPem()));
        Assert.Contains("does not belong to CA certificate", wrongKey.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StandardCa_StillHasNoSeparateTlsCa_AndRoundTripsThroughItsDirectory()
    {
        string directory = Path.Combine(_directory, "org0");
        using (CertificateAuthority created = CertificateAuthority.Create("org0"))
        {
            Assert.False(created.HasSeparateTlsAuthority);
            created.WriteTo(directory);
        }

        Assert.False(File.Exists(Path.Combine(directory, CertificateAuthority.TlsCertificateFileName)));
        using CertificateAuthority loaded = CertificateAuthority.ReadFrom(directory);
        Assert.Equal("standard", loaded.Suite.Name);
        using X509Certificate2 root = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(directory, CertificateAuthority.CertificateFileName));
        Assert.Equal(loaded.Fingerprint, CertificateFingerprint.Of(root));
    }
}
