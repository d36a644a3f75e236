using System.Reflection;
using Trellis.Sdk.Abi;

namespace Trellis.Sdk.Governance;

/// <summary>
/// The ABIs of the six governance contracts, as solc wrote them to <c>contracts/abi</c>; embedded in this assembly
/// so the SDK and the contracts can never disagree about a selector.
/// </summary>
public static class GovernanceAbis
{
    private static readonly Lazy<ContractAbi> CommitteeAbi = new(() => Load("ICommittee"));
    private static readonly Lazy<ContractAbi> GovernanceAbi = new(() => Load("IGovernance"));
    private static readonly Lazy<ContractAbi> NodeRegistryAbi = new(() => Load("INodeRegistry"));
    private static readonly Lazy<ContractAbi> PermissionsAbi = new(() => Load("IPermissions"));
    private static readonly Lazy<ContractAbi> ContractAdminAbi = new(() => Load("IContractAdmin"));
    private static readonly Lazy<ContractAbi> ChainConfigAbi = new(() => Load("IChainConfig"));

    /// <summary><c>ICommittee</c> at 0x…1000.</summary>
    public static ContractAbi Committee => CommitteeAbi.Value;

    /// <summary><c>IGovernance</c> at 0x…1001.</summary>
    public static ContractAbi Governance => GovernanceAbi.Value;

    /// <summary><c>INodeRegistry</c> at 0x…1002.</summary>
    public static ContractAbi NodeRegistry => NodeRegistryAbi.Value;

    /// <summary><c>IPermissions</c> at 0x…1003.</summary>
    public static ContractAbi Permissions => PermissionsAbi.Value;

    /// <summary><c>IContractAdmin</c> at 0x…1004.</summary>
    public static ContractAbi ContractAdmin => ContractAdminAbi.Value;

    /// <summary><c>IChainConfig</c> at 0x…1005.</summary>
    public static ContractAbi ChainConfig => ChainConfigAbi.Value;

    private static ContractAbi Load(string name)
    {
        string resource = "Trellis.Sdk.Governance." + name + ".abi.json";
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"the SDK assembly lacks the embedded ABI {resource}; it is built from contracts/abi/{name}.abi.json");
        using var reader = new StreamReader(stream);
        return ContractAbi.Parse(reader.ReadToEnd());
    }
}
