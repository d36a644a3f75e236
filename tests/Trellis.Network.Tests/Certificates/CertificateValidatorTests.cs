using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Trellis.Crypto;
using Trellis.Network.Certificates;

namespace Trellis.Network.Tests.Certificates;

/// <summary>Every refusal reason, each with a real certificate carrying exactly that defect.</summary>
public sealed class CertificateValidatorTests : IDisposable
{
    private readonly CertificateAuthority _standard = CertificateAuthority.Create("org0");
    private readonly CertificateAuthority _national = CertificateAuthority.Create("org1", CryptoSuites.National);

    private X509Certificate2[] Members => [_standard.Certificate, _national.Certificate];

    public void Dispose()
    {
        _standard.Dispose();
        _national.Dispose();
    }

    [Fact]
    public void StandardNode_IssuedByItsMemberRoot_IsValid()
    {
        using NodeCertificate node = _standard.IssueNodeCertificate("n0", CraftedCertificates.Address);
        CertificateValidation result = ValidateNode(node.Certificate);
        Assert.True(result.IsValid, result.Reason);
        Assert.Equal(_standard.Fingerprint, CertificateFingerprint.Of(result.MemberAuthority));
    }

    [Fact]
    public void NationalNode_IssuedByTheTlsCaTheSm2RootCertified_IsValidWithThatRootAsMember()
    {
        using NodeCertificate node = _national.IssueNodeCertificate("n1", CraftedCertificates.Address);
        CertificateValidation result = ValidateNode(node.Certificate, node.Authority);
        Assert.True(result.IsValid, result.Reason);
        Assert.Equal(_national.Fingerprint, CertificateFingerprint.Of(result.MemberAuthority));
        Assert.Equal(node.AuthorityFingerprint, CertificateFingerprint.Of(result.Issuer));
        Assert.Equal(_national.Fingerprint, node.MemberAuthorityFingerprint);
    }

    [Fact]
    public void NationalNode_WithoutItsTlsCa_IsFromAnUnknownIssuer()
    {
        using NodeCertificate node = _national.IssueNodeCertificate("n1", CraftedCertificates.Address);
        AssertRefused(ValidateNode(node.Certificate), CertificateError.UnknownIssuer, "not a member CA");
    }

    [Fact]
    public void Garbage_IsMalformed()
    {
        Assert.Throws<FormatException>(() => CertificatePem.ReadAll("hello"));
        Assert.Throws<FormatException>(() => CertificatePem.ReadAll("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"));
        Assert.Throws<FormatException>(() => CertificatePem.ReadAll("-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n"));
        using NodeCertificate node = _standard.IssueNodeCertificate("n0", CraftedCertificates.Address);
        byte[] truncated = node.Certificate.RawData[..100];
        FormatException error = Assert.Throws<FormatException>(() => CertificatePem.Load(truncated, "node.crt"));
        Assert.Contains("node.crt is not a valid DER X.509 certificate", error.Message, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => CertificatePem.ReadAll(new string('A', CertificatePem.MaxLength + 1)));
    }

    [Fact]
    public void ExpiredNode_IsRefusedAsExpired()
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using NodeCertificate node = _standard.IssueNodeCertificate("old", CraftedCertificates.Address, now.AddDays(-10), now.AddDays(-1));
        AssertRefused(ValidateNode(node.Certificate), CertificateError.Expired, "expired at");
    }

    [Fact]
    public void FutureNode_IsRefusedAsNotYetValid()
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using NodeCertificate node = _standard.IssueNodeCertificate("future", CraftedCertificates.Address, now.AddDays(1), now.AddDays(10));
        AssertRefused(ValidateNode(node.Certificate), CertificateError.NotYetValid, "is not valid until");
    }

    [Fact]
    public void ExpiredMemberCa_RefusesItsNodes()
    {
        using CertificateAuthority shortLived = CertificateAuthority.Create("org0", TimeSpan.FromDays(1));
        using NodeCertificate node = shortLived.IssueNodeCertificate("n0", CraftedCertificates.Address);
        CertificateValidation result = CertificateValidator.ValidateNode(node.Certificate, [], [shortLived.Certificate], null, DateTime.UtcNow.AddDays(2));
        Assert.False(result.IsValid);
        Assert.Equal(CertificateError.Expired, result.Error);
    }

    [Fact]
    public void NodeOfANonMemberCa_IsFromAnUnknownIssuer()
    {
        using CertificateAuthority outsider = CertificateAuthority.Create("outsider");
        using NodeCertificate node = outsider.IssueNodeCertificate("intruder", CraftedCertificates.Address);
        AssertRefused(ValidateNode(node.Certificate), CertificateError.UnknownIssuer, "\"CN=outsider CA, O=outsider\", which is not a member CA");
    }

    [Fact]
    public void NodeOfAnImpostorCaWithTheMembersName_HasABadSignature()
    {
        // Same subject name as the member CA, different key: only the signature tells them apart.
        using CertificateAuthority impostor = CertificateAuthority.Create("org0");
        using NodeCertificate node = impostor.IssueNodeCertificate("n0", CraftedCertificates.Address);
        AssertRefused(ValidateNode(node.Certificate), CertificateError.BadSignature, "does not verify");
    }

    [Fact]
    public void TamperedSignature_IsABadSignature_InBothSuites()
    {
        using NodeCertificate standard = _standard.IssueNodeCertificate("n0", CraftedCertificates.Address);
        using X509Certificate2 broken = CraftedCertificates.WithBrokenSignature(standard.Certificate);
        AssertRefused(ValidateNode(broken), CertificateError.BadSignature, "ECDSA-SHA256 signature does not verify");

        using NodeCertificate national = _national.IssueNodeCertificate("n1", CraftedCertificates.Address);
        using X509Certificate2 brokenTlsCa = CraftedCertificates.WithBrokenSignature(national.Authority);
        AssertRefused(ValidateNode(national.Certificate, brokenTlsCa), CertificateError.BadSignature, "SM2 signature does not verify");
    }

    [Fact]
    public void NodeWithoutClientAuth_HasTheWrongKeyUsage()
    {
        using X509Certificate2 serverOnly = CraftedCertificates.Node(_standard, extendedUsages: [CraftedCertificates.ServerAuth]);
        AssertRefused(ValidateNode(serverOnly), CertificateError.WrongKeyUsage, "lacks clientAuth");
        using X509Certificate2 noEku = CraftedCertificates.Node(_standard, extendedUsages: []);
        AssertRefused(ValidateNode(noEku), CertificateError.WrongKeyUsage, "no extendedKeyUsage");
        using X509Certificate2 noSigning = CraftedCertificates.Node(_standard, usage: X509KeyUsageFlags.KeyEncipherment);
        AssertRefused(ValidateNode(noSigning), CertificateError.WrongKeyUsage, "digitalSignature is required");
        using X509Certificate2 signsCertificates = CraftedCertificates.Node(_standard, usage: X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign);
        AssertRefused(ValidateNode(signsCertificates), CertificateError.WrongKeyUsage, "only a CA may sign");
        using X509Certificate2 ca = CraftedCertificates.Node(_standard, isCa: true);
        AssertRefused(ValidateNode(ca), CertificateError.WrongKeyUsage, "basicConstraints cA=true");
    }

    [Fact]
    public void NodeWithAP384Key_HasTheWrongKeyType()
    {
        using X509Certificate2 p384 = CraftedCertificates.Node(_standard, curve: ECCurve.NamedCurves.nistP384);
        AssertRefused(ValidateNode(p384), CertificateError.WrongKeyType, "must be P-256");
    }

    [Fact]
    public void NodeWithoutTheAddressSan_IsMissingTheAddress()
    {
        using X509Certificate2 anonymous = CraftedCertificates.Node(_standard, addressSan: false);
        AssertRefused(ValidateNode(anonymous), CertificateError.MissingAddress, "urn:trellis:address:");
    }

    [Fact]
    public void NodeClaimingAnotherOrganisation_HasTheWrongSubject()
    {
        using X509Certificate2 liar = CraftedCertificates.Node(_standard, organisation: "org1");
        AssertRefused(ValidateNode(liar), CertificateError.WrongSubject, "claims organisation \"org1\" but was issued under the CA of \"org0\"");
    }

    [Fact]
    public void RevokedNode_ByFingerprintOrBySerial_IsRevoked()
    {
        using NodeCertificate node = _standard.IssueNodeCertificate("n0", CraftedCertificates.Address);
        var byFingerprint = new InMemoryRevocationSet();
        byFingerprint.RevokeFingerprint(node.Fingerprint, "key compromise");
        AssertRefused(CertificateValidator.ValidateNode(node.Certificate, [], Members, byFingerprint, DateTime.UtcNow), CertificateError.Revoked, "is revoked: key compromise");

        var bySerial = new InMemoryRevocationSet();
        bySerial.RevokeSerial(_standard.Fingerprint, "0x" + node.Certificate.SerialNumber, "node retired");
        AssertRefused(CertificateValidator.ValidateNode(node.Certificate, [], Members, bySerial, DateTime.UtcNow), CertificateError.Revoked, "node retired");

        var otherIssuer = new InMemoryRevocationSet();
        otherIssuer.RevokeSerial(_national.Fingerprint, node.Certificate.SerialNumber, "same serial, other CA");
        Assert.True(CertificateValidator.ValidateNode(node.Certificate, [], Members, otherIssuer, DateTime.UtcNow).IsValid);
    }

    [Fact]
    public void RevokedTlsCa_RefusesEveryNodeItIssued()
    {
        using NodeCertificate node = _national.IssueNodeCertificate("n1", CraftedCertificates.Address);
        var revoked = new InMemoryRevocationSet();
        revoked.RevokeFingerprint(node.AuthorityFingerprint, "TLS CA key lost");
        CertificateValidation result = CertificateValidator.ValidateNode(node.Certificate, [node.Authority], Members, revoked, DateTime.UtcNow);
        AssertRefused(result, CertificateError.Revoked, "TLS CA key lost");
    }

    [Fact]
    public void TlsCaOfAnotherOrganisationsRoot_IsNotAcceptedForANonMember()
    {
        using CertificateAuthority outsider = CertificateAuthority.Create("outsider", CryptoSuites.National);
        using NodeCertificate node = outsider.IssueNodeCertificate("n", CraftedCertificates.Address);
        AssertRefused(ValidateNode(node.Certificate, node.Authority), CertificateError.UnknownIssuer, "TLS CA");
    }

    [Fact]
    public void MemberRoot_IsValidAsAnAuthority_AndANonSelfSignedCaIsNot()
    {
        Assert.True(CertificateValidator.ValidateAuthority(_standard.Certificate, DateTime.UtcNow).IsValid);
        Assert.True(CertificateValidator.ValidateAuthority(_national.Certificate, DateTime.UtcNow).IsValid);
        AssertRefused(CertificateValidator.ValidateAuthority(_national.TlsAuthority, DateTime.UtcNow), CertificateError.UnknownIssuer, "not self-signed");
        using X509Certificate2 broken = CraftedCertificates.WithBrokenSignature(_national.Certificate);
        AssertRefused(CertificateValidator.ValidateAuthority(broken, DateTime.UtcNow), CertificateError.BadSignature, "self-signature");
    }

    [Fact]
    public void RefusalsNeverThrow_ForRandomlyCorruptedCertificates()
    {
        using NodeCertificate node = _national.IssueNodeCertificate("n1", CraftedCertificates.Address);
        var random = new Random(7);
        int loaded = 0;
        for (int i = 0; i < 300; i++)
        {
            byte[] der = node.Certificate.RawData;
            der[random.Next(der.Length)] ^= (byte)(1 << random.Next(8));
            X509Certificate2 corrupted;
            try
            {
                corrupted = CertificatePem.Load(der);
            }
            catch (FormatException)
            {
                continue;
            }

            using (corrupted)
            {
                loaded++;
                CertificateValidation result = CertificateValidator.ValidateNode(corrupted, [node.Authority], Members, null, DateTime.UtcNow);
                if (!corrupted.RawDataMemory.Span.SequenceEqual(node.Certificate.RawData))
                {
                    Assert.False(result.IsValid);
                    Assert.False(string.IsNullOrEmpty(result.Reason));
                }
            }
        }

        Assert.True(loaded > 0);
    }

    private CertificateValidation ValidateNode(X509Certificate2 certificate, params X509Certificate2[] intermediates) =>
        CertificateValidator.ValidateNode(certificate, intermediates, Members, null, DateTime.UtcNow);

    private static void AssertRefused(CertificateValidation result, CertificateError error, string fragment)
    {
        Assert.False(result.IsValid, "expected a refusal");
        Assert.Equal(error, result.Error);
        Assert.Contains(fragment, result.Reason, StringComparison.Ordinal);
    }
}
