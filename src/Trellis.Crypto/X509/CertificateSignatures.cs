using System.Diagnostics.CodeAnalysis;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Trellis.Crypto.National;

namespace Trellis.Crypto.X509;

/// <summary>
/// Checks the signature on an X.509 certificate against its issuer's key, for the two algorithms Trellis certificates
/// use: ECDSA with SHA-256 by a P-256 key, and SM3 with SM2 by an SM2 key. .NET's chain builder cannot check SM2
/// signatures, so chains are verified link by link with this.
/// </summary>
public static class CertificateSignatures
{
    /// <summary>ecdsa-with-SHA256 (RFC 5758).</summary>
    public const string EcdsaWithSha256Oid = "1.2.840.10045.4.3.2";

    /// <summary>SM2 signature with SM3 (GM/T 0006).</summary>
    public const string Sm2WithSm3Oid = "1.2.156.10197.1.501";

    /// <summary>Encodes a raw signature r || s (64 bytes) as DER SEQUENCE { INTEGER r, INTEGER s }.</summary>
    public static byte[] EncodeDer(ReadOnlySpan<byte> signature64)
    {
        if (signature64.Length != 64)
        {
            throw new ArgumentException($"a raw signature is 64 bytes (r || s), got {signature64.Length}", nameof(signature64));
        }

        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteIntegerUnsigned(Minimal(signature64[..32]));
            writer.WriteIntegerUnsigned(Minimal(signature64[32..]));
        }

        return writer.Encode();
    }

    /// <summary>Decodes DER SEQUENCE { r, s } into r || s (64 bytes); false when malformed or out of range.</summary>
    public static bool TryDecodeDer(ReadOnlySpan<byte> der, Span<byte> signature64)
    {
        if (signature64.Length != 64)
        {
            return false;
        }

        try
        {
            var reader = new AsnReader(der.ToArray(), AsnEncodingRules.DER);
            AsnReader sequence = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            if (!TryCopyInteger(sequence.ReadIntegerBytes().Span, signature64[..32])
                || !TryCopyInteger(sequence.ReadIntegerBytes().Span, signature64[32..]))
            {
                return false;
            }

            sequence.ThrowIfNotEmpty();
            return true;
        }
        catch (AsnContentException)
        {
            return false;
        }
    }

    /// <summary>
    /// Verifies that <paramref name="issuer"/>'s key signed <paramref name="certificate"/>: the outer and inner
    /// signature algorithms agree, the algorithm fits the issuer's key, and the signature checks.
    /// </summary>
    public static bool TryVerify(X509Certificate2 certificate, X509Certificate2 issuer, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(issuer);
        byte[] tbs;
        string algorithm;
        byte[] signature;
        try
        {
            var reader = new AsnReader(certificate.RawData, AsnEncodingRules.DER);
            AsnReader outer = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            tbs = outer.ReadEncodedValue().ToArray();
            algorithm = ReadAlgorithm(outer, out bool hasParameters);
            signature = outer.ReadBitString(out int unusedBits);
            outer.ThrowIfNotEmpty();
            if (unusedBits != 0)
            {
                error = $"signature BIT STRING has {unusedBits} unused bits";
                return false;
            }

            if (hasParameters)
            {
                error = $"signature algorithm {algorithm} carries parameters; ECDSA and SM2 take none";
                return false;
            }

            // RFC 5280 4.1.1.2: the algorithm named outside must be the one named inside the signed part.
            AsnReader inner = new AsnReader(tbs, AsnEncodingRules.DER).ReadSequence();
            if (inner.HasData && inner.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
            {
                inner.ReadEncodedValue();
            }

            inner.ReadIntegerBytes();
            string innerAlgorithm = ReadAlgorithm(inner, out _);
            if (innerAlgorithm != algorithm)
            {
                error = $"signature algorithm {algorithm} differs from the one inside the signed part ({innerAlgorithm})";
                return false;
            }
        }
        catch (AsnContentException e)
        {
            error = $"certificate DER is malformed: {e.Message}";
            return false;
        }

        if (!CertificateKeys.TryReadCurveOid(issuer, out string? issuerCurve, out string? keyError))
        {
            error = $"issuer key cannot verify: {keyError}";
            return false;
        }

        switch (algorithm)
        {
            case EcdsaWithSha256Oid when issuerCurve == CertificateKeys.P256Oid:
                return VerifyEcdsa(tbs, signature, issuer, out error);
            case Sm2WithSm3Oid when issuerCurve == CertificateKeys.Sm2Oid:
                return VerifySm2(tbs, signature, issuer, out error);
            case EcdsaWithSha256Oid or Sm2WithSm3Oid:
                error = $"signature algorithm {Name(algorithm)} does not fit the issuer's key on curve {issuerCurve}{CertificateKeys.Describe(issuerCurve)}";
                return false;
            default:
                error = $"signature algorithm {algorithm} is not accepted; expected ecdsa-with-SHA256 ({EcdsaWithSha256Oid}) or SM3withSM2 ({Sm2WithSm3Oid})";
                return false;
        }
    }

    private static bool VerifyEcdsa(byte[] tbs, byte[] signature, X509Certificate2 issuer, [NotNullWhen(false)] out string? error)
    {
        try
        {
            using ECDsa? key = issuer.GetECDsaPublicKey();
            if (key is null)
            {
                error = "issuer key is not an ECDSA key";
                return false;
            }

            if (key.VerifyData(tbs, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence))
            {
                error = null;
                return true;
            }
        }
        catch (CryptographicException e)
        {
            error = $"issuer key cannot be used: {e.Message}";
            return false;
        }

        error = "ECDSA-SHA256 signature does not verify under the issuer's key";
        return false;
    }

    private static bool VerifySm2(byte[] tbs, byte[] signature, X509Certificate2 issuer, [NotNullWhen(false)] out string? error)
    {
        if (!CertificateKeys.TryReadSuiteKey(issuer, out PublicKey? key, out string? keyError))
        {
            error = $"issuer key cannot verify: {keyError}";
            return false;
        }

        Span<byte> raw = stackalloc byte[64];
        if (!TryDecodeDer(signature, raw))
        {
            error = "SM2 signature is not a DER SEQUENCE of two integers below 2^256";
            return false;
        }

        if (!Sm2.Verify(key.Bytes, tbs, raw))
        {
            error = "SM2 signature does not verify under the issuer's key";
            return false;
        }

        error = null;
        return true;
    }

    private static string ReadAlgorithm(AsnReader reader, out bool hasParameters)
    {
        AsnReader sequence = reader.ReadSequence();
        string oid = sequence.ReadObjectIdentifier();
        hasParameters = sequence.HasData;
        if (hasParameters)
        {
            sequence.ReadEncodedValue();
            sequence.ThrowIfNotEmpty();
        }

        return oid;
    }

    private static bool TryCopyInteger(ReadOnlySpan<byte> integer, Span<byte> destination)
    {
        if (integer.Length > 0 && (integer[0] & 0x80) != 0)
        {
            return false; // negative
        }

        while (integer.Length > 1 && integer[0] == 0)
        {
            integer = integer[1..];
        }

        if (integer.Length > destination.Length)
        {
            return false;
        }

        destination.Clear();
        integer.CopyTo(destination[(destination.Length - integer.Length)..]);
        return true;
    }

    // DER integers carry no redundant leading zero bytes (about one signature in 128 has r or s below 2^248).
    private static ReadOnlySpan<byte> Minimal(ReadOnlySpan<byte> value)
    {
        while (value.Length > 1 && value[0] == 0)
        {
            value = value[1..];
        }

        return value;
    }

    private static string Name(string oid) => oid == Sm2WithSm3Oid ? "SM3withSM2" : "ecdsa-with-SHA256";
}
