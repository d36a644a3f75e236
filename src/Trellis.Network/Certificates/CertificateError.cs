namespace Trellis.Network.Certificates;

/// <summary>Why a certificate was refused.</summary>
public enum CertificateError
{
    /// <summary>Nothing: the certificate is valid.</summary>
    None = 0,

    /// <summary>The PEM or DER cannot be read.</summary>
    Malformed,

    /// <summary>Its validity period ended before the time of checking.</summary>
    Expired,

    /// <summary>Its validity period starts after the time of checking.</summary>
    NotYetValid,

    /// <summary>It was not issued by a member CA (or by a TLS CA that a member CA certified).</summary>
    UnknownIssuer,

    /// <summary>The issuer's signature on it does not verify, or uses an algorithm that is not accepted.</summary>
    BadSignature,

    /// <summary>Its basic constraints, key usage or extended key usage do not allow this use.</summary>
    WrongKeyUsage,

    /// <summary>Its subject key is of the wrong algorithm or curve for this use.</summary>
    WrongKeyType,

    /// <summary>It lacks the subjectAltName <c>urn:trellis:address:0x...</c>, or holds a malformed one.</summary>
    MissingAddress,

    /// <summary>Its subject lacks a required name, claims another organisation, or its address does not match its key.</summary>
    WrongSubject,

    /// <summary>It, or the CA that issued it, is revoked.</summary>
    Revoked,
}
