using Trellis.Crypto.X509;

namespace Trellis.Network.Tests.Certificates;

public sealed class CertificateSignaturesTests
{
    [Fact]
    public void EncodeDer_DropsLeadingZerosAndAddsASignByteAsX690Requires()
    {
        var raw = new byte[64];
        raw[31] = 0x05;          // r = 5
        raw[32] = 0x80;          // s has its top bit set: needs a 0x00 sign byte
        byte[] der = CertificateSignatures.EncodeDer(raw);
        byte[] expected = [0x30, 0x26, 0x02, 0x01, 0x05, 0x02, 0x21, 0x00, 0x80, .. new byte[31]];
        Assert.Equal(expected, der);

        var decoded = new byte[64];
        Assert.True(CertificateSignatures.TryDecodeDer(der, decoded));
        Assert.Equal(raw, decoded);
    }

    [Theory]
    [InlineData("3006020105020105ff")]               // trailing byte
    [InlineData("30060201ff020105")]                 // negative r
    [InlineData("3025020105022100" + "80" + "00000000000000000000000000000000000000000000000000000000000000")] // length mismatch
    [InlineData("300702010502020005")]               // non-minimal s
    [InlineData("")]
    public void TryDecodeDer_RefusesMalformedSignatures(string hex)
    {
        Assert.False(CertificateSignatures.TryDecodeDer(Convert.FromHexString(hex), new byte[64]));
    }
}
