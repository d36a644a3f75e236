using Trellis.Core;
using Trellis.Evm.SystemContracts;
using Trellis.State;

namespace Trellis.Ledger.Governance;

/// <summary>
/// The governance system contracts as the EVM sees them: the six native contracts at 0x…1000..0x…1005, and the
/// frozen-contract rule (calls into a contract frozen by governance revert with "contract frozen"). Stateless:
/// every value lives in the contracts' storage, so one instance serves every chain and thread.
/// </summary>
public sealed class GovernanceContracts : ISystemContractHost
{
    private readonly NativeContract[] _contracts =
    [
        new CommitteeContract(),
        new ProposalsContract(),
        new NodeRegistryContract(),
        new PermissionsContract(),
        new ContractAdminContract(),
        new ChainConfigContract(),
    ];

    private GovernanceContracts()
    {
    }

    /// <summary>The one instance.</summary>
    public static GovernanceContracts Instance { get; } = new();

    /// <summary>The contracts, in address order.</summary>
    public IReadOnlyList<ISystemContract> Contracts => _contracts;

    /// <summary>The Solidity signatures each contract answers, by address (for tools and tests).</summary>
    public IReadOnlyDictionary<Address, IReadOnlyList<string>> Functions =>
        _contracts.ToDictionary(c => c.Address, c => (IReadOnlyList<string>)[.. c.Signatures]);

    /// <inheritdoc />
    public ISystemContract? Find(in Address address) =>
        GovernanceAddresses.TryGetIndex(address, out int index) ? _contracts[index] : null;

    /// <inheritdoc />
    public string? RefuseCall(IWorldState state, in Address codeAddress)
    {
        ArgumentNullException.ThrowIfNull(state);

        // One (cached) slot read per call while nothing is frozen.
        if (state.GetStorage(GovernanceAddresses.ContractAdmin, GovernanceStore.FrozenCountSlot).IsZero)
        {
            return null;
        }

        return state.GetStorage(GovernanceAddresses.ContractAdmin, GovernanceStore.FrozenSlot(codeAddress)).IsZero
            ? null
            : $"contract frozen: {codeAddress} was frozen by governance";
    }
}
