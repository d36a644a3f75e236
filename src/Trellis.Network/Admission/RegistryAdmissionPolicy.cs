using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography.X509Certificates;
using Trellis.Core;
using Trellis.Network.Certificates;

namespace Trellis.Network.Admission;

/// <summary>
/// Admission read from the ledger's governance state at one height: the member organisations (by the SHA-256
/// fingerprint of their CA certificate, which is all the committee stores) and the registered nodes with their role,
/// signing address and pinned TLS fingerprint. Immutable; the node builds a new one after each committed block.
/// </summary>
/// <remarks>
/// The ledger holds a member CA's fingerprint, not its certificate. CA certificates known from genesis are trust
/// anchors while their member is; for a member admitted later, the root the peer sends in its first hello
/// (<c>Hello.ca_certificates</c>: TLS on Linux leaves the self-signed root out of the chain it sends) is accepted as an
/// anchor when it is a self-signed CA whose fingerprint is a current member's. The fingerprint pins that exact
/// certificate, so this is as strict as holding it. CA certificates placed locally (<c>p2p.memberCaDirectory</c>) are
/// treated the same way.
/// </remarks>
public sealed class RegistryAdmissionPolicy : IAdmissionPolicy
{
    private readonly X509Certificate2[] _authorities;
    private readonly Dictionary<Hash256, string> _memberOf = [];
    private readonly Dictionary<Address, RegisteredPeer> _nodes = [];

    /// <summary>
    /// Creates the policy from the members (organisation name to CA fingerprint), the CA certificates known locally
    /// (those of non-members are ignored) and the registered nodes.
    /// </summary>
    /// <exception cref="ArgumentException">Two members share a CA fingerprint, or a node is listed twice.</exception>
    public RegistryAdmissionPolicy(
        IEnumerable<KeyValuePair<string, Hash256>> members,
        IEnumerable<X509Certificate2> knownAuthorities,
        IEnumerable<RegisteredPeer> nodes,
        IRevocationSet? revocations = null)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentNullException.ThrowIfNull(knownAuthorities);
        ArgumentNullException.ThrowIfNull(nodes);
        Revocations = revocations ?? IRevocationSet.None;
        foreach ((string name, Hash256 fingerprint) in members)
        {
            if (fingerprint == Hash256.Zero)
            {
                // A member without a CA fingerprint has no nodes on the network.
                continue;
            }

            if (!_memberOf.TryAdd(fingerprint, name))
            {
                throw new ArgumentException($"members \"{_memberOf[fingerprint]}\" and \"{name}\" have the same CA fingerprint {fingerprint}", nameof(members));
            }
        }

        var anchors = new List<X509Certificate2>();
        var seen = new HashSet<Hash256>();
        foreach (X509Certificate2 authority in knownAuthorities)
        {
            Hash256 fingerprint = CertificateFingerprint.Of(authority);
            if (_memberOf.ContainsKey(fingerprint) && seen.Add(fingerprint))
            {
                anchors.Add(authority);
            }
        }

        _authorities = [.. anchors];
        foreach (RegisteredPeer node in nodes)
        {
            ArgumentNullException.ThrowIfNull(node);
            if (!_nodes.TryAdd(node.SigningAddress, node))
            {
                throw new ArgumentException($"node {node.SigningAddress.ToLowerHex()} is registered twice", nameof(nodes));
            }
        }
    }

    /// <inheritdoc />
    public IReadOnlyCollection<X509Certificate2> MemberAuthorities => _authorities;

    /// <inheritdoc />
    public IRevocationSet Revocations { get; }

    /// <summary>The registered nodes this policy knows (removed ones included).</summary>
    public IReadOnlyCollection<RegisteredPeer> Nodes => _nodes.Values;

    /// <summary>True when <paramref name="fingerprint"/> is a current member's CA.</summary>
    public bool IsMemberAuthority(Hash256 fingerprint) => _memberOf.ContainsKey(fingerprint);

    /// <inheritdoc />
    public IReadOnlyCollection<X509Certificate2> AuthoritiesFor(IEnumerable<X509Certificate2> offered)
    {
        ArgumentNullException.ThrowIfNull(offered);
        List<X509Certificate2>? extended = null;
        foreach (X509Certificate2 certificate in offered)
        {
            Hash256 fingerprint = CertificateFingerprint.Of(certificate);
            if (!_memberOf.ContainsKey(fingerprint) || !IsSelfSigned(certificate) || Contains(_authorities, fingerprint))
            {
                continue;
            }

            extended ??= [.. _authorities];
            if (!Contains(extended, fingerprint))
            {
                extended.Add(certificate);
            }
        }

        return extended is null ? _authorities : extended;
    }

    /// <inheritdoc />
    public bool TryAdmit(Hash256 authorityFingerprint, Hash256 nodeFingerprint, out PeerRole role, [NotNullWhen(false)] out string? reason)
    {
        // Without the signing address the registry cannot be consulted (it is keyed by address): look the pin up.
        foreach (RegisteredPeer node in _nodes.Values)
        {
            if (node.TlsFingerprint == nodeFingerprint)
            {
                return TryAdmit(authorityFingerprint, nodeFingerprint, node.SigningAddress, out role, out reason);
            }
        }

        role = default;
        reason = $"node certificate {nodeFingerprint} is not pinned by any registered node";
        return false;
    }

    /// <inheritdoc />
    public bool TryAdmit(Hash256 authorityFingerprint, Hash256 nodeFingerprint, Address signingAddress, out PeerRole role, [NotNullWhen(false)] out string? reason)
    {
        role = default;
        if (!_memberOf.TryGetValue(authorityFingerprint, out string? organisation))
        {
            reason = $"CA {authorityFingerprint} is not the CA of a member organisation";
            return false;
        }

        if (!_nodes.TryGetValue(signingAddress, out RegisteredPeer? node))
        {
            reason = $"signing address {signingAddress.ToLowerHex()} is not in the node registry";
            return false;
        }

        if (node.Role is not { } registered)
        {
            reason = $"node {signingAddress.ToLowerHex()} was removed from the node registry";
            return false;
        }

        if (!string.Equals(node.Organisation, organisation, StringComparison.Ordinal))
        {
            reason = $"node {signingAddress.ToLowerHex()} is registered for \"{node.Organisation}\", but its certificate was issued by the CA of \"{organisation}\"";
            return false;
        }

        if (node.TlsFingerprint is not { } pinned)
        {
            reason = $"node {signingAddress.ToLowerHex()} has no TLS certificate fingerprint in the registry, so no certificate is admitted for it";
            return false;
        }

        if (pinned != nodeFingerprint)
        {
            reason = $"node {signingAddress.ToLowerHex()} presented certificate {nodeFingerprint}, but the registry pins {pinned}";
            return false;
        }

        role = registered;
        reason = null;
        return true;
    }

    private static bool IsSelfSigned(X509Certificate2 certificate)
    {
        try
        {
            return certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData) &&
                CertificateValidator.Classify(certificate) == CertificateKind.Authority;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            // A malformed offered certificate is simply not an anchor; chain validation reports the peer's problem.
            return false;
        }
    }

    private static bool Contains(IEnumerable<X509Certificate2> certificates, Hash256 fingerprint)
    {
        foreach (X509Certificate2 certificate in certificates)
        {
            if (CertificateFingerprint.Of(certificate) == fingerprint)
            {
                return true;
            }
        }

        return false;
    }
}
