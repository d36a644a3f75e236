using System.Formats.Asn1;
using Trellis.Crypto.National;
using Trellis.Crypto.Tests.National;

namespace Trellis.Crypto.Tests;

public class KeyEncodingTests
{
    [Fact]
    public void Sm2_KeysFromOpenSslGenpkey_ImportAndMatchOpenSslPublicKey()
    {
        using var openssl = new OpenSslSm2Process();
        var keyPath = openssl.GenerateSm2Key("key.pem");
        var publicPem = File.ReadAllText(openssl.ExtractPublicKey(keyPath, "pub.pem"));

        var (curve, privateKey) = KeyEncoding.ImportPrivateKeyPem(File.ReadAllText(keyPath));
        var (publicCurve, publicKey) = KeyEncoding.ImportPublicKeyPem(publicPem);
        Assert.Equal(CurveKind.Sm2, curve);
        Assert.Equal(CurveKind.Sm2, publicCurve);
        Assert.Equal(publicKey, Sm2.DerivePublicKey(privateKey));

        // Our encodings are byte-for-byte what OpenSSL writes for the same key.
        Assert.Equal(publicPem, KeyEncoding.ExportPublicKeyPem(CurveKind.Sm2, publicKey));
        Assert.Equal(File.ReadAllText(keyPath), KeyEncoding.ExportPrivateKeyPem(CurveKind.Sm2, privateKey));
    }

    [Fact]
    public void Sm2_ExportedPrivateKey_IsReadByOpenSsl()
    {
        using var openssl = new OpenSslSm2Process();
        var privateKey = Sm2.GeneratePrivateKey();
        var path = openssl.WriteText("ours.pem", KeyEncoding.ExportPrivateKeyPem(CurveKind.Sm2, privateKey));
        var text = OpenSslSm2Process.RunChecked("pkey", "-in", path, "-text", "-noout");
        Assert.Contains("SM2", text, StringComparison.Ordinal);
        var derivedByOpenSsl = OpenSslSm2Process.RunChecked("pkey", "-in", path, "-pubout");
        Assert.Equal(Sm2.DerivePublicKey(privateKey), KeyEncoding.ImportPublicKeyPem(derivedByOpenSsl).PublicKey);
    }

    [Fact]
    public void Secp256k1_EcPrivateKeyFromOpenSsl_RoundTripsThroughPkcs8()
    {
        using var openssl = new OpenSslSm2Process();
        var ecPath = openssl.PathOf("ec.pem");
        OpenSslSm2Process.RunChecked("ecparam", "-name", "secp256k1", "-genkey", "-noout", "-out", ecPath);
        var publicPem = OpenSslSm2Process.RunChecked("pkey", "-in", ecPath, "-pubout");
        var pkcs8Pem = OpenSslSm2Process.RunChecked("pkey", "-in", ecPath);

        var (curve, privateKey) = KeyEncoding.ImportPrivateKeyPem(File.ReadAllText(ecPath));
        Assert.Equal(CurveKind.Secp256k1, curve);
        Assert.Equal(privateKey, KeyEncoding.ImportPrivateKeyPem(pkcs8Pem).PrivateKey);
        var (publicCurve, publicKey) = KeyEncoding.ImportPublicKeyPem(publicPem);
        Assert.Equal(CurveKind.Secp256k1, publicCurve);
        Assert.Equal(publicPem, KeyEncoding.ExportPublicKeyPem(CurveKind.Secp256k1, publicKey));

        // With the public key supplied the export equals OpenSSL's PKCS#8; without it OpenSSL still derives it.
        Assert.Equal(pkcs8Pem, KeyEncoding.ExportPrivateKeyPem(CurveKind.Secp256k1, privateKey, publicKey));
        var bare = openssl.WriteText("bare.pem", KeyEncoding.ExportPrivateKeyPem(CurveKind.Secp256k1, privateKey));
        Assert.Equal(publicPem, OpenSslSm2Process.RunChecked("pkey", "-in", bare, "-pubout"));
    }

    [Fact]
    public void Sm2_EcPrivateKeyFromOpenSslEcparam_Imports()
    {
        using var openssl = new OpenSslSm2Process();
        var ecPath = openssl.PathOf("ec.pem");
        OpenSslSm2Process.RunChecked("ecparam", "-name", "SM2", "-genkey", "-noout", "-out", ecPath);
        var publicPem = OpenSslSm2Process.RunChecked("pkey", "-in", ecPath, "-pubout");
        var (curve, privateKey) = KeyEncoding.ImportPrivateKeyPem(File.ReadAllText(ecPath));
        Assert.Equal(CurveKind.Sm2, curve);
        Assert.Equal(KeyEncoding.ImportPublicKeyPem(publicPem).PublicKey, Sm2.DerivePublicKey(privateKey));
    }

    [Fact]
    public void Import_RejectsTextThatIsNotPem()
    {
        var error = Assert.Throws<FormatException>(() => KeyEncoding.ImportPrivateKeyPem("hello"));
        Assert.Contains("not PEM", error.Message, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => KeyEncoding.ImportPublicKeyPem(""));
    }

    [Fact]
    public void Import_RejectsTruncatedBase64()
    {
        var pem = KeyEncoding.ExportPrivateKeyPem(CurveKind.Sm2, Sm2.GeneratePrivateKey());
        var lines = pem.Split('\n');
        var truncated = string.Join('\n', lines[0], lines[1], lines[2][..20], lines[^2]);
        Assert.Throws<FormatException>(() => KeyEncoding.ImportPrivateKeyPem(truncated));

        // Whole base64 groups but missing DER bytes: decodes, then fails as DER.
        var cut = string.Join('\n', lines[0], lines[1], lines[^2]);
        var error = Assert.Throws<FormatException>(() => KeyEncoding.ImportPrivateKeyPem(cut));
        Assert.Contains("DER", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_RejectsWrongLabel()
    {
        var publicPem = KeyEncoding.ExportPublicKeyPem(CurveKind.Sm2, Sm2.DerivePublicKey(Sm2.GeneratePrivateKey()));
        var error = Assert.Throws<FormatException>(() => KeyEncoding.ImportPrivateKeyPem(publicPem));
        Assert.Contains("PUBLIC KEY", error.Message, StringComparison.Ordinal);
        var privatePem = KeyEncoding.ExportPrivateKeyPem(CurveKind.Sm2, Sm2.GeneratePrivateKey());
        Assert.Throws<FormatException>(() => KeyEncoding.ImportPublicKeyPem(privatePem));
        Assert.Throws<FormatException>(() => KeyEncoding.ImportPublicKeyPem(publicPem.Replace("PUBLIC KEY", "CERTIFICATE", StringComparison.Ordinal)));
    }

    [Fact]
    public void Import_RejectsP256AndRsaKeys_NamingTheOid()
    {
        using var openssl = new OpenSslSm2Process();
        var p256 = OpenSslSm2Process.RunChecked("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256");
        var error = Assert.Throws<FormatException>(() => KeyEncoding.ImportPrivateKeyPem(p256));
        Assert.Contains("1.2.840.10045.3.1.7", error.Message, StringComparison.Ordinal);

        var rsa = OpenSslSm2Process.RunChecked("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024");
        error = Assert.Throws<FormatException>(() => KeyEncoding.ImportPrivateKeyPem(rsa));
        Assert.Contains("1.2.840.113549.1.1.1", error.Message, StringComparison.Ordinal);
        var rsaPath = openssl.WriteText("rsa.pem", rsa);
        var rsaPublic = OpenSslSm2Process.RunChecked("pkey", "-in", rsaPath, "-pubout");
        Assert.Throws<FormatException>(() => KeyEncoding.ImportPublicKeyPem(rsaPublic));
    }

    [Fact]
    public void Import_RejectsBadLengthsAndOutOfRangeValues()
    {
        // 33-byte scalar.
        var error = Assert.Throws<FormatException>(() => KeyEncoding.ImportPrivateKeyPem(Pkcs8Pem("1.2.156.10197.1.301", new byte[33])));
        Assert.Contains("33", error.Message, StringComparison.Ordinal);

        // d = n for SM2 and zero.
        var n = Convert.FromHexString("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123");
        Assert.Throws<FormatException>(() => KeyEncoding.ImportPrivateKeyPem(Pkcs8Pem("1.2.156.10197.1.301", n)));
        Assert.Throws<FormatException>(() => KeyEncoding.ImportPrivateKeyPem(Pkcs8Pem("1.3.132.0.10", new byte[32])));

        // Unknown curve OID.
        var one = new byte[32];
        one[31] = 1;
        error = Assert.Throws<FormatException>(() => KeyEncoding.ImportPrivateKeyPem(Pkcs8Pem("1.2.3.4", one)));
        Assert.Contains("1.2.3.4", error.Message, StringComparison.Ordinal);

        // Public point off the curve, compressed, or too short.
        var publicKey = Sm2.DerivePublicKey(Sm2.GeneratePrivateKey());
        publicKey[63] ^= 1;
        error = Assert.Throws<FormatException>(() => KeyEncoding.ImportPublicKeyPem(KeyEncoding.ExportPublicKeyPem(CurveKind.Sm2, publicKey)));
        Assert.Contains("not a point on the curve", error.Message, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => KeyEncoding.ImportPublicKeyPem(KeyEncoding.ExportPublicKeyPem(CurveKind.Secp256k1, publicKey)));
        error = Assert.Throws<FormatException>(() => KeyEncoding.ImportPublicKeyPem(SpkiPem([0x02, .. publicKey[..32]])));
        Assert.Contains("compressed", error.Message, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => KeyEncoding.ImportPublicKeyPem(SpkiPem([0x04, .. publicKey[..40]])));
    }

    [Fact]
    public void Export_RejectsBadKeys()
    {
        Assert.Throws<ArgumentException>(() => KeyEncoding.ExportPrivateKeyPem(CurveKind.Sm2, new byte[32]));
        Assert.Throws<ArgumentException>(() => KeyEncoding.ExportPrivateKeyPem(CurveKind.Secp256k1, new byte[31]));
        var d = Sm2.GeneratePrivateKey();
        Assert.Throws<ArgumentException>(() => KeyEncoding.ExportPrivateKeyPem(CurveKind.Sm2, d, new byte[10]));
        var wrong = Sm2.DerivePublicKey(Sm2.GeneratePrivateKey());
        Assert.Throws<ArgumentException>(() => KeyEncoding.ExportPrivateKeyPem(CurveKind.Sm2, d, wrong));
        Assert.Throws<ArgumentException>(() => KeyEncoding.ExportPublicKeyPem(CurveKind.Sm2, new byte[65]));
    }

    private static string Pkcs8Pem(string curveOid, byte[] scalar)
    {
        var inner = new AsnWriter(AsnEncodingRules.DER);
        using (inner.PushSequence())
        {
            inner.WriteInteger(1);
            inner.WriteOctetString(scalar);
        }

        var outer = new AsnWriter(AsnEncodingRules.DER);
        using (outer.PushSequence())
        {
            outer.WriteInteger(0);
            using (outer.PushSequence())
            {
                outer.WriteObjectIdentifier("1.2.840.10045.2.1");
                outer.WriteObjectIdentifier(curveOid);
            }

            outer.WriteOctetString(inner.Encode());
        }

        return new string(System.Security.Cryptography.PemEncoding.Write("PRIVATE KEY", outer.Encode()));
    }

    private static string SpkiPem(byte[] point)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier("1.2.840.10045.2.1");
                writer.WriteObjectIdentifier("1.2.156.10197.1.301");
            }

            writer.WriteBitString(point);
        }

        return new string(System.Security.Cryptography.PemEncoding.Write("PUBLIC KEY", writer.Encode()));
    }
}
