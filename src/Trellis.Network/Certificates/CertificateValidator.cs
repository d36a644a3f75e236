using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Trellis.Core;
using Trellis.Crypto;
using Trellis.Crypto.X509;
using PublicKey = Trellis.Crypto.PublicKey;

namespace Trellis.Network.Certificates;

/// <summary>
/// Validates Trellis certificates against the member CAs only (never the system store), with a reason for every
/// refusal. Chains are checked link by link in our own code, so SM2-signed links (national suite) are checked the same
/// way as ECDSA ones. Accepted shapes:
/// <list type="bullet">
/// <item>node certificate (P-256 TLS key) ← member CA (standard suite: the P-256 root itself);</item>
/// <item>node certificate ← the organisation's TLS CA (P-256) ← member CA (national suite: an SM2 root certifies the TLS CA);</item>
/// <item>admin certificate (suite key: secp256k1 or SM2) ← member CA.</item>
/// </list>
/// Pure functions of their inputs and the time given, so safe from any thread.
/// </summary>
public static class CertificateValidator
{
    private const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuthentication = "1.3.6.1.5.5.7.3.2";

    /// <summary>
    /// Validates a node (TLS) certificate. <paramref name="intermediates"/> are the other certificates the peer sent
    /// (its TLS CA in the national suite); only a CA issued directly by a member CA is used from them.
    /// </summary>
    public static CertificateValidation ValidateNode(
        X509Certificate2 certificate,
        IEnumerable<X509Certificate2> intermediates,
        IReadOnlyCollection<X509Certificate2> memberAuthorities,
        IRevocationSet? revocations,
        DateTime atUtc) =>
        Guarded(certificate, () => ValidateNodeCore(certificate, intermediates, memberAuthorities, revocations, atUtc));

    private static CertificateValidation ValidateNodeCore(
        X509Certificate2 certificate,
        IEnumerable<X509Certificate2> intermediates,
        IReadOnlyCollection<X509Certificate2> memberAuthorities,
        IRevocationSet? revocations,
        DateTime atUtc)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(intermediates);
        ArgumentNullException.ThrowIfNull(memberAuthorities);
        string subject = Describe(certificate);
        if (CheckLeafUsage(certificate, subject, isAdmin: false) is { } usage)
        {
            return usage;
        }

        if (!CertificateKeys.TryReadCurveOid(certificate, out string? curve, out string? keyError))
        {
            return CertificateValidation.Invalid(CertificateError.WrongKeyType, $"{subject}: {keyError}");
        }

        if (curve != CertificateKeys.P256Oid)
        {
            return CertificateValidation.Invalid(CertificateError.WrongKeyType,
                $"{subject} has a key on curve {curve}{Describe(curve)}; a node TLS key must be P-256 ({CertificateKeys.P256Oid})");
        }

        if (!NodeCertificateFields.TryReadSigningAddress(certificate, out _, out string? addressError))
        {
            return CertificateValidation.Invalid(CertificateError.MissingAddress, addressError);
        }

        return ValidatePath(certificate, subject, [.. intermediates], memberAuthorities, revocations ?? IRevocationSet.None, atUtc);
    }

    /// <summary>
    /// Validates an admin certificate: issued directly by a member CA, subject OU=admin, a suite key (secp256k1 under a
    /// P-256 member CA, SM2 under an SM2 member CA) whose address is the one in its subjectAltName.
    /// </summary>
    public static CertificateValidation ValidateAdmin(
        X509Certificate2 certificate,
        IReadOnlyCollection<X509Certificate2> memberAuthorities,
        IRevocationSet? revocations,
        DateTime atUtc) =>
        Guarded(certificate, () => ValidateAdminCore(certificate, memberAuthorities, revocations, atUtc));

    private static CertificateValidation ValidateAdminCore(
        X509Certificate2 certificate,
        IReadOnlyCollection<X509Certificate2> memberAuthorities,
        IRevocationSet? revocations,
        DateTime atUtc)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(memberAuthorities);
        string subject = Describe(certificate);
        if (!IsAdmin(certificate))
        {
            return CertificateValidation.Invalid(CertificateError.WrongSubject, $"{subject} is not an admin certificate: its subject has no OU=admin");
        }

        if (CheckLeafUsage(certificate, subject, isAdmin: true) is { } usage)
        {
            return usage;
        }

        if (!CertificateKeys.TryReadSuiteKey(certificate, out PublicKey? key, out string? keyError))
        {
            return CertificateValidation.Invalid(CertificateError.WrongKeyType, $"{subject}: {keyError}");
        }

        if (!NodeCertificateFields.TryReadSigningAddress(certificate, out Address address, out string? addressError))
        {
            return CertificateValidation.Invalid(CertificateError.MissingAddress, addressError);
        }

        ICryptoSuite suite = CryptoSuites.ForCurve(key.Curve);
        Address keyAddress = suite.ToAddress(key);
        if (keyAddress != address)
        {
            return CertificateValidation.Invalid(CertificateError.WrongSubject,
                $"{subject} names address {address.ToLowerHex()} but its {key.Curve} key has address {keyAddress.ToLowerHex()} ({suite.Name} suite)");
        }

        CertificateValidation path = ValidatePath(certificate, subject, [], memberAuthorities, revocations ?? IRevocationSet.None, atUtc);
        if (!path.IsValid)
        {
            return path;
        }

        // The admin's ledger key must be of the suite its CA belongs to: SM2 under an SM2 CA, secp256k1 under a P-256 one.
        CurveKind expected = IsSm2(path.MemberAuthority) ? CurveKind.Sm2 : CurveKind.Secp256k1;
        if (key.Curve != expected)
        {
            return CertificateValidation.Invalid(CertificateError.WrongKeyType,
                $"{subject} has a {key.Curve} key, but its CA \"{path.MemberAuthority.Subject}\" belongs to a {CryptoSuites.ForCurve(expected).Name}-suite network ({expected} keys)");
        }

        return path;
    }

    /// <summary>
    /// Validates a member CA root on its own: self-signed (the signature checks), a CA allowed to sign certificates,
    /// with an organisation, a P-256 or SM2 key, and valid at <paramref name="atUtc"/>.
    /// </summary>
    public static CertificateValidation ValidateAuthority(X509Certificate2 certificate, DateTime atUtc) =>
        Guarded(certificate, () => ValidateAuthorityCore(certificate, atUtc));

    private static CertificateValidation ValidateAuthorityCore(X509Certificate2 certificate, DateTime atUtc)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        string subject = Describe(certificate);
        if (!certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData))
        {
            return CertificateValidation.Invalid(CertificateError.UnknownIssuer, $"{subject} is not self-signed: it names issuer \"{certificate.Issuer}\"; a member CA is a root");
        }

        if (CheckAuthority(certificate, subject, atUtc) is { } refused)
        {
            return refused;
        }

        if (!CertificateSignatures.TryVerify(certificate, certificate, out string? signatureError))
        {
            return CertificateValidation.Invalid(CertificateError.BadSignature, $"{subject} self-signature is not valid: {signatureError}");
        }

        return CertificateValidation.Valid(certificate, certificate);
    }

    /// <summary>
    /// Validates a certificate of any Trellis kind: a self-signed CA as a member root, an admin certificate (OU=admin)
    /// as an admin, anything else as a node certificate.
    /// </summary>
    public static CertificateValidation Validate(
        X509Certificate2 certificate,
        IEnumerable<X509Certificate2> intermediates,
        IReadOnlyCollection<X509Certificate2> memberAuthorities,
        IRevocationSet? revocations,
        DateTime atUtc)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return Classify(certificate) switch
        {
            CertificateKind.Authority when certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData)
                => ValidateRootMembership(certificate, memberAuthorities, revocations ?? IRevocationSet.None, atUtc),
            CertificateKind.Authority => ValidateNode(certificate, intermediates, memberAuthorities, revocations, atUtc),
            CertificateKind.Admin => ValidateAdmin(certificate, memberAuthorities, revocations, atUtc),
            _ => ValidateNode(certificate, intermediates, memberAuthorities, revocations, atUtc),
        };
    }

    /// <summary>What a certificate claims to be: a CA (basicConstraints cA), an admin (OU=admin) or a node.</summary>
    public static CertificateKind Classify(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (certificate.Extensions["2.5.29.19"] is X509BasicConstraintsExtension { CertificateAuthority: true })
        {
            return CertificateKind.Authority;
        }

        return IsAdmin(certificate) ? CertificateKind.Admin : CertificateKind.Node;
    }

    /// <summary>A malformed extension or key surfaces when first decoded, deep in the checks: it is a refusal too.</summary>
    private static CertificateValidation Guarded(X509Certificate2 certificate, Func<CertificateValidation> validate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        try
        {
            return validate();
        }
        catch (CryptographicException e)
        {
            return CertificateValidation.Invalid(CertificateError.Malformed, $"{Describe(certificate)} (or a CA certificate on its path) has malformed content: {e.Message}");
        }
        catch (System.Formats.Asn1.AsnContentException e)
        {
            return CertificateValidation.Invalid(CertificateError.Malformed, $"{Describe(certificate)} (or a CA certificate on its path) has malformed content: {e.Message}");
        }
    }

    private static CertificateValidation ValidateRootMembership(X509Certificate2 certificate, IReadOnlyCollection<X509Certificate2> memberAuthorities, IRevocationSet revocations, DateTime atUtc)
    {
        CertificateValidation self = ValidateAuthority(certificate, atUtc);
        if (!self.IsValid)
        {
            return self;
        }

        foreach (X509Certificate2 member in memberAuthorities)
        {
            if (member.RawDataMemory.Span.SequenceEqual(certificate.RawDataMemory.Span))
            {
                Hash256 fingerprint = CertificateFingerprint.Of(certificate);
                return CheckRevoked(certificate, fingerprint, Describe(certificate), revocations) ?? self;
            }
        }

        return CertificateValidation.Invalid(CertificateError.UnknownIssuer, $"{Describe(certificate)} is a CA that is not a member CA");
    }

    /// <summary>Finds and checks the issuer path: leaf ← member, or leaf ← TLS CA ← member.</summary>
    private static CertificateValidation ValidatePath(
        X509Certificate2 leaf,
        string subject,
        X509Certificate2[] intermediates,
        IReadOnlyCollection<X509Certificate2> members,
        IRevocationSet revocations,
        DateTime atUtc)
    {
        if (members.Count == 0)
        {
            return CertificateValidation.Invalid(CertificateError.UnknownIssuer, $"{subject}: there are no member CAs to trust");
        }

        string? signatureError = null;
        X509Certificate2? issuer = null;
        X509Certificate2? member = null;
        foreach (X509Certificate2 candidate in members)
        {
            if (IssuedBy(leaf, candidate))
            {
                if (CertificateSignatures.TryVerify(leaf, candidate, out string? error))
                {
                    issuer = candidate;
                    member = candidate;
                    break;
                }

                signatureError ??= $"{subject} names member CA \"{candidate.Subject}\" as issuer, but {error}";
            }
        }

        if (issuer is null && intermediates.Length > 0)
        {
            foreach (X509Certificate2 candidate in intermediates)
            {
                if (!IssuedBy(leaf, candidate) || candidate.RawDataMemory.Span.SequenceEqual(leaf.RawDataMemory.Span))
                {
                    continue;
                }

                if (!CertificateSignatures.TryVerify(leaf, candidate, out string? error))
                {
                    signatureError ??= $"{subject} names \"{candidate.Subject}\" as issuer, but {error}";
                    continue;
                }

                CertificateValidation tls = ValidateIntermediate(candidate, members, revocations, atUtc);
                if (!tls.IsValid)
                {
                    return tls;
                }

                issuer = candidate;
                member = tls.MemberAuthority;
                break;
            }
        }

        if (issuer is null || member is null)
        {
            return signatureError is not null
                ? CertificateValidation.Invalid(CertificateError.BadSignature, signatureError)
                : CertificateValidation.Invalid(CertificateError.UnknownIssuer, $"{subject} was issued by \"{leaf.Issuer}\", which is not a member CA (nor a TLS CA certified by one)");
        }

        if (CheckValidity(leaf, subject, atUtc) is { } validity)
        {
            return validity;
        }

        if (CheckAuthority(member, Describe(member), atUtc) is { } memberProblem)
        {
            return memberProblem;
        }

        if (CheckOrganisation(leaf, subject, member) is { } organisation)
        {
            return organisation;
        }

        Hash256 issuerFingerprint = CertificateFingerprint.Of(issuer);
        return CheckRevoked(leaf, issuerFingerprint, subject, revocations)
            ?? CheckRevoked(member, CertificateFingerprint.Of(member), Describe(member), revocations)
            ?? CertificateValidation.Valid(member, issuer);
    }

    /// <summary>A TLS CA offered by a peer: a CA issued directly by a member CA, of the same organisation, not revoked.</summary>
    private static CertificateValidation ValidateIntermediate(X509Certificate2 tls, IReadOnlyCollection<X509Certificate2> members, IRevocationSet revocations, DateTime atUtc)
    {
        string subject = Describe(tls);
        if (CheckAuthority(tls, subject, atUtc) is { } refused)
        {
            return refused;
        }

        string? signatureError = null;
        foreach (X509Certificate2 member in members)
        {
            if (!IssuedBy(tls, member))
            {
                continue;
            }

            if (!CertificateSignatures.TryVerify(tls, member, out string? error))
            {
                signatureError ??= $"TLS CA {subject} names member CA \"{member.Subject}\" as issuer, but {error}";
                continue;
            }

            if (CheckAuthority(member, Describe(member), atUtc) is { } memberProblem)
            {
                return memberProblem;
            }

            if (CheckOrganisation(tls, subject, member) is { } organisation)
            {
                return organisation;
            }

            return CheckRevoked(tls, CertificateFingerprint.Of(member), $"TLS CA {subject}", revocations)
                ?? CertificateValidation.Valid(member, member);
        }

        return signatureError is not null
            ? CertificateValidation.Invalid(CertificateError.BadSignature, signatureError)
            : CertificateValidation.Invalid(CertificateError.UnknownIssuer, $"TLS CA {subject} was issued by \"{tls.Issuer}\", which is not a member CA");
    }

    private static CertificateValidation? CheckLeafUsage(X509Certificate2 certificate, string subject, bool isAdmin)
    {
        if (certificate.Extensions["2.5.29.19"] is X509BasicConstraintsExtension { CertificateAuthority: true })
        {
            return CertificateValidation.Invalid(CertificateError.WrongKeyUsage, $"{subject} is a CA certificate (basicConstraints cA=true); a {(isAdmin ? "admin" : "node")} certificate must not be");
        }

        if (certificate.Extensions["2.5.29.15"] is not X509KeyUsageExtension keyUsage)
        {
            return CertificateValidation.Invalid(CertificateError.WrongKeyUsage, $"{subject} has no keyUsage extension; digitalSignature is required");
        }

        if ((keyUsage.KeyUsages & X509KeyUsageFlags.DigitalSignature) == 0)
        {
            return CertificateValidation.Invalid(CertificateError.WrongKeyUsage, $"{subject} keyUsage is {keyUsage.KeyUsages}; digitalSignature is required");
        }

        if ((keyUsage.KeyUsages & (X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign)) != 0)
        {
            return CertificateValidation.Invalid(CertificateError.WrongKeyUsage, $"{subject} keyUsage is {keyUsage.KeyUsages}; only a CA may sign certificates or CRLs");
        }

        if (!isAdmin)
        {
            if (certificate.Extensions["2.5.29.37"] is not X509EnhancedKeyUsageExtension extended)
            {
                return CertificateValidation.Invalid(CertificateError.WrongKeyUsage, $"{subject} has no extendedKeyUsage; a node needs TLS serverAuth and clientAuth");
            }

            bool server = false;
            bool client = false;
            foreach (Oid usage in extended.EnhancedKeyUsages)
            {
                server |= usage.Value == ServerAuthentication;
                client |= usage.Value == ClientAuthentication;
            }

            if (!server || !client)
            {
                return CertificateValidation.Invalid(CertificateError.WrongKeyUsage,
                    $"{subject} extendedKeyUsage lacks {(server ? "clientAuth" : "serverAuth")}; a node is both a TLS server and a TLS client");
            }
        }

        if (NodeCertificateFields.ReadCommonName(certificate) is null || NodeCertificateFields.ReadOrganisation(certificate) is null)
        {
            return CertificateValidation.Invalid(CertificateError.WrongSubject, $"{subject} lacks a CN (name) or O (organisation)");
        }

        return null;
    }

    private static CertificateValidation? CheckAuthority(X509Certificate2 authority, string subject, DateTime atUtc)
    {
        if (authority.Extensions["2.5.29.19"] is not X509BasicConstraintsExtension { CertificateAuthority: true })
        {
            return CertificateValidation.Invalid(CertificateError.WrongKeyUsage, $"{subject} is not a CA: basicConstraints cA is not true");
        }

        if (authority.Extensions["2.5.29.15"] is X509KeyUsageExtension keyUsage && (keyUsage.KeyUsages & X509KeyUsageFlags.KeyCertSign) == 0)
        {
            return CertificateValidation.Invalid(CertificateError.WrongKeyUsage, $"{subject} keyUsage is {keyUsage.KeyUsages}; a CA needs keyCertSign");
        }

        if (NodeCertificateFields.ReadOrganisation(authority) is null)
        {
            return CertificateValidation.Invalid(CertificateError.WrongSubject, $"{subject} has no O (organisation)");
        }

        return CheckValidity(authority, subject, atUtc);
    }

    private static CertificateValidation? CheckValidity(X509Certificate2 certificate, string subject, DateTime atUtc)
    {
        DateTime now = atUtc.Kind == DateTimeKind.Local ? atUtc.ToUniversalTime() : DateTime.SpecifyKind(atUtc, DateTimeKind.Utc);
        DateTime notBefore = certificate.NotBefore.ToUniversalTime();
        DateTime notAfter = certificate.NotAfter.ToUniversalTime();
        if (now < notBefore)
        {
            return CertificateValidation.Invalid(CertificateError.NotYetValid, $"{subject} is not valid until {notBefore:yyyy-MM-dd HH:mm:ss}Z (checked at {now:yyyy-MM-dd HH:mm:ss}Z)");
        }

        if (now > notAfter)
        {
            return CertificateValidation.Invalid(CertificateError.Expired, $"{subject} expired at {notAfter:yyyy-MM-dd HH:mm:ss}Z (checked at {now:yyyy-MM-dd HH:mm:ss}Z)");
        }

        return null;
    }

    private static CertificateValidation? CheckOrganisation(X509Certificate2 certificate, string subject, X509Certificate2 member)
    {
        // A member CA speaks for its own organisation only.
        string? claimed = NodeCertificateFields.ReadOrganisation(certificate);
        string? owner = NodeCertificateFields.ReadOrganisation(member);
        if (!string.Equals(claimed, owner, StringComparison.Ordinal))
        {
            return CertificateValidation.Invalid(CertificateError.WrongSubject, $"{subject} claims organisation \"{claimed}\" but was issued under the CA of \"{owner}\"");
        }

        return null;
    }

    private static CertificateValidation? CheckRevoked(X509Certificate2 certificate, Hash256 issuerFingerprint, string subject, IRevocationSet revocations)
    {
        Hash256 fingerprint = CertificateFingerprint.Of(certificate);
        string serial = certificate.SerialNumber.ToLowerInvariant();
        return revocations.IsRevoked(fingerprint, issuerFingerprint, serial, out string? reason)
            ? CertificateValidation.Invalid(CertificateError.Revoked, $"{subject} (serial {serial}, fingerprint {fingerprint}) is revoked: {reason}")
            : null;
    }

    private static bool IssuedBy(X509Certificate2 certificate, X509Certificate2 issuer) =>
        certificate.IssuerName.RawData.AsSpan().SequenceEqual(issuer.SubjectName.RawData);

    private static bool IsAdmin(X509Certificate2 certificate)
    {
        foreach (X500RelativeDistinguishedName rdn in certificate.SubjectName.EnumerateRelativeDistinguishedNames())
        {
            if (!rdn.HasMultipleElements && rdn.GetSingleElementType().Value == "2.5.4.11"
                && string.Equals(rdn.GetSingleElementValue(), AdminCertificate.Role, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsSm2(X509Certificate2 certificate) =>
        CertificateKeys.TryReadCurveOid(certificate, out string? curve, out _) && curve == CertificateKeys.Sm2Oid;

    private static string Describe(string? curveOid) => curveOid switch
    {
        CertificateKeys.Sm2Oid => " (SM2)",
        CertificateKeys.Secp256k1Oid => " (secp256k1)",
        "1.3.132.0.34" => " (P-384)",
        _ => "",
    };

    private static string Describe(X509Certificate2 certificate) => $"certificate \"{certificate.Subject}\"";
}
