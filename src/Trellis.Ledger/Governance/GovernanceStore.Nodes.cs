using Trellis.Core;

namespace Trellis.Ledger.Governance;

// The node registry's storage (0x…1002).
internal sealed partial class GovernanceStore
{
    private const byte NodeMeta = 1;
    private const byte NodeAtTable = 2;
    private const byte NodeFields = 3;
    private const byte NodeNameTable = 4;
    private const byte NodeOrgTable = 5;
    private const byte NodeKeyTable = 6;

    private const uint NodeFieldIndex = 0;
    private const uint NodeFieldRole = 1;
    private const uint NodeFieldPreviousRole = 2;
    private const uint NodeFieldActivation = 3;
    private const uint NodeFieldTls = 4;

    private static Address Registry => GovernanceAddresses.NodeRegistry;

    public int NodeCount => (int)Math.Min(ReadUInt64(Registry, NodeMeta, 0, Key(0)), GovernanceRules.MaxNodes);

    public Address NodeAt(int index) => AsAddress(Read(Registry, NodeAtTable, 0, Key((ulong)index)));

    public bool IsRegistered(in Address node) => ReadUInt64(Registry, NodeFields, NodeFieldIndex, node) != 0;

    public RegistryRole CurrentRole(in Address node) => (RegistryRole)Math.Min(ReadUInt64(Registry, NodeFields, NodeFieldRole, node), 255);

    public string NodeOrg(in Address node) => ReadString(Registry, NodeOrgTable, node);

    public RegistryRole RoleAt(in Address node, ulong height)
    {
        if (!IsRegistered(node))
        {
            return RegistryRole.None;
        }

        return height >= ReadUInt64(Registry, NodeFields, NodeFieldActivation, node)
            ? CurrentRole(node)
            : (RegistryRole)Math.Min(ReadUInt64(Registry, NodeFields, NodeFieldPreviousRole, node), 255);
    }

    public RegisteredNode? ReadNode(in Address node)
    {
        if (!IsRegistered(node))
        {
            return null;
        }

        return new RegisteredNode(
            node,
            ReadString(Registry, NodeNameTable, node),
            NodeOrg(node),
            CurrentRole(node),
            (RegistryRole)Math.Min(ReadUInt64(Registry, NodeFields, NodeFieldPreviousRole, node), 255),
            ReadUInt64(Registry, NodeFields, NodeFieldActivation, node),
            ReadBytes(Registry, NodeKeyTable, node),
            new Hash256(Read(Registry, NodeFields, NodeFieldTls, node).ToBigEndian()));
    }

    /// <summary>Registers a node, or re-admits a removed one in its old place in the order.</summary>
    public void AddNode(in Address node, string name, string org, RegistryRole role, ReadOnlySpan<byte> publicKey, in Hash256 tlsFingerprint, ulong activationHeight)
    {
        RegistryRole previous = RegistryRole.None;
        if (IsRegistered(node))
        {
            previous = RoleAt(node, activationHeight == 0 ? 0 : activationHeight - 1);
        }
        else
        {
            int count = NodeCount;
            Write(Registry, NodeMeta, 0, Key(0), new UInt256((ulong)count + 1));
            Write(Registry, NodeAtTable, 0, Key((ulong)count), FromAddress(node));
            Write(Registry, NodeFields, NodeFieldIndex, node, new UInt256((ulong)count + 1));
        }

        Write(Registry, NodeFields, NodeFieldRole, node, new UInt256((ulong)role));
        Write(Registry, NodeFields, NodeFieldPreviousRole, node, new UInt256((ulong)previous));
        Write(Registry, NodeFields, NodeFieldActivation, node, new UInt256(activationHeight));
        Write(Registry, NodeFields, NodeFieldTls, node, UInt256.FromBigEndian(tlsFingerprint.Bytes));
        WriteString(Registry, NodeNameTable, node, name);
        WriteString(Registry, NodeOrgTable, node, org);
        WriteBytes(Registry, NodeKeyTable, node, publicKey);
    }

    /// <summary>
    /// Changes a node's role from <paramref name="activationHeight"/> on. The previous role is the one in force just
    /// before that height, so a second change before the first activates keeps every height from the next block on right.
    /// </summary>
    public RegistryRole SetNodeRole(in Address node, RegistryRole role, ulong activationHeight)
    {
        RegistryRole previous = RoleAt(node, activationHeight - 1);
        Write(Registry, NodeFields, NodeFieldPreviousRole, node, new UInt256((ulong)previous));
        Write(Registry, NodeFields, NodeFieldRole, node, new UInt256((ulong)role));
        Write(Registry, NodeFields, NodeFieldActivation, node, new UInt256(activationHeight));
        return previous;
    }

    /// <summary>Validators once every pending change has activated, counting <paramref name="changed"/> as <paramref name="newRole"/>.</summary>
    public int CountFutureValidators(in Address changed, RegistryRole newRole, string? removedOrg = null)
    {
        int validators = 0;
        int count = NodeCount;
        for (int i = 0; i < count; i++)
        {
            Address node = NodeAt(i);
            RegistryRole role = node == changed ? newRole : CurrentRole(node);
            if (role == RegistryRole.Validator && (removedOrg is null || NodeOrg(node) != removedOrg))
            {
                validators++;
            }
        }

        return validators;
    }
}
