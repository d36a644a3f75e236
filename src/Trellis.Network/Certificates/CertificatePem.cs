using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Trellis.Network.Certificates;

/// <summary>Reads one or more certificates from PEM text, refusing anything malformed with a reason.</summary>
public static class CertificatePem
{
    /// <summary>The most certificates read from one PEM text (a leaf and its chain need two or three).</summary>
    public const int MaxCertificates = 8;

    /// <summary>The largest PEM text read (a certificate is about 1 KB).</summary>
    public const int MaxLength = 256 * 1024;

    private const string Label = "CERTIFICATE";

    /// <summary>
    /// Reads every CERTIFICATE block of <paramref name="pem"/> in order. Other blocks (keys) are skipped.
    /// </summary>
    /// <exception cref="FormatException">No certificate block, too many, invalid base64, or a block that is not an
    /// X.509 certificate.</exception>
    public static List<X509Certificate2> ReadAll(string pem, string what = "PEM")
    {
        ArgumentNullException.ThrowIfNull(pem);
        if (pem.Length > MaxLength)
        {
            throw new FormatException($"{what} is {pem.Length} characters; certificate PEM is at most {MaxLength}");
        }

        var certificates = new List<X509Certificate2>();
        ReadOnlySpan<char> rest = pem;
        try
        {
            while (PemEncoding.TryFind(rest, out PemFields fields))
            {
                ReadOnlySpan<char> label = rest[fields.Label];
                if (label.SequenceEqual(Label))
                {
                    if (certificates.Count == MaxCertificates)
                    {
                        throw new FormatException($"{what} holds more than {MaxCertificates} certificates");
                    }

                    var der = new byte[fields.DecodedDataLength];
                    if (!Convert.TryFromBase64Chars(rest[fields.Base64Data], der, out int written) || written != der.Length)
                    {
                        throw new FormatException($"{what} certificate {certificates.Count + 1} has invalid base64");
                    }

                    certificates.Add(Load(der, $"{what} certificate {certificates.Count + 1}"));
                }

                rest = rest[fields.Location.End..];
            }
        }
        catch
        {
            foreach (X509Certificate2 certificate in certificates)
            {
                certificate.Dispose();
            }

            throw;
        }

        if (certificates.Count == 0)
        {
            throw new FormatException($"{what} holds no \"-----BEGIN CERTIFICATE-----\" block with valid base64");
        }

        return certificates;
    }

    /// <summary>Reads exactly one certificate.</summary>
    /// <exception cref="FormatException">Not exactly one valid certificate.</exception>
    public static X509Certificate2 ReadOne(string pem, string what = "PEM")
    {
        List<X509Certificate2> all = ReadAll(pem, what);
        if (all.Count != 1)
        {
            foreach (X509Certificate2 certificate in all)
            {
                certificate.Dispose();
            }

            throw new FormatException($"{what} holds {all.Count} certificates; exactly one is expected");
        }

        return all[0];
    }

    /// <summary>Loads DER bytes as a certificate.</summary>
    /// <exception cref="FormatException">The bytes are not a DER X.509 certificate.</exception>
    public static X509Certificate2 Load(byte[] der, string what = "certificate")
    {
        ArgumentNullException.ThrowIfNull(der);
        try
        {
            return X509CertificateLoader.LoadCertificate(der);
        }
        catch (CryptographicException e)
        {
            throw new FormatException($"{what} is not a valid DER X.509 certificate: {e.Message}", e);
        }
    }
}
