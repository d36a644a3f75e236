using Trellis.Core;
using Trellis.Network.Certificates;

namespace Trellis.Network.Tests.Certificates;

public sealed class CertificateAuthorityTests : IDisposable
{
    private static readonly Address Signer = Address.Parse("0x52908400098527886e0f7030069857d2e4169ee7");
    private readonly string _directory = Directory.CreateTempSubdirectory("trellis-net-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void NodeCertificate_VerifiesUnderItsCaWithOpenSsl()
    {
        using CertificateAuthority ca = CertificateAuthority.Create("Acme Bank");
        using NodeCertificate node = ca.IssueNodeCertificate("validator-1", Signer);
        string caFile = OpenSsl.WriteTemp(_directory, "ca.pem", ca.ExportCertificatePem());
        string nodeFile = OpenSsl.WriteTemp(_directory, "node.pem", node.ExportCertificatePem());

        (int exit, string output) = OpenSsl.Run("verify", "-x509_strict", "-purpose", "sslserver", "-CAfile", caFile, nodeFile);
        Assert.True(exit == 0, output);
        (exit, output) = OpenSsl.Run("verify", "-x509_strict", "-purpose", "sslclient", "-CAfile", caFile, nodeFile);
        Assert.True(exit == 0, output);
    }

    [Fact]
    public void NodeCertificate_CarriesNameOrganisationAddressAndP256KeyAsOpenSslReadsThem()
    {
        using CertificateAuthority ca = CertificateAuthority.Create("Acme Bank");
        using NodeCertificate node = ca.IssueNodeCertificate("validator-1", Signer);
        string nodeFile = OpenSsl.WriteTemp(_directory, "node.pem", node.ExportCertificatePem());

        (int exit, string text) = OpenSsl.Run("x509", "-in", nodeFile, "-noout", "-text", "-nameopt", "RFC2253");
        Assert.True(exit == 0, text);
        Assert.True(text.Contains("Subject: CN=validator-1,O=Acme Bank", StringComparison.Ordinal), text);
        Assert.Contains("Issuer: CN=Acme Bank CA,O=Acme Bank", text, StringComparison.Ordinal);
        Assert.Contains("URI:urn:trellis:address:0x52908400098527886e0f7030069857d2e4169ee7", text, StringComparison.Ordinal);
        Assert.Contains("NIST CURVE: P-256", text, StringComparison.Ordinal);
        Assert.Contains("TLS Web Server Authentication, TLS Web Client Authentication", text, StringComparison.Ordinal);
        Assert.Contains("CA:FALSE", text, StringComparison.Ordinal);

        Assert.Equal("validator-1", node.Name);
        Assert.Equal("Acme Bank", node.Organisation);
        Assert.Equal(Signer, node.SigningAddress);
    }

    [Fact]
    public void Ca_IsASelfSignedP256RootThatOpenSslAccepts()
    {
        using CertificateAuthority ca = CertificateAuthority.Create("Acme Bank");
        string caFile = OpenSsl.WriteTemp(_directory, "ca.pem", ca.ExportCertificatePem());
        (int exit, string text) = OpenSsl.Run("x509", "-in", caFile, "-noout", "-text");
        Assert.True(exit == 0, text);
        Assert.Contains("CA:TRUE, pathlen:0", text, StringComparison.Ordinal);
        Assert.Contains("Certificate Sign", text, StringComparison.Ordinal);
        Assert.Contains("ecdsa-with-SHA256", text, StringComparison.Ordinal);
        (exit, text) = OpenSsl.Run("verify", "-x509_strict", "-CAfile", caFile, caFile);
        Assert.True(exit == 0, text);
    }

    [Fact]
    public void Fingerprint_MatchesOpenSslSha256Fingerprint()
    {
        using CertificateAuthority ca = CertificateAuthority.Create("Acme Bank");
        using NodeCertificate node = ca.IssueNodeCertificate("validator-1", Signer);
        string nodeFile = OpenSsl.WriteTemp(_directory, "node.pem", node.ExportCertificatePem());
        (_, string output) = OpenSsl.Run("x509", "-in", nodeFile, "-noout", "-fingerprint", "-sha256");
        string hex = output.Trim().Split('=')[1].Replace(":", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
        Assert.Equal("0x" + hex, node.Fingerprint.ToString());
    }

    [Fact]
    public void Pem_RoundTripsTheCaAndTheNodeCertificate()
    {
        using CertificateAuthority ca = CertificateAuthority.Create("Acme Bank");
        using NodeCertificate node = ca.IssueNodeCertificate("validator-1", Signer);
        using CertificateAuthority caAgain = CertificateAuthority.FromPem(ca.ExportCertificatePem(), ca.ExportPrivateKeyPem());
        using NodeCertificate nodeAgain = NodeCertificate.FromPem(node.ExportCertificatePem(), node.ExportPrivateKeyPem(), ca.ExportCertificatePem());

        Assert.Equal(ca.Fingerprint, caAgain.Fingerprint);
        Assert.Equal("Acme Bank", caAgain.Organisation);
        Assert.Equal(node.Fingerprint, nodeAgain.Fingerprint);
        Assert.Equal(ca.Fingerprint, nodeAgain.AuthorityFingerprint);
        Assert.Equal(Signer, nodeAgain.SigningAddress);
        Assert.True(nodeAgain.Certificate.HasPrivateKey);

        // The reloaded CA still issues certificates that chain to the original root.
        using NodeCertificate second = caAgain.IssueNodeCertificate("validator-2", Signer);
        Assert.Equal(ca.Fingerprint, second.AuthorityFingerprint);
    }

    [Fact]
    public void PrivateKeyPem_IsPkcs8ThatOpenSslReadsAsP256()
    {
        using CertificateAuthority ca = CertificateAuthority.Create("Acme Bank");
        using NodeCertificate node = ca.IssueNodeCertificate("validator-1", Signer);
        string pem = node.ExportPrivateKeyPem();
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", pem, StringComparison.Ordinal);
        string keyFile = OpenSsl.WriteTemp(_directory, "key.pem", pem);
        (int exit, string text) = OpenSsl.Run("pkey", "-in", keyFile, "-noout", "-text");
        Assert.True(exit == 0, text);
        Assert.Contains("NIST CURVE: P-256", text, StringComparison.Ordinal);
    }

    [Fact]
    public void NodeFromPem_RefusesACertificateFromAnotherCa()
    {
        using CertificateAuthority ca = CertificateAuthority.Create("Acme Bank");
        using CertificateAuthority other = CertificateAuthority.Create("Other Bank");
        using NodeCertificate node = ca.IssueNodeCertificate("validator-1", Signer);
        ArgumentException error = Assert.Throws<ArgumentException>(
            () => NodeCertificate.FromPem(node.ExportCertificatePem(), node.ExportPrivateKeyPem(), other.ExportCertificatePem()));
        Assert.Contains("does not chain to CA", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NodeFromPem_RefusesAKeyThatDoesNotMatch()
    {
        using CertificateAuthority ca = CertificateAuthority.Create("Acme Bank");
        using NodeCertificate node = ca.IssueNodeCertificate("validator-1", Signer);
        using NodeCertificate other = ca.IssueNodeCertificate("validator-2", Signer);
        Assert.Throws<ArgumentException>(
            () => NodeCertificate.FromPem(node.ExportCertificatePem(), other.ExportPrivateKeyPem(), ca.ExportCertificatePem()));
    }

    [Fact]
    public void NodeFromPem_RefusesGarbage()
    {
        using CertificateAuthority ca = CertificateAuthority.Create("Acme Bank");
        Assert.Throws<ArgumentException>(() => NodeCertificate.FromPem("not a pem", "nor this", ca.ExportCertificatePem()));
    }

    [Fact]
    public void CaFromPem_RefusesANodeCertificate()
    {
        using CertificateAuthority ca = CertificateAuthority.Create("Acme Bank");
        using NodeCertificate node = ca.IssueNodeCertificate("validator-1", Signer);
        ArgumentException error = Assert.Throws<ArgumentException>(
            () => CertificateAuthority.FromPem(node.ExportCertificatePem(), node.ExportPrivateKeyPem()));
        Assert.Contains("is not a CA", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("tab\tname")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123456789")]
    public void Names_ThatAreEmptyTooLongOrHoldControlCharacters_AreRefused(string name)
    {
        Assert.Throws<ArgumentException>(() => CertificateAuthority.Create(name));
        using CertificateAuthority ca = CertificateAuthority.Create("Acme Bank");
        Assert.Throws<ArgumentException>(() => ca.IssueNodeCertificate(name, Signer));
    }

    [Fact]
    public void Names_WithDistinguishedNameSpecialCharacters_SurviveIntact()
    {
        using CertificateAuthority ca = CertificateAuthority.Create("Acme, Inc.+\"Bank\"");
        using NodeCertificate node = ca.IssueNodeCertificate("node=1,O=Evil", Signer);
        Assert.Equal("node=1,O=Evil", node.Name);
        Assert.Equal("Acme, Inc.+\"Bank\"", node.Organisation);
    }
}
