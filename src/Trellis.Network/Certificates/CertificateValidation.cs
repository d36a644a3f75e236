using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography.X509Certificates;

namespace Trellis.Network.Certificates;

/// <summary>The verdict on one certificate: valid with the member CA it chains to, or refused with a reason.</summary>
public sealed class CertificateValidation
{
    private CertificateValidation(CertificateError error, string? reason, X509Certificate2? memberAuthority, X509Certificate2? issuer)
    {
        Error = error;
        Reason = reason;
        MemberAuthority = memberAuthority;
        Issuer = issuer;
    }

    /// <summary>True when the certificate is accepted.</summary>
    [MemberNotNullWhen(true, nameof(MemberAuthority), nameof(Issuer))]
    [MemberNotNullWhen(false, nameof(Reason))]
    public bool IsValid => Error == CertificateError.None;

    /// <summary>Why it was refused (<see cref="CertificateError.None"/> when valid).</summary>
    public CertificateError Error { get; }

    /// <summary>A sentence naming the certificate, the value and the rule it broke; null when valid.</summary>
    public string? Reason { get; }

    /// <summary>The member CA (trust anchor) the certificate chains to, when valid.</summary>
    public X509Certificate2? MemberAuthority { get; }

    /// <summary>The certificate that signed it directly (the member CA, or its TLS CA), when valid.</summary>
    public X509Certificate2? Issuer { get; }

    /// <summary>An accepted certificate.</summary>
    public static CertificateValidation Valid(X509Certificate2 memberAuthority, X509Certificate2 issuer)
    {
        ArgumentNullException.ThrowIfNull(memberAuthority);
        ArgumentNullException.ThrowIfNull(issuer);
        return new CertificateValidation(CertificateError.None, null, memberAuthority, issuer);
    }

    /// <summary>A refused certificate.</summary>
    public static CertificateValidation Invalid(CertificateError error, string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(reason);
        if (error == CertificateError.None)
        {
            throw new ArgumentException("a refusal needs an error other than None", nameof(error));
        }

        return new CertificateValidation(error, reason, null, null);
    }

    /// <summary>"valid" or "Error: reason".</summary>
    public override string ToString() => IsValid ? "valid" : $"{Error}: {Reason}";
}
