using System.Diagnostics.CodeAnalysis;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using X509PublicKey = System.Security.Cryptography.X509Certificates.PublicKey;

namespace Trellis.Crypto.X509;

/// <summary>
/// Subject public keys of X.509 certificates on the suite curves (secp256k1, SM2) and on P-256 (TLS), as
/// id-ecPublicKey with a named curve and an uncompressed point (RFC 5480).
/// </summary>
public static class CertificateKeys
{
    /// <summary>id-ecPublicKey (RFC 5480).</summary>
    public const string EcPublicKeyOid = "1.2.840.10045.2.1";

    /// <summary>NIST P-256 (secp256r1, prime256v1).</summary>
    public const string P256Oid = "1.2.840.10045.3.1.7";

    /// <summary>secp256k1 (SEC 2).</summary>
    public const string Secp256k1Oid = "1.3.132.0.10";

    /// <summary>sm2p256v1 (GB/T 32918.5).</summary>
    public const string Sm2Oid = "1.2.156.10197.1.301";

    /// <summary>The curve OID of a suite curve.</summary>
    public static string CurveOid(CurveKind curve) => curve switch
    {
        CurveKind.Secp256k1 => Secp256k1Oid,
        CurveKind.Sm2 => Sm2Oid,
        _ => throw new ArgumentOutOfRangeException(nameof(curve), curve, "unknown curve"),
    };

    /// <summary>A certificate subject key for a suite public key (x || y).</summary>
    public static X509PublicKey ToX509PublicKey(Trellis.Crypto.PublicKey publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        var parameters = new AsnWriter(AsnEncodingRules.DER);
        parameters.WriteObjectIdentifier(CurveOid(publicKey.Curve));
        byte[] point = [0x04, .. publicKey.Bytes];
        return new X509PublicKey(new Oid(EcPublicKeyOid), new AsnEncodedData(parameters.Encode()), new AsnEncodedData(point));
    }

    /// <summary>
    /// The named curve of a certificate's EC subject key: its OID, or null with a reason when the key is not an
    /// elliptic-curve key with a named curve.
    /// </summary>
    public static bool TryReadCurveOid(X509Certificate2 certificate, [NotNullWhen(true)] out string? curveOid, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        curveOid = null;
        X509PublicKey key = certificate.PublicKey;
        if (key.Oid.Value != EcPublicKeyOid)
        {
            error = $"subject key algorithm is {key.Oid.Value}{Describe(key.Oid.Value)}, not an elliptic-curve key ({EcPublicKeyOid})";
            return false;
        }

        try
        {
            var reader = new AsnReader(key.EncodedParameters?.RawData ?? [], AsnEncodingRules.DER);
            if (!reader.HasData)
            {
                error = "subject key has no curve parameters";
                return false;
            }

            if (reader.PeekTag() != Asn1Tag.ObjectIdentifier)
            {
                error = "subject key has explicit curve parameters; only named curves are accepted";
                return false;
            }

            curveOid = reader.ReadObjectIdentifier();
            reader.ThrowIfNotEmpty();
            error = null;
            return true;
        }
        catch (AsnContentException e)
        {
            error = $"subject key curve parameters are malformed: {e.Message}";
            return false;
        }
    }

    /// <summary>
    /// Reads a certificate's subject key as a suite key (secp256k1 or SM2, x || y), checking the point is on the curve.
    /// </summary>
    public static bool TryReadSuiteKey(X509Certificate2 certificate, [NotNullWhen(true)] out Trellis.Crypto.PublicKey? publicKey, [NotNullWhen(false)] out string? error)
    {
        publicKey = null;
        if (!TryReadCurveOid(certificate, out string? curveOid, out error))
        {
            return false;
        }

        CurveKind curve;
        switch (curveOid)
        {
            case Secp256k1Oid:
                curve = CurveKind.Secp256k1;
                break;
            case Sm2Oid:
                curve = CurveKind.Sm2;
                break;
            default:
                error = $"subject key is on curve {curveOid}{Describe(curveOid)}; a ledger key is on secp256k1 ({Secp256k1Oid}) or SM2 ({Sm2Oid})";
                return false;
        }

        byte[] point = certificate.PublicKey.EncodedKeyValue.RawData;
        if (point.Length != 65 || point[0] != 0x04)
        {
            error = $"{curve} subject key is {point.Length} bytes starting 0x{(point.Length > 0 ? point[0] : 0):x2}; expected an uncompressed point (65 bytes starting 0x04)";
            return false;
        }

        try
        {
            publicKey = CryptoSuites.ForCurve(curve).ImportPublicKey(point.AsSpan(1));
        }
        catch (ArgumentException)
        {
            error = $"{curve} subject key is not a point on the curve";
            return false;
        }

        error = null;
        return true;
    }

    internal static string Describe(string? oid) => oid switch
    {
        "1.2.840.113549.1.1.1" => " (RSA)",
        P256Oid => " (P-256)",
        "1.3.132.0.34" => " (P-384)",
        "1.3.132.0.35" => " (P-521)",
        Secp256k1Oid => " (secp256k1)",
        Sm2Oid => " (SM2)",
        "1.3.101.112" => " (Ed25519)",
        _ => "",
    };
}
