using Trellis.Evm.SystemContracts;

namespace Trellis.Ledger.Governance;

/// <summary>IPermissions at 0x…1003 (views only).</summary>
internal sealed class PermissionsContract : NativeContract
{
    public PermissionsContract()
        : base(GovernanceAddresses.Permissions, "IPermissions", "permissioned()", "rightsOf(address)", "canTransact(address)", "canDeploy(address)")
    {
    }

    protected override byte[] Run(string signature, ReadOnlySpan<byte> arguments, GovernanceStore store, SystemCall call)
    {
        var abi = new AbiReader(arguments);
        return signature switch
        {
            "permissioned()" => Word(store.Permissioned),
            "rightsOf(address)" => Word((ulong)store.RightsOf(abi.Address(0, "account"))),
            "canTransact(address)" => Word(store.CanTransact(abi.Address(0, "account"))),
            _ => Word(store.CanDeploy(abi.Address(0, "account"))),
        };
    }
}
