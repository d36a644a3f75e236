using Trellis.Core;

namespace Trellis.Ledger.Governance;

/// <summary>The fixed addresses of the governance system contracts (0x…1000 to 0x…1005).</summary>
public static class GovernanceAddresses
{
    /// <summary>The last two address bytes of the first contract, the committee (0x1000).</summary>
    public const int First = 0x1000;

    /// <summary>The last two address bytes of the last contract, chain configuration (0x1005).</summary>
    public const int Last = 0x1005;

    /// <summary>ICommittee: member organisations, weights, admins, threshold.</summary>
    public static readonly Address Committee = At(0x1000);

    /// <summary>IGovernance: proposals and votes.</summary>
    public static readonly Address Governance = At(0x1001);

    /// <summary>INodeRegistry: admitted nodes, roles, keys, TLS fingerprints.</summary>
    public static readonly Address NodeRegistry = At(0x1002);

    /// <summary>IPermissions: open or permissioned chain, account rights.</summary>
    public static readonly Address Permissions = At(0x1003);

    /// <summary>IContractAdmin: frozen contracts, approved upgrades.</summary>
    public static readonly Address ContractAdmin = At(0x1004);

    /// <summary>IChainConfig: chain configuration overrides.</summary>
    public static readonly Address ChainConfig = At(0x1005);

    /// <summary>Every governance address, in address order.</summary>
    public static IReadOnlyList<Address> All { get; } = [Committee, Governance, NodeRegistry, Permissions, ContractAdmin, ChainConfig];

    /// <summary>True if <paramref name="address"/> is one of the governance contracts; <paramref name="offset"/> is its index in <see cref="All"/>.</summary>
    public static bool TryGetIndex(in Address address, out int offset)
    {
        ReadOnlySpan<byte> bytes = address.Bytes;
        int low = (bytes[18] << 8) | bytes[19];
        offset = low - First;
        return low is >= First and <= Last && bytes[..18].IndexOfAnyExcept((byte)0) < 0;
    }

    private static Address At(int low)
    {
        Span<byte> bytes = stackalloc byte[Address.Length];
        bytes.Clear();
        bytes[18] = (byte)(low >> 8);
        bytes[19] = (byte)low;
        return new Address(bytes);
    }
}
