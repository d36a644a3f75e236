using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography.X509Certificates;
using Trellis.Core;
using Trellis.Ledger.Blocks;
using Trellis.Ledger.Governance;
using Trellis.Network.Admission;
using Trellis.Network.Certificates;
using Trellis.State;

namespace Trellis.Node.P2p;

/// <summary>
/// The node's admission policy, read from the governance state of its committed head: members' CA fingerprints from
/// the committee, nodes (role, signing address, pinned TLS fingerprint) and revoked certificates from the node
/// registry, with each node's role and each revocation as at the next height (head + 1), the first block not yet
/// decided. The genesis policy is the same thing read from
/// the genesis state. Handshakes read <see cref="Current"/>; <see cref="OnCommitted"/> replaces it after a block that
/// changed the committee or registry, or that reached a pending activation height.
/// </summary>
public sealed class GovernanceAdmission : IAdmissionPolicy
{
    private readonly X509Certificate2[] _knownAuthorities;
    private readonly Func<IEnumerable<X509Certificate2>>? _readLocalAuthorities;
    private volatile RegistryAdmissionPolicy _current;
    private ulong _height;
    private ulong _nextActivation;

    /// <summary>Reads the policy from <paramref name="headState"/>, the state of committed block <paramref name="headHeight"/>.</summary>
    /// <param name="knownAuthorities">CA certificates known locally (genesis members' PEMs); anchors while their member is one.</param>
    /// <param name="headState">The head block's state.</param>
    /// <param name="headHeight">The head block's height.</param>
    public GovernanceAdmission(IEnumerable<X509Certificate2> knownAuthorities, IWorldState headState, ulong headHeight)
        : this(knownAuthorities, null, headState, headHeight)
    {
    }

    /// <summary>
    /// As the other constructor, with <paramref name="readLocalAuthorities"/> asked again each time the policy is read:
    /// CA certificates of members admitted after genesis that the operator placed locally (P2pConfig.MemberCaDirectory).
    /// </summary>
    public GovernanceAdmission(IEnumerable<X509Certificate2> knownAuthorities, Func<IEnumerable<X509Certificate2>>? readLocalAuthorities, IWorldState headState, ulong headHeight)
    {
        ArgumentNullException.ThrowIfNull(knownAuthorities);
        ArgumentNullException.ThrowIfNull(headState);
        _knownAuthorities = [.. knownAuthorities];
        _readLocalAuthorities = readLocalAuthorities;
        _current = Read(headState, headHeight);
    }

    /// <summary>The policy in force: admission for the block after the committed head.</summary>
    public RegistryAdmissionPolicy Current => _current;

    /// <summary>The height the current policy decides for (committed head + 1).</summary>
    public ulong Height => Volatile.Read(ref _height);

    /// <inheritdoc />
    public IReadOnlyCollection<X509Certificate2> MemberAuthorities => _current.MemberAuthorities;

    /// <inheritdoc />
    public IRevocationSet Revocations => _current.Revocations;

    /// <inheritdoc />
    public IReadOnlyCollection<X509Certificate2> AuthoritiesFor(IEnumerable<X509Certificate2> offered) => _current.AuthoritiesFor(offered);

    /// <summary>
    /// Signing addresses this node's operator removed with <c>admin_removePeer</c>: refused at every handshake, in both
    /// directions, whatever the ledger admits, until <c>admin_addPeer</c> names them again. Local to this node (not
    /// ledger state); null when the node has no admin operations.
    /// </summary>
    public Func<Address, bool>? RemovedByOperator { get; set; }

    /// <summary>The certificates revoked by governance at <see cref="Height"/>.</summary>
    public LedgerRevocationSet LedgerRevocations => (LedgerRevocationSet)_current.Revocations;

    /// <inheritdoc />
    public bool TryAdmit(Hash256 authorityFingerprint, Hash256 nodeFingerprint, out PeerRole role, [NotNullWhen(false)] out string? reason)
    {
        RegistryAdmissionPolicy current = _current;
        return !IsRevoked(current, authorityFingerprint, nodeFingerprint, out role, out reason)
            && current.TryAdmit(authorityFingerprint, nodeFingerprint, out role, out reason);
    }

    /// <inheritdoc />
    /// <remarks>
    /// Also refuses a node whose certificate or CA governance revoked: handshakes check that in certificate validation,
    /// but <see cref="PeerNetwork.EnforceAdmission"/> asks only this, so a connected peer is dropped once it is revoked.
    /// </remarks>
    public bool TryAdmit(Hash256 authorityFingerprint, Hash256 nodeFingerprint, Address signingAddress, out PeerRole role, [NotNullWhen(false)] out string? reason)
    {
        if (RemovedByOperator?.Invoke(signingAddress) == true)
        {
            role = default;
            string address = signingAddress.ToLowerHex();
            reason = $"node {address} was removed with admin_removePeer on this node; admin_addPeer \"trellis://{address}@<host:port>\" allows it again";
            return false;
        }

        RegistryAdmissionPolicy current = _current;
        return !IsRevoked(current, authorityFingerprint, nodeFingerprint, out role, out reason)
            && current.TryAdmit(authorityFingerprint, nodeFingerprint, signingAddress, out role, out reason);
    }

    /// <summary>
    /// Called for each committed block, in order, with its state. Re-reads the governance state when the block emitted
    /// a committee or registry event or the next height reaches a pending activation; returns true when it did.
    /// </summary>
    public bool OnCommitted(Block block, IReadOnlyList<Receipt> receipts, Func<IWorldState> openState)
    {
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(receipts);
        ArgumentNullException.ThrowIfNull(openState);
        ulong height = block.Header.Height;
        if (!TouchesGovernance(receipts) && height + 1 < Volatile.Read(ref _nextActivation))
        {
            Volatile.Write(ref _height, height + 1);
            return false;
        }

        _current = Read(openState(), height);
        return true;
    }

    /// <summary>Reads the admission for the block after <paramref name="headHeight"/> from that block's state.</summary>
    private RegistryAdmissionPolicy Read(IWorldState state, ulong headHeight)
    {
        var governance = new GovernanceState(state);
        ulong height = headHeight + 1;
        var members = new List<KeyValuePair<string, Hash256>>();
        foreach (GovernanceMember member in governance.Members)
        {
            members.Add(new KeyValuePair<string, Hash256>(member.Name, member.CaFingerprint));
        }

        var nodes = new List<RegisteredPeer>();
        ulong nextActivation = ulong.MaxValue;
        foreach (RegisteredNode node in governance.Nodes)
        {
            PeerRole? role = node.RoleAt(height) switch
            {
                RegistryRole.Validator => PeerRole.Validator,
                RegistryRole.Observer => PeerRole.Observer,
                _ => null,
            };
            nodes.Add(new RegisteredPeer(node.SigningAddress, node.Org, role, node.TlsFingerprint == Hash256.Zero ? null : node.TlsFingerprint));
            if (node.ActivationHeight > height)
            {
                nextActivation = Math.Min(nextActivation, node.ActivationHeight);
            }
        }

        // A pending revocation becomes effective like a pending role change: the policy is re-read at that height.
        LedgerRevocationSet revocations = LedgerRevocationSet.Read(governance, height);
        nextActivation = Math.Min(nextActivation, revocations.NextEffectiveHeight);
        Volatile.Write(ref _nextActivation, nextActivation);
        Volatile.Write(ref _height, height);
        IEnumerable<X509Certificate2> authorities = _readLocalAuthorities is null ? _knownAuthorities : [.. _knownAuthorities, .. _readLocalAuthorities()];
        return new RegistryAdmissionPolicy(members, authorities, nodes, revocations);
    }

    private static bool IsRevoked(RegistryAdmissionPolicy policy, Hash256 authorityFingerprint, Hash256 nodeFingerprint, out PeerRole role, [NotNullWhen(true)] out string? reason)
    {
        role = default;
        var revocations = (LedgerRevocationSet)policy.Revocations;
        if (revocations.IsRevoked(nodeFingerprint, out string? why))
        {
            reason = $"node certificate {nodeFingerprint} is revoked: {why}";
            return true;
        }

        if (revocations.IsRevoked(authorityFingerprint, out why))
        {
            reason = $"CA certificate {authorityFingerprint} is revoked: {why}";
            return true;
        }

        reason = null;
        return false;
    }

    private static bool TouchesGovernance(IReadOnlyList<Receipt> receipts)
    {
        for (int i = 0; i < receipts.Count; i++)
        {
            IReadOnlyList<Log> logs = receipts[i].Logs;
            for (int j = 0; j < logs.Count; j++)
            {
                Address address = logs[j].Address;
                if (address == GovernanceAddresses.Committee || address == GovernanceAddresses.NodeRegistry)
                {
                    return true;
                }
            }
        }

        return false;
    }
}
