using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Trellis.Crypto.National;
using X509PublicKey = System.Security.Cryptography.X509Certificates.PublicKey;

namespace Trellis.Crypto.X509;

/// <summary>
/// Signs X.509 certificates with an SM2 key for <see cref="CertificateRequest"/>: the SM3-with-SM2 algorithm
/// (OID 1.2.156.10197.1.501, GM/T 0015), SM2 over SM3(Z_A || TBSCertificate) with the default user id
/// 1234567812345678, the signature encoded as DER SEQUENCE { r, s } as OpenSSL and BouncyCastle expect.
/// </summary>
public sealed class Sm2SignatureGenerator : X509SignatureGenerator
{
    /// <summary>The hash name to pass to <see cref="CertificateRequest"/> with this generator.</summary>
    public static readonly HashAlgorithmName Sm3 = new("SM3");

    private readonly byte[] _privateKey;
    private readonly Trellis.Crypto.PublicKey _publicKey;

    /// <summary>Creates a generator signing with <paramref name="privateKey"/>.</summary>
    /// <exception cref="ArgumentException">The key is not an SM2 key.</exception>
    public Sm2SignatureGenerator(PrivateKey privateKey)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        if (privateKey.Curve != CurveKind.Sm2)
        {
            throw new ArgumentException($"an SM2 certificate signer needs an SM2 key, got a {privateKey.Curve} key", nameof(privateKey));
        }

        _privateKey = privateKey.Bytes.ToArray();
        _publicKey = NationalSuite.Instance.DerivePublicKey(privateKey);
    }

    /// <inheritdoc />
    public override byte[] GetSignatureAlgorithmIdentifier(HashAlgorithmName hashAlgorithm)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            // GM/T 0015 and OpenSSL: the OID alone, no parameters.
            writer.WriteObjectIdentifier(CertificateSignatures.Sm2WithSm3Oid);
        }

        return writer.Encode();
    }

    /// <inheritdoc />
    public override byte[] SignData(byte[] data, HashAlgorithmName hashAlgorithm)
    {
        ArgumentNullException.ThrowIfNull(data);
        byte[] signature = Sm2.Sign(_privateKey, data);
        return CertificateSignatures.EncodeDer(signature);
    }

    /// <inheritdoc />
    protected override X509PublicKey BuildPublicKey() => CertificateKeys.ToX509PublicKey(_publicKey);
}
