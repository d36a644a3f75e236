using Trellis.Evm.SystemContracts;

namespace Trellis.Ledger.Governance;

/// <summary>IContractAdmin at 0x…1004 (views only).</summary>
internal sealed class ContractAdminContract : NativeContract
{
    public ContractAdminContract()
        : base(GovernanceAddresses.ContractAdmin, "IContractAdmin", "isFrozen(address)", "approvedCodeHash(address)")
    {
    }

    protected override byte[] Run(string signature, ReadOnlySpan<byte> arguments, GovernanceStore store, SystemCall call)
    {
        var abi = new AbiReader(arguments);
        return signature == "isFrozen(address)"
            ? Word(store.IsFrozen(abi.Address(0, "target")))
            : new AbiWriter().Bytes32(store.ApprovedCodeHash(abi.Address(0, "target"))).ToArray();
    }
}
