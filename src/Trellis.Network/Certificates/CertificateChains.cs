using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Trellis.Network.Certificates;

/// <summary>Chain building against an explicit set of roots only: the member CAs, never the system store.</summary>
internal static class CertificateChains
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

    /// <summary>
    /// Builds the chain of <paramref name="certificate"/> to one of <paramref name="roots"/> and returns that root.
    /// Requires both TLS usages, since every node is both a server and a client.
    /// </summary>
    public static bool TryVerify(
        X509Certificate2 certificate,
        IReadOnlyCollection<X509Certificate2> roots,
        DateTime verificationTimeUtc,
        out X509Certificate2? root,
        out string? error)
    {
        root = null;
        if (roots.Count == 0)
        {
            error = "there are no member CAs to trust";
            return false;
        }

        using var chain = new X509Chain();
        X509ChainPolicy policy = chain.ChainPolicy;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        foreach (X509Certificate2 member in roots)
        {
            policy.CustomTrustStore.Add(member);
        }

        // Membership, not revocation lists, decides who is in: removing a node is an admission change.
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.DisableCertificateDownloads = true;
        policy.VerificationTime = verificationTimeUtc;
        policy.VerificationTimeIgnored = false;
        policy.ApplicationPolicy.Add(ServerAuthentication);
        policy.ApplicationPolicy.Add(ClientAuthentication);

        if (!chain.Build(certificate))
        {
            var reasons = new List<string>();
            foreach (X509ChainStatus status in chain.ChainStatus)
            {
                reasons.Add($"{status.Status} ({status.StatusInformation.Trim()})");
            }

            error = reasons.Count == 0 ? "the chain did not build" : string.Join("; ", reasons);
            return false;
        }

        // A node certificate sits directly under its organisation root: exactly [leaf, root].
        if (chain.ChainElements.Count != 2)
        {
            error = $"chain has {chain.ChainElements.Count} certificates; a node certificate must be issued directly by a member CA";
            return false;
        }

        X509Certificate2 top = chain.ChainElements[^1].Certificate;
        foreach (X509Certificate2 member in roots)
        {
            if (member.RawDataMemory.Span.SequenceEqual(top.RawDataMemory.Span))
            {
                root = member;
                error = null;
                return true;
            }
        }

        error = $"chain ends at \"{top.Subject}\", which is not a member CA";
        return false;
    }
}
