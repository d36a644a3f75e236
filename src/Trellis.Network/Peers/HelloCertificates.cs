using System.Diagnostics.CodeAnalysis;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Google.Protobuf.Collections;
using Trellis.Network.Certificates;

namespace Trellis.Network.Peers;

/// <summary>
/// The CA certificates a node sends in its first hello (<c>Hello.ca_certificates</c>): the chain above its TLS leaf,
/// which TLS on Linux does not deliver whole (the self-signed root is left out). Reading them enforces the bounds
/// before anything is parsed further; whether one becomes a trust anchor is the admission policy's decision.
/// </summary>
internal static class HelloCertificates
{
    /// <summary>At most this many certificates (a national chain needs two: TLS CA and SM2 root).</summary>
    public const int MaxCount = 4;

    /// <summary>At most this many DER bytes each (Trellis CA certificates are well under 1 KiB).</summary>
    public const int MaxSize = 8 * 1024;

    /// <summary>The largest hello frame: the certificates at their bounds plus room for the other fields.</summary>
    public const int MaxHelloFrameSize = (MaxCount * (MaxSize + 8)) + 4096;

    /// <summary>The chain above <paramref name="local"/>'s leaf, issuer first: its issuing CA, then the member root if different.</summary>
    public static void AddTo(RepeatedField<ByteString> field, NodeCertificate local)
    {
        field.Add(ByteString.CopyFrom(local.Authority.RawData));
        if (!ReferenceEquals(local.Authority, local.Root) && !local.Authority.RawDataMemory.Span.SequenceEqual(local.Root.RawDataMemory.Span))
        {
            field.Add(ByteString.CopyFrom(local.Root.RawData));
        }
    }

    /// <summary>
    /// Decodes the certificates of a hello: no more than <see cref="MaxCount"/>, each at most <see cref="MaxSize"/>
    /// bytes of exactly one DER X.509 certificate with basicConstraints cA=true. On failure nothing is returned (what
    /// was decoded is disposed) and <paramref name="error"/> names the certificate and the rule.
    /// </summary>
    public static bool TryRead(
        RepeatedField<ByteString> field,
        [NotNullWhen(true)] out List<X509Certificate2>? certificates,
        [NotNullWhen(false)] out string? error)
    {
        certificates = null;
        if (field.Count > MaxCount)
        {
            error = $"its hello carries {field.Count} CA certificates; at most {MaxCount} are allowed";
            return false;
        }

        var read = new List<X509Certificate2>(field.Count);
        for (int i = 0; i < field.Count; i++)
        {
            if (!TryReadOne(field[i].Span, i + 1, out X509Certificate2? certificate, out error))
            {
                Dispose(read);
                return false;
            }

            read.Add(certificate);
        }

        certificates = read;
        error = null;
        return true;
    }

    /// <summary>Disposes each certificate.</summary>
    public static void Dispose(IEnumerable<X509Certificate2> certificates)
    {
        foreach (X509Certificate2 certificate in certificates)
        {
            certificate.Dispose();
        }
    }

    private static bool TryReadOne(ReadOnlySpan<byte> der, int position, [NotNullWhen(true)] out X509Certificate2? certificate, [NotNullWhen(false)] out string? error)
    {
        certificate = null;
        if (der.Length > MaxSize)
        {
            error = $"CA certificate {position} in its hello is {der.Length} bytes; at most {MaxSize} are allowed";
            return false;
        }

        try
        {
            // Exactly one DER value and nothing after it: the loader alone would also take PEM or BER.
            Asn1Tag tag = Asn1Tag.Decode(der, out _);
            if (!tag.HasSameClassAndValue(Asn1Tag.Sequence) || !tag.IsConstructed)
            {
                error = $"CA certificate {position} in its hello is not a valid DER X.509 certificate: it starts with {tag.TagClass} tag {tag.TagValue}, not a SEQUENCE";
                return false;
            }

            AsnDecoder.ReadEncodedValue(der, AsnEncodingRules.DER, out _, out _, out int consumed);
            if (consumed != der.Length)
            {
                error = $"CA certificate {position} in its hello has {der.Length - consumed} bytes after its DER value";
                return false;
            }

            certificate = X509CertificateLoader.LoadCertificate(der);
            if (!certificate.RawDataMemory.Span.SequenceEqual(der))
            {
                certificate.Dispose();
                certificate = null;
                error = $"CA certificate {position} in its hello is not a DER X.509 certificate";
                return false;
            }

            if (CertificateValidator.Classify(certificate) != CertificateKind.Authority)
            {
                error = $"certificate {position} in its hello (\"{certificate.Subject}\") is not a CA (basicConstraints cA is not true)";
                certificate.Dispose();
                certificate = null;
                return false;
            }
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException)
        {
            certificate?.Dispose();
            certificate = null;
            error = $"CA certificate {position} in its hello is not a valid DER X.509 certificate: {e.Message}";
            return false;
        }

        error = null;
        return true;
    }
}
