using Trellis.Evm.SystemContracts;

namespace Trellis.Ledger.Governance;

/// <summary>IChainConfig at 0x…1005 (views only).</summary>
internal sealed class ChainConfigContract : NativeContract
{
    public ChainConfigContract()
        : base(GovernanceAddresses.ChainConfig, "IChainConfig", "valueOf(string)")
    {
    }

    protected override byte[] Run(string signature, ReadOnlySpan<byte> arguments, GovernanceStore store, SystemCall call)
    {
        string key = new AbiReader(arguments).String(0, "key", GovernanceRules.MaxNameBytes);
        return GovernanceRules.TryParseSetting(key, out ChainSetting setting)
            ? Word(store.Setting(setting))
            : throw new GovernanceRevertException($"unknown chain config key \"{key}\"");
    }
}
