using Trellis.Core;
using Trellis.Crypto;
using Trellis.State;
using Trellis.State.Storage;

namespace Trellis.Ledger.Governance;

/// <summary>
/// Reads the governance state (members, node registry, revoked certificates, permissions, frozen contracts, chain
/// configuration, proposals) from a world state: what the node needs for network admission, the validator set, the pool and the
/// console. Reads go through the given state and are not thread-safe, like the state itself.
/// </summary>
public sealed class GovernanceState
{
    private readonly GovernanceStore _store;

    /// <summary>Reads through <paramref name="state"/> (normally opened at a block's state root).</summary>
    public GovernanceState(IWorldState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        _store = GovernanceStore.Unmetered(state);
    }

    /// <summary>Opens the governance state of the block whose state root is <paramref name="stateRoot"/>.</summary>
    public static GovernanceState At(IKeyValueStore store, ICryptoSuite suite, Hash256 stateRoot) =>
        new(new WorldState(store, suite, stateRoot));

    /// <summary>The member organisations, in admission order (a removal moves the last one into the gap).</summary>
    public IReadOnlyList<GovernanceMember> Members
    {
        get
        {
            int count = _store.MemberCount;
            var members = new GovernanceMember[count];
            for (int i = 0; i < count; i++)
            {
                members[i] = _store.ReadMember(_store.MemberIdAt(i));
            }

            return members;
        }
    }

    /// <summary>Sum of the members' weights.</summary>
    public ulong TotalWeight => _store.TotalWeight;

    /// <summary>The pass threshold: yes weight * denominator must exceed total weight * numerator.</summary>
    public (ulong Numerator, ulong Denominator) Threshold => _store.Threshold;

    /// <summary>Every registered node, removed ones included, in registration order.</summary>
    public IReadOnlyList<RegisteredNode> Nodes
    {
        get
        {
            int count = _store.NodeCount;
            var nodes = new RegisteredNode[count];
            for (int i = 0; i < count; i++)
            {
                nodes[i] = _store.ReadNode(_store.NodeAt(i))!;
            }

            return nodes;
        }
    }

    /// <summary>True if the chain is permissioned.</summary>
    public bool IsPermissioned => _store.Permissioned;

    /// <summary>Number of proposals created (ids 1..count).</summary>
    public ulong ProposalCount => _store.ProposalCount;

    /// <summary>The member called <paramref name="name"/>, or null.</summary>
    public GovernanceMember? FindMember(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        ulong id = _store.FindMemberByName(name);
        return id == 0 ? null : _store.ReadMember(id);
    }

    /// <summary>The member for which <paramref name="admin"/> acts, or null.</summary>
    public GovernanceMember? FindMemberByAdmin(in Address admin)
    {
        ulong id = _store.FindMemberByAdmin(admin);
        return id == 0 ? null : _store.ReadMember(id);
    }

    /// <summary>The registered node with this signing address, or null.</summary>
    public RegisteredNode? FindNode(in Address signingAddress) => _store.ReadNode(signingAddress);

    /// <summary>The node's role at block <paramref name="height"/> (<see cref="RegistryRole.None"/> if unregistered).</summary>
    public RegistryRole RoleAt(in Address signingAddress, ulong height) => _store.RoleAt(signingAddress, height);

    /// <summary>
    /// The validators at block <paramref name="height"/>, in registration order (the leader rotation order). Exact
    /// for heights from the block after this state's block on (earlier heights: open the earlier state).
    /// </summary>
    public IReadOnlyList<RegisteredNode> ValidatorsAt(ulong height)
    {
        var validators = new List<RegisteredNode>();
        foreach (RegisteredNode node in Nodes)
        {
            if (node.RoleAt(height) == RegistryRole.Validator)
            {
                validators.Add(node);
            }
        }

        return validators;
    }

    /// <summary>True if the node may join the network at <paramref name="height"/>: a validator or observer of a member organisation.</summary>
    public bool IsAdmitted(in Address signingAddress, ulong height)
    {
        RegistryRole role = _store.RoleAt(signingAddress, height);
        return role is RegistryRole.Validator or RegistryRole.Observer && _store.FindMemberByName(_store.NodeOrg(signingAddress)) != 0;
    }

    /// <summary>The rights granted to <paramref name="account"/>.</summary>
    public AccountRights RightsOf(in Address account) => _store.RightsOf(account);

    /// <summary>True if <paramref name="account"/> may send transactions (always on an open chain; member admins always).</summary>
    public bool CanTransact(in Address account) => _store.CanTransact(account);

    /// <summary>True if <paramref name="account"/> may create contracts with a transaction (always on an open chain).</summary>
    public bool CanDeploy(in Address account) => _store.CanDeploy(account);

    /// <summary>True if calls into <paramref name="contract"/> revert with "contract frozen".</summary>
    public bool IsFrozen(in Address contract) => _store.IsFrozen(contract);

    /// <summary>The code hash approved for <paramref name="contract"/>'s upgrade, or null.</summary>
    public Hash256? ApprovedCodeHash(in Address contract)
    {
        Hash256 hash = _store.ApprovedCodeHash(contract);
        return hash == Hash256.Zero ? null : hash;
    }

    /// <summary>The value governance set for <paramref name="setting"/>, or null when the genesis value applies.</summary>
    public ulong? Setting(ChainSetting setting)
    {
        ulong value = _store.Setting(setting);
        return value == 0 ? null : value;
    }

    /// <summary>Every certificate revoked by governance, in the order of revocation (pending ones included).</summary>
    public IReadOnlyList<RevokedCertificate> RevokedCertificates
    {
        get
        {
            int count = _store.RevocationCount;
            var revoked = new RevokedCertificate[count];
            for (int i = 0; i < count; i++)
            {
                revoked[i] = _store.ReadRevocation(i);
            }

            return revoked;
        }
    }

    /// <summary>The revocation of the certificate with <paramref name="fingerprint"/> (SHA-256 of its DER), effective or pending, or null.</summary>
    public RevokedCertificate? FindRevocation(in Hash256 fingerprint) =>
        _store.FindRevocation(fingerprint) is { } revocation && revocation.Fingerprint == fingerprint ? revocation : null;

    /// <summary>True if an executed proposal revoked the certificate with <paramref name="fingerprint"/>, whether or not it is effective yet.</summary>
    public bool IsRevoked(in Hash256 fingerprint) => FindRevocation(fingerprint) is not null;

    /// <summary>True if the certificate with <paramref name="fingerprint"/> is revoked at block <paramref name="height"/>.</summary>
    public bool IsRevoked(in Hash256 fingerprint, ulong height) => FindRevocation(fingerprint) is { } revocation && revocation.IsEffectiveAt(height);

    /// <summary>Proposal <paramref name="id"/> as seen at block <paramref name="height"/> (for expiry), or null.</summary>
    public GovernanceProposal? GetProposal(ulong id, ulong height) => _store.ReadProposal(id, height);

    /// <summary>
    /// Null if <paramref name="sender"/> may send a transaction (creating a contract when <paramref name="createsContract"/>),
    /// else the reason. Reads one slot on an open chain. Used by block execution and the pool's permission policy.
    /// </summary>
    public static string? CheckSender(IWorldState state, in Address sender, bool createsContract)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.GetStorage(GovernanceAddresses.Permissions, GovernanceStore.PermissionedSlot).IsZero)
        {
            return null;
        }

        var store = GovernanceStore.Unmetered(state);
        if (!store.CanTransact(sender))
        {
            return $"the chain is permissioned and {sender} has no transact right (rights are granted by governance proposal)";
        }

        return createsContract && !store.CanDeploy(sender)
            ? $"the chain is permissioned and {sender} has no deploy right (rights are granted by governance proposal)"
            : null;
    }
}
