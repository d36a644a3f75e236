using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography.X509Certificates;
using Trellis.Core;
using Trellis.Network.Certificates;

namespace Trellis.Network.Admission;

/// <summary>
/// A fixed admission policy: the genesis member CAs and node list. (Governance will later replace it with one read
/// from ledger state.) Immutable, so safe to share between threads.
/// </summary>
public sealed class GenesisAdmissionPolicy : IAdmissionPolicy
{
    private readonly X509Certificate2[] _authorities;
    private readonly HashSet<Hash256> _authorityFingerprints = [];
    private readonly Dictionary<Hash256, AdmittedNode> _nodes = [];

    /// <summary>Creates the policy from the member CA certificates, the admitted nodes and the revoked certificates.</summary>
    /// <exception cref="ArgumentException">A node names a CA that is not a member, or a node appears twice.</exception>
    public GenesisAdmissionPolicy(IEnumerable<X509Certificate2> memberAuthorities, IEnumerable<AdmittedNode> nodes, IRevocationSet? revocations = null)
    {
        ArgumentNullException.ThrowIfNull(memberAuthorities);
        ArgumentNullException.ThrowIfNull(nodes);
        Revocations = revocations ?? IRevocationSet.None;
        var authorities = new List<X509Certificate2>();
        foreach (X509Certificate2 authority in memberAuthorities)
        {
            if (_authorityFingerprints.Add(CertificateFingerprint.Of(authority)))
            {
                authorities.Add(authority);
            }
        }

        _authorities = [.. authorities];
        foreach (AdmittedNode node in nodes)
        {
            if (!_authorityFingerprints.Contains(node.AuthorityFingerprint))
            {
                throw new ArgumentException($"admitted node {node.NodeFingerprint} names CA {node.AuthorityFingerprint}, which is not a member CA", nameof(nodes));
            }

            if (!_nodes.TryAdd(node.NodeFingerprint, node))
            {
                throw new ArgumentException($"node {node.NodeFingerprint} is admitted twice", nameof(nodes));
            }
        }
    }

    /// <inheritdoc />
    public IReadOnlyCollection<X509Certificate2> MemberAuthorities => _authorities;

    /// <inheritdoc />
    public IRevocationSet Revocations { get; }

    /// <summary>The admitted nodes.</summary>
    public IReadOnlyCollection<AdmittedNode> Nodes => _nodes.Values;

    /// <inheritdoc />
    public bool TryAdmit(Hash256 authorityFingerprint, Hash256 nodeFingerprint, Address signingAddress, out PeerRole role, [NotNullWhen(false)] out string? reason)
    {
        if (!TryAdmit(authorityFingerprint, nodeFingerprint, out role, out reason))
        {
            return false;
        }

        AdmittedNode node = _nodes[nodeFingerprint];
        if (node.SigningAddress is { } expected && expected != signingAddress)
        {
            role = default;
            reason = $"node certificate {nodeFingerprint} names signing address {signingAddress.ToLowerHex()}, but the admitted node's address is {expected.ToLowerHex()}";
            return false;
        }

        return true;
    }

    /// <inheritdoc />
    public bool TryAdmit(Hash256 authorityFingerprint, Hash256 nodeFingerprint, out PeerRole role, [NotNullWhen(false)] out string? reason)
    {
        role = default;
        if (!_authorityFingerprints.Contains(authorityFingerprint))
        {
            reason = $"CA {authorityFingerprint} is not a member";
            return false;
        }

        if (!_nodes.TryGetValue(nodeFingerprint, out AdmittedNode? node))
        {
            reason = $"node certificate {nodeFingerprint} is not in the admitted set";
            return false;
        }

        if (node.AuthorityFingerprint != authorityFingerprint)
        {
            reason = $"node certificate {nodeFingerprint} is admitted under CA {node.AuthorityFingerprint}, but was issued by {authorityFingerprint}";
            return false;
        }

        role = node.Role;
        reason = null;
        return true;
    }
}
