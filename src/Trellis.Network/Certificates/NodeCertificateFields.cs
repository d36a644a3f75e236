using System.Diagnostics.CodeAnalysis;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Trellis.Core;

namespace Trellis.Network.Certificates;

/// <summary>
/// Reads and writes the Trellis fields of a node certificate: subject CN = node name, O = organisation, and the
/// ledger signing address as a subjectAltName URI <c>urn:trellis:address:0x&lt;40 lowercase hex digits&gt;</c>.
/// </summary>
public static class NodeCertificateFields
{
    /// <summary>The URI prefix of the subjectAltName entry that carries the node's ledger signing address.</summary>
    public const string AddressUriPrefix = "urn:trellis:address:";

    private const string SubjectAltNameOid = "2.5.29.17";
    private const string CommonNameOid = "2.5.4.3";
    private const string OrganisationOid = "2.5.4.10";
    private static readonly Asn1Tag UriTag = new(TagClass.ContextSpecific, 6);

    /// <summary>The subjectAltName URI for <paramref name="address"/>.</summary>
    public static string AddressUri(Address address) => AddressUriPrefix + address.ToLowerHex();

    /// <summary>The subject's common name (CN), or null when there is none.</summary>
    public static string? ReadCommonName(X509Certificate2 certificate) => ReadSubjectAttribute(certificate, CommonNameOid);

    /// <summary>The subject's organisation (O), or null when there is none.</summary>
    public static string? ReadOrganisation(X509Certificate2 certificate) => ReadSubjectAttribute(certificate, OrganisationOid);

    /// <summary>
    /// Reads the signing address from the subjectAltName URI. Fails with a reason when there is no such URI, there
    /// are two, or the address is not 40 hex digits.
    /// </summary>
    public static bool TryReadSigningAddress(X509Certificate2 certificate, out Address address, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        address = Address.Zero;
        X509Extension? extension = certificate.Extensions[SubjectAltNameOid];
        if (extension is null)
        {
            error = $"certificate \"{certificate.Subject}\" has no subjectAltName, so no {AddressUriPrefix} entry";
            return false;
        }

        string? found = null;
        try
        {
            var reader = new AsnReader(extension.RawData, AsnEncodingRules.DER);
            AsnReader names = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            while (names.HasData)
            {
                Asn1Tag tag = names.PeekTag();
                if (tag.HasSameClassAndValue(UriTag))
                {
                    string uri = names.ReadCharacterString(UniversalTagNumber.IA5String, UriTag);
                    if (uri.StartsWith(AddressUriPrefix, StringComparison.Ordinal))
                    {
                        if (found is not null)
                        {
                            error = $"certificate \"{certificate.Subject}\" has two {AddressUriPrefix} entries; exactly one is allowed";
                            return false;
                        }

                        found = uri[AddressUriPrefix.Length..];
                    }
                }
                else
                {
                    names.ReadEncodedValue();
                }
            }
        }
        catch (AsnContentException e)
        {
            error = $"certificate \"{certificate.Subject}\" has a malformed subjectAltName: {e.Message}";
            return false;
        }
        catch (CryptographicException e)
        {
            error = $"certificate \"{certificate.Subject}\" has a malformed subjectAltName: {e.Message}";
            return false;
        }

        if (found is null)
        {
            error = $"certificate \"{certificate.Subject}\" has no {AddressUriPrefix} subjectAltName entry";
            return false;
        }

        if (!Address.TryParse(found, out address))
        {
            error = $"certificate \"{certificate.Subject}\" has signing address \"{found}\" that is not 0x and 40 hex digits";
            return false;
        }

        error = null;
        return true;
    }

    private static string? ReadSubjectAttribute(X509Certificate2 certificate, string oid)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        foreach (X500RelativeDistinguishedName rdn in certificate.SubjectName.EnumerateRelativeDistinguishedNames())
        {
            if (!rdn.HasMultipleElements && rdn.GetSingleElementType().Value == oid)
            {
                return rdn.GetSingleElementValue();
            }
        }

        return null;
    }
}
