using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Trellis.Core;

namespace Trellis.Network.Certificates;

/// <summary>The SHA-256 fingerprint of a certificate's DER encoding: how admission lists name CAs and nodes.</summary>
public static class CertificateFingerprint
{
    /// <summary>SHA-256 over the DER bytes of <paramref name="certificate"/>.</summary>
    public static Hash256 Of(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        Span<byte> digest = stackalloc byte[Hash256.Length];
        SHA256.HashData(certificate.RawDataMemory.Span, digest);
        return new Hash256(digest);
    }
}
