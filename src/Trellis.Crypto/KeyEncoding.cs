using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using Trellis.Crypto.National;

namespace Trellis.Crypto;

/// <summary>
/// PEM encodings of elliptic-curve keys as OpenSSL reads and writes them: private keys as PKCS#8 "PRIVATE KEY"
/// (RFC 5208) wrapping an RFC 5915 ECPrivateKey, public keys as SubjectPublicKeyInfo "PUBLIC KEY" (RFC 5480) with
/// an uncompressed point. Keys are raw big-endian bytes: a 32-byte scalar and a 64-byte x || y.
/// </summary>
public static class KeyEncoding
{
    private const string IdEcPublicKey = "1.2.840.10045.2.1";
    private const string Secp256k1Oid = "1.3.132.0.10";
    private const string Sm2Oid = "1.2.156.10197.1.301";
    private const string Pkcs8Label = "PRIVATE KEY";
    private const string EcPrivateKeyLabel = "EC PRIVATE KEY";
    private const string PublicKeyLabel = "PUBLIC KEY";

    private static readonly Asn1Tag ParametersTag = new(TagClass.ContextSpecific, 0, isConstructed: true);
    private static readonly Asn1Tag PublicKeyTag = new(TagClass.ContextSpecific, 1, isConstructed: true);

    // secp256k1 domain values for range and curve checks (SEC 2 section 2.4.1); BigInteger is fine off the hot path.
    private static readonly BigInteger Secp256k1P = BigInteger.Parse("0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F", System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
    private static readonly BigInteger Secp256k1N = BigInteger.Parse("0FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Encodes a private key as PKCS#8 PEM. For SM2 the public key is derived and included; for secp256k1 it is
    /// included only when <paramref name="publicKey64"/> is given (this class does not do secp256k1 arithmetic).
    /// </summary>
    /// <exception cref="ArgumentException">The private key is out of range, or the public key is not 64 bytes
    /// (or, for SM2, does not belong to the private key).</exception>
    public static string ExportPrivateKeyPem(CurveKind curve, ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> publicKey64 = default)
    {
        if (!IsValidPrivateKey(curve, privateKey))
        {
            throw new ArgumentException($"{curve} private key must be 32 bytes in the curve's key range; got {privateKey.Length} bytes", nameof(privateKey));
        }

        if (!publicKey64.IsEmpty && publicKey64.Length != 64)
        {
            throw new ArgumentException($"{curve} public key has {publicKey64.Length} bytes; it must be 64 (x || y) or empty", nameof(publicKey64));
        }

        byte[]? publicKey = publicKey64.IsEmpty ? null : publicKey64.ToArray();
        if (curve == CurveKind.Sm2)
        {
            var derived = Sm2.DerivePublicKey(privateKey);
            if (publicKey is not null && !publicKey.AsSpan().SequenceEqual(derived))
            {
                throw new ArgumentException("SM2 public key does not belong to the private key", nameof(publicKey64));
            }

            publicKey = derived;
        }

        var inner = new AsnWriter(AsnEncodingRules.DER);
        using (inner.PushSequence())
        {
            inner.WriteInteger(1);
            inner.WriteOctetString(privateKey);
            if (publicKey is not null)
            {
                using (inner.PushSequence(PublicKeyTag))
                {
                    inner.WriteBitString([0x04, .. publicKey]);
                }
            }
        }

        var outer = new AsnWriter(AsnEncodingRules.DER);
        using (outer.PushSequence())
        {
            outer.WriteInteger(0);
            WriteAlgorithm(outer, curve);
            outer.WriteOctetString(inner.Encode());
        }

        var der = outer.Encode();
        var pem = new string(PemEncoding.Write(Pkcs8Label, der));
        CryptographicOperations.ZeroMemory(der);
        return pem + "\n";
    }

    /// <summary>Encodes a public key x || y as SubjectPublicKeyInfo PEM with an uncompressed point.</summary>
    /// <exception cref="ArgumentException">The public key is not 64 bytes.</exception>
    public static string ExportPublicKeyPem(CurveKind curve, ReadOnlySpan<byte> publicKey64)
    {
        if (publicKey64.Length != 64)
        {
            throw new ArgumentException($"{curve} public key has {publicKey64.Length} bytes; it must be 64 (x || y)", nameof(publicKey64));
        }

        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            WriteAlgorithm(writer, curve);
            writer.WriteBitString([0x04, .. publicKey64]);
        }

        return new string(PemEncoding.Write(PublicKeyLabel, writer.Encode())) + "\n";
    }

    /// <summary>
    /// Reads a private key from PKCS#8 "PRIVATE KEY" PEM, or from RFC 5915 "EC PRIVATE KEY" PEM as
    /// <c>openssl ecparam -genkey</c> writes it.
    /// </summary>
    /// <exception cref="FormatException">The text is not PEM, has another label, is not an EC key on a supported
    /// named curve, or holds a malformed or out-of-range key.</exception>
    public static (CurveKind Curve, byte[] PrivateKey) ImportPrivateKeyPem(string pem)
    {
        var (label, der) = DecodePem(pem);
        try
        {
            return label switch
            {
                Pkcs8Label => ReadPkcs8(der),
                EcPrivateKeyLabel => ReadEcPrivateKey(der, null),
                _ => throw new FormatException($"PEM label is \"{label}\"; expected \"{Pkcs8Label}\" or \"{EcPrivateKeyLabel}\""),
            };
        }
        catch (AsnContentException error)
        {
            throw new FormatException($"{label} PEM holds malformed DER: {error.Message}", error);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(der);
        }
    }

    /// <summary>Reads a public key x || y from SubjectPublicKeyInfo "PUBLIC KEY" PEM.</summary>
    /// <exception cref="FormatException">The text is not PEM, has another label, is not an EC key on a supported
    /// named curve, or the point is compressed, malformed or not on the curve.</exception>
    public static (CurveKind Curve, byte[] PublicKey) ImportPublicKeyPem(string pem)
    {
        var (label, der) = DecodePem(pem);
        if (label != PublicKeyLabel)
        {
            throw new FormatException($"PEM label is \"{label}\"; expected \"{PublicKeyLabel}\"");
        }

        try
        {
            var reader = new AsnReader(der, AsnEncodingRules.DER);
            var spki = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            var curve = ReadAlgorithm(spki);
            var point = spki.ReadBitString(out var unusedBits);
            spki.ThrowIfNotEmpty();
            if (unusedBits != 0)
            {
                throw new FormatException($"public key BIT STRING has {unusedBits} unused bits; expected 0");
            }

            return (curve, ReadUncompressedPoint(curve, point));
        }
        catch (AsnContentException error)
        {
            throw new FormatException($"PUBLIC KEY PEM holds malformed DER: {error.Message}", error);
        }
    }

    private static (CurveKind, byte[]) ReadPkcs8(byte[] der)
    {
        var reader = new AsnReader(der, AsnEncodingRules.DER);
        var info = reader.ReadSequence();
        reader.ThrowIfNotEmpty();
        if (!info.TryReadInt32(out var version) || version is not (0 or 1))
        {
            throw new FormatException("PKCS#8 version must be 0 or 1");
        }

        var curve = ReadAlgorithm(info);
        var inner = info.ReadOctetString();

        // Optional [0] attributes and [1] public key of OneAsymmetricKey (RFC 5958) are ignored.
        try
        {
            return ReadEcPrivateKey(inner, curve);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(inner);
        }
    }

    private static (CurveKind, byte[]) ReadEcPrivateKey(byte[] der, CurveKind? outerCurve)
    {
        var reader = new AsnReader(der, AsnEncodingRules.DER);
        var key = reader.ReadSequence();
        reader.ThrowIfNotEmpty();
        if (!key.TryReadInt32(out var version) || version != 1)
        {
            throw new FormatException("ECPrivateKey version must be 1 (RFC 5915)");
        }

        var scalar = key.ReadOctetString();
        CurveKind? innerCurve = null;
        if (key.HasData && key.PeekTag().HasSameClassAndValue(ParametersTag))
        {
            var parameters = key.ReadSequence(ParametersTag);
            innerCurve = CurveFromOid(ReadNamedCurve(parameters));
            parameters.ThrowIfNotEmpty();
        }

        // The optional [1] public key is not needed: it is derived from the scalar when wanted.
        var curve = (outerCurve, innerCurve) switch
        {
            (null, null) => throw new FormatException("EC PRIVATE KEY has no curve parameters; a named curve is required"),
            ({ } outer, { } inner) when outer != inner => throw new FormatException($"ECPrivateKey names curve {inner} but the algorithm identifier names {outer}"),
            ({ } outer, _) => outer,
            (null, { } inner) => inner,
        };

        if (scalar.Length is 0 or > 32)
        {
            throw new FormatException($"{curve} private key has {scalar.Length} bytes; expected 32");
        }

        // Some encoders drop leading zero bytes; restore the fixed 32-byte width.
        var privateKey = new byte[32];
        scalar.CopyTo(privateKey.AsSpan(32 - scalar.Length));
        CryptographicOperations.ZeroMemory(scalar);
        if (!IsValidPrivateKey(curve, privateKey))
        {
            throw new FormatException($"{curve} private key is out of the curve's key range");
        }

        return (curve, privateKey);
    }

    private static void WriteAlgorithm(AsnWriter writer, CurveKind curve)
    {
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(IdEcPublicKey);
            writer.WriteObjectIdentifier(curve switch
            {
                CurveKind.Secp256k1 => Secp256k1Oid,
                CurveKind.Sm2 => Sm2Oid,
                _ => throw new ArgumentOutOfRangeException(nameof(curve), curve, "unknown curve"),
            });
        }
    }

    private static CurveKind ReadAlgorithm(AsnReader container)
    {
        var algorithm = container.ReadSequence();
        var oid = algorithm.ReadObjectIdentifier();

        // OpenSSL 3 writes id-ecPublicKey with the sm2 curve; some tools name the SM2 algorithm itself.
        if (oid == Sm2Oid && !algorithm.HasData)
        {
            return CurveKind.Sm2;
        }

        if (oid != IdEcPublicKey)
        {
            throw new FormatException($"key algorithm is {oid}{DescribeOid(oid)}; expected id-ecPublicKey ({IdEcPublicKey})");
        }

        var curve = CurveFromOid(ReadNamedCurve(algorithm));
        algorithm.ThrowIfNotEmpty();
        return curve;
    }

    private static string ReadNamedCurve(AsnReader reader)
    {
        if (!reader.HasData || reader.PeekTag() != Asn1Tag.ObjectIdentifier)
        {
            throw new FormatException("EC key parameters are not a named curve OID (explicit or implicit parameters are not supported)");
        }

        return reader.ReadObjectIdentifier();
    }

    private static CurveKind CurveFromOid(string oid) => oid switch
    {
        Secp256k1Oid => CurveKind.Secp256k1,
        Sm2Oid => CurveKind.Sm2,
        _ => throw new FormatException($"unknown curve OID {oid}{DescribeOid(oid)}; supported: secp256k1 ({Secp256k1Oid}), sm2p256v1 ({Sm2Oid})"),
    };

    private static string DescribeOid(string oid) => oid switch
    {
        "1.2.840.113549.1.1.1" => " (RSA)",
        "1.2.840.10045.3.1.7" => " (P-256)",
        "1.3.132.0.34" => " (P-384)",
        "1.3.101.112" => " (Ed25519)",
        _ => "",
    };

    private static byte[] ReadUncompressedPoint(CurveKind curve, byte[] point)
    {
        if (point.Length == 33 && point[0] is 0x02 or 0x03)
        {
            throw new FormatException($"{curve} public key is a compressed point; only uncompressed (0x04) points are supported");
        }

        if (point.Length != 65 || point[0] != 0x04)
        {
            throw new FormatException($"{curve} public key point has {point.Length} bytes starting 0x{(point.Length > 0 ? point[0] : 0):x2}; expected 65 bytes starting 0x04");
        }

        var publicKey = point.AsSpan(1).ToArray();
        if (!IsValidPublicKey(curve, publicKey))
        {
            throw new FormatException($"{curve} public key is not a point on the curve");
        }

        return publicKey;
    }

    private static (string Label, byte[] Der) DecodePem(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        if (!PemEncoding.TryFind(pem, out var fields))
        {
            throw new FormatException("text is not PEM: no complete \"-----BEGIN ...-----\" / \"-----END ...-----\" block with valid base64");
        }

        var label = pem[fields.Label];
        var der = new byte[fields.DecodedDataLength];
        if (!Convert.TryFromBase64Chars(pem.AsSpan()[fields.Base64Data], der, out var written) || written != der.Length)
        {
            throw new FormatException($"{label} PEM has invalid base64 content");
        }

        return (label, der);
    }

    private static bool IsValidPrivateKey(CurveKind curve, ReadOnlySpan<byte> privateKey)
    {
        if (curve == CurveKind.Sm2)
        {
            return Sm2.IsValidPrivateKey(privateKey);
        }

        if (privateKey.Length != 32)
        {
            return false;
        }

        var d = new BigInteger(privateKey, isUnsigned: true, isBigEndian: true);
        return d > 0 && d < Secp256k1N;
    }

    private static bool IsValidPublicKey(CurveKind curve, ReadOnlySpan<byte> publicKey64)
    {
        if (curve == CurveKind.Sm2)
        {
            return Sm2.IsValidPublicKey(publicKey64);
        }

        // secp256k1: y^2 = x^3 + 7 over GF(p), both coordinates below p.
        var x = new BigInteger(publicKey64[..32], isUnsigned: true, isBigEndian: true);
        var y = new BigInteger(publicKey64[32..], isUnsigned: true, isBigEndian: true);
        return x < Secp256k1P && y < Secp256k1P && (y * y - x * x * x - 7) % Secp256k1P == 0;
    }
}
