using System.Security.Cryptography;
using Trellis.Core;
using Trellis.Crypto;
using Trellis.Ledger.Governance;
using Trellis.Network.Certificates;
using Trellis.Node.P2p;

namespace Trellis.Node.Tests.P2p;

/// <summary>The ledger's revocation list as the node's <see cref="IRevocationSet"/>: effective heights, and certificate validation refusing with the reason.</summary>
public sealed class LedgerRevocationSetTests
{
    private static readonly Address Signer = Address.Parse("0x00000000000000000000000000000000000000aa");

    [Fact]
    public void Revocations_ApplyFromTheirEffectiveHeightAndTheNextOneIsReported()
    {
        Hash256 first = new(SHA256.HashData([1]));
        Hash256 second = new(SHA256.HashData([2]));
        RevokedCertificate[] list = [new(first, "key leaked", 3, 10), new(second, string.Empty, 4, 12)];

        var atNine = new LedgerRevocationSet(list, 9);
        var atTen = new LedgerRevocationSet(list, 10);
        var atTwelve = new LedgerRevocationSet(list, 12);

        Assert.False(atNine.IsRevoked(first, out _));
        Assert.Equal(10UL, atNine.NextEffectiveHeight);
        Assert.True(atTen.IsRevoked(first, out string? reason));
        Assert.Equal("revoked by governance proposal 3 from block 10: key leaked", reason);
        Assert.False(atTen.IsRevoked(second, out _));
        Assert.Equal(12UL, atTen.NextEffectiveHeight);
        Assert.True(atTwelve.IsRevoked(second, Hash256.Zero, "01", out reason));
        Assert.Equal("revoked by governance proposal 4 from block 12", reason);
        Assert.Equal(ulong.MaxValue, atTwelve.NextEffectiveHeight);
        Assert.Equal(2, atTwelve.Count);
    }

    [Fact]
    public void CertificateValidator_RefusesARevokedNodeCertificateOrCaWithTheFingerprintAndReason()
    {
        using CertificateAuthority ca = CertificateAuthority.Create("org1", CryptoSuites.Standard);
        using NodeCertificate node = ca.IssueNodeCertificate("org1-node1", Signer);
        // The fingerprint as anyone computes it: SHA-256 of the DER.
        var nodeFingerprint = new Hash256(SHA256.HashData(node.Certificate.RawData));
        var caFingerprint = new Hash256(SHA256.HashData(ca.Certificate.RawData));
        DateTime now = DateTime.UtcNow;

        CertificateValidation clean = CertificateValidator.ValidateNode(node.Certificate, [], [ca.Certificate], new LedgerRevocationSet([], 5), now);
        CertificateValidation leaf = CertificateValidator.ValidateNode(node.Certificate, [], [ca.Certificate], new LedgerRevocationSet([new(nodeFingerprint, "stolen laptop", 7, 5)], 5), now);
        CertificateValidation pending = CertificateValidator.ValidateNode(node.Certificate, [], [ca.Certificate], new LedgerRevocationSet([new(nodeFingerprint, "stolen laptop", 7, 6)], 5), now);
        CertificateValidation root = CertificateValidator.ValidateNode(node.Certificate, [], [ca.Certificate], new LedgerRevocationSet([new(caFingerprint, "CA key compromised", 8, 5)], 5), now);

        Assert.True(clean.IsValid, clean.Reason);
        Assert.True(pending.IsValid, pending.Reason);
        Assert.Equal(CertificateError.Revoked, leaf.Error);
        Assert.Contains($"fingerprint {nodeFingerprint}) is revoked: revoked by governance proposal 7 from block 5: stolen laptop", leaf.Reason, StringComparison.Ordinal);
        Assert.Equal(CertificateError.Revoked, root.Error);
        Assert.Contains($"fingerprint {caFingerprint}) is revoked: revoked by governance proposal 8 from block 5: CA key compromised", root.Reason, StringComparison.Ordinal);
    }
}
