using FsCheck;
using FsCheck.Fluent;
using Google.Protobuf;
using Google.Protobuf.Collections;
using Trellis.Crypto;
using Trellis.Network.Certificates;
using Trellis.Network.Peers;
using Trellis.Network.Tests.Certificates;

namespace Trellis.Network.Tests.Peers;

/// <summary>The CA certificates of a hello: what a node sends, and the bounds on what it accepts.</summary>
public sealed class HelloCertificatesTests
{
    [Fact]
    public void AddTo_SendsTheStandardOrganisationCa_WhichOpenSslReadsAsTheLeafsIssuer()
    {
        using var ca = CertificateAuthority.Create("org1");
        using NodeCertificate node = ca.IssueNodeCertificate("node1", TestConsortium.AddressOf(1));
        var field = new RepeatedField<ByteString>();
        HelloCertificates.AddTo(field, node);

        Assert.Single(field);
        string directory = Directory.CreateTempSubdirectory("hello-ca").FullName;
        try
        {
            string der = Path.Combine(directory, "sent.der");
            File.WriteAllBytes(der, field[0].ToByteArray());
            string leaf = OpenSsl.WriteTemp(directory, "leaf.pem", node.ExportCertificatePem());
            (int code, string output) = OpenSsl.Run("x509", "-inform", "DER", "-in", der, "-noout", "-subject", "-fingerprint", "-sha256");
            Assert.Equal(0, code);
            Assert.Contains("CN = org1 CA", output, StringComparison.Ordinal);
            Assert.Contains(ca.Fingerprint.ToString()[2..], output.Replace(":", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
            string pem = OpenSsl.WriteTemp(directory, "sent.pem", ca.ExportCertificatePem());
            (code, output) = OpenSsl.Run("verify", "-CAfile", pem, leaf);
            Assert.True(code == 0, output);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void AddTo_SendsTheNationalTlsCaThenTheSm2Root()
    {
        using var ca = CertificateAuthority.Create("org1", CryptoSuites.National);
        using NodeCertificate node = ca.IssueNodeCertificate("node1", TestConsortium.AddressOf(1));
        var field = new RepeatedField<ByteString>();
        HelloCertificates.AddTo(field, node);

        Assert.Equal(2, field.Count);
        Assert.Equal(ca.TlsAuthority.RawData, field[0].ToByteArray());
        Assert.Equal(ca.Certificate.RawData, field[1].ToByteArray());
        Assert.True(HelloCertificates.TryRead(field, out List<System.Security.Cryptography.X509Certificates.X509Certificate2>? read, out string? error), error);
        Assert.Equal([ca.TlsAuthority.Subject, ca.Certificate.Subject], read.Select(c => c.Subject));
        HelloCertificates.Dispose(read);
    }

    [Fact]
    public void TryRead_AcceptsFourCas_AndRefusesFive()
    {
        using var ca = CertificateAuthority.Create("org1");
        var field = new RepeatedField<ByteString>();
        for (int i = 0; i < HelloCertificates.MaxCount; i++)
        {
            field.Add(ByteString.CopyFrom(ca.Certificate.RawData));
        }

        Assert.True(HelloCertificates.TryRead(field, out List<System.Security.Cryptography.X509Certificates.X509Certificate2>? read, out string? error), error);
        HelloCertificates.Dispose(read);

        field.Add(ByteString.CopyFrom(ca.Certificate.RawData));
        Assert.False(HelloCertificates.TryRead(field, out _, out error));
        Assert.Equal("its hello carries 5 CA certificates; at most 4 are allowed", error);
    }

    [Fact]
    public void TryRead_RefusesACertificateOverEightKibibytes()
    {
        var field = new RepeatedField<ByteString> { ByteString.CopyFrom(new byte[(8 * 1024) + 1]) };
        Assert.False(HelloCertificates.TryRead(field, out _, out string? error));
        Assert.Equal("CA certificate 1 in its hello is 8193 bytes; at most 8192 are allowed", error);
    }

    [Fact]
    public void TryRead_RefusesGarbage_TrailingBytes_PemText_AndALeaf()
    {
        using var ca = CertificateAuthority.Create("org1");
        using NodeCertificate node = ca.IssueNodeCertificate("node1", TestConsortium.AddressOf(1));
        byte[] der = ca.Certificate.RawData;

        AssertRefused([0x30, 0x03, 0x02, 0x01], "not a valid DER X.509 certificate");
        AssertRefused([.. der, 0x00], "1 bytes after its DER value");
        AssertRefused(der[..^10], "not a valid DER X.509 certificate");
        AssertRefused(System.Text.Encoding.ASCII.GetBytes(ca.ExportCertificatePem()), "not a valid DER X.509 certificate");
        AssertRefused([0x30, 0x00], "not a valid DER X.509 certificate");
        AssertRefused(node.Certificate.RawData, "is not a CA");

        // The position of the bad one is named.
        var field = new RepeatedField<ByteString> { ByteString.CopyFrom(der), ByteString.CopyFrom([1, 2, 3]) };
        Assert.False(HelloCertificates.TryRead(field, out _, out string? error));
        Assert.StartsWith("CA certificate 2 in its hello", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryRead_NeverThrowsOnArbitraryBytes()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<byte[][]>(), entries =>
        {
            var field = new RepeatedField<ByteString>();
            foreach (byte[]? entry in entries)
            {
                field.Add(ByteString.CopyFrom(entry ?? []));
            }

            bool ok = HelloCertificates.TryRead(field, out List<System.Security.Cryptography.X509Certificates.X509Certificate2>? read, out string? error);
            if (ok)
            {
                // Only an empty list can be valid among random bytes.
                HelloCertificates.Dispose(read!);
                return field.Count == 0;
            }

            return !string.IsNullOrEmpty(error);
        }).QuickCheckThrowOnFailure();
    }

    private static void AssertRefused(byte[] bytes, string expected)
    {
        var field = new RepeatedField<ByteString> { ByteString.CopyFrom(bytes) };
        Assert.False(HelloCertificates.TryRead(field, out _, out string? error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
