using System.Formats.Asn1;
using System.Numerics;
using System.Text;
using Trellis.Crypto.National;

namespace Trellis.Crypto.Tests.National;

/// <summary>Cross-checks SM2 against the openssl command run as a separate process, in both directions.</summary>
public class Sm2OpenSslTests
{
    private const string DefaultId = "1234567812345678";

    [Fact]
    public void Verify_AcceptsSignaturesMadeByOpenSsl_AndRejectsOtherIdsAndTampering()
    {
        using var openssl = new OpenSslSm2Process();
        var random = new Random(1);
        for (var i = 0; i < 20; i++)
        {
            var keyPath = openssl.GenerateSm2Key($"key{i}.pem");
            var (curve, privateKey) = KeyEncoding.ImportPrivateKeyPem(File.ReadAllText(keyPath));
            Assert.Equal(CurveKind.Sm2, curve);
            var (_, publicKey) = KeyEncoding.ImportPublicKeyPem(File.ReadAllText(openssl.ExtractPublicKey(keyPath, $"pub{i}.pem")));
            Assert.Equal(publicKey, Sm2.DerivePublicKey(privateKey));

            var message = new byte[random.Next(0, 300)];
            random.NextBytes(message);
            var userId = i % 4 == 3 ? "alice@trellis.example" : DefaultId;
            var signature = DerToRaw(openssl.Sign(keyPath, message, userId));

            Assert.True(Sm2.Verify(publicKey, message, signature, Encoding.ASCII.GetBytes(userId)), $"key {i}");
            Assert.False(Sm2.Verify(publicKey, message, signature, "1234567812345670"u8));
            Assert.False(Sm2.Verify(publicKey, [.. message, 0], signature, Encoding.ASCII.GetBytes(userId)));
            var tampered = (byte[])signature.Clone();
            tampered[i] ^= 0x01;
            Assert.False(Sm2.Verify(publicKey, message, tampered, Encoding.ASCII.GetBytes(userId)));
        }
    }

    [Fact]
    public void OpenSsl_AcceptsSignaturesMadeByUs_AndRejectsThemUnderAnotherId()
    {
        using var openssl = new OpenSslSm2Process();
        var random = new Random(2);
        for (var i = 0; i < 20; i++)
        {
            var privateKey = Sm2.GeneratePrivateKey();
            var publicKey = Sm2.DerivePublicKey(privateKey);
            var publicPath = openssl.WriteText($"pub{i}.pem", KeyEncoding.ExportPublicKeyPem(CurveKind.Sm2, publicKey));
            var message = new byte[random.Next(0, 300)];
            random.NextBytes(message);
            var userId = i % 4 == 3 ? "bob@trellis.example" : DefaultId;
            var signature = Sm2.Sign(privateKey, message, Encoding.ASCII.GetBytes(userId));

            Assert.True(openssl.Verify(publicPath, message, RawToDer(signature), userId), $"key {i}");
            if (i % 5 == 0)
            {
                Assert.False(openssl.Verify(publicPath, message, RawToDer(signature), "1234567812345670"));
            }
        }
    }

    [Fact]
    public void OpenSsl_SignsWithAKeyWeExported_AndWeVerify()
    {
        using var openssl = new OpenSslSm2Process();
        var privateKey = Sm2.GeneratePrivateKey();
        var keyPath = openssl.WriteText("ours.pem", KeyEncoding.ExportPrivateKeyPem(CurveKind.Sm2, privateKey));
        var signature = DerToRaw(openssl.Sign(keyPath, "exported key"u8, DefaultId));
        Assert.True(Sm2.Verify(Sm2.DerivePublicKey(privateKey), "exported key"u8, signature));
    }

    internal static byte[] DerToRaw(byte[] der)
    {
        var reader = new AsnReader(der, AsnEncodingRules.DER);
        var sequence = reader.ReadSequence();
        var raw = new byte[64];
        WriteFixed(sequence.ReadInteger(), raw.AsSpan(0, 32));
        WriteFixed(sequence.ReadInteger(), raw.AsSpan(32, 32));
        return raw;
    }

    internal static byte[] RawToDer(byte[] raw)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(new BigInteger(raw.AsSpan(0, 32), isUnsigned: true, isBigEndian: true));
            writer.WriteInteger(new BigInteger(raw.AsSpan(32, 32), isUnsigned: true, isBigEndian: true));
        }

        return writer.Encode();
    }

    private static void WriteFixed(BigInteger value, Span<byte> destination32)
    {
        destination32.Clear();
        var length = value.GetByteCount(isUnsigned: true);
        value.TryWriteBytes(destination32[(32 - length)..], out _, isUnsigned: true, isBigEndian: true);
    }
}
