namespace Trellis.Ledger.Governance;

/// <summary>The fixed rules and bounds of governance (docs/governance.md).</summary>
public static class GovernanceRules
{
    /// <summary>
    /// A node change executed in block h takes effect at height h + <see cref="ActivationDelay"/>: the block after
    /// the executing one (which may already be in flight in a pipelined engine) still uses the old set.
    /// </summary>
    public const ulong ActivationDelay = 2;

    /// <summary>Blocks a proposal stays open unless the chain configuration says otherwise.</summary>
    public const ulong DefaultProposalLifetimeBlocks = 86_400;

    /// <summary>The default threshold numerator: a proposal passes with more than 2/3 of the total weight.</summary>
    public const ulong DefaultThresholdNumerator = 2;

    /// <summary>The default threshold denominator.</summary>
    public const ulong DefaultThresholdDenominator = 3;

    /// <summary>The most member organisations.</summary>
    public const int MaxMembers = 64;

    /// <summary>The most admin accounts per member.</summary>
    public const int MaxAdminsPerMember = 8;

    /// <summary>The most registered nodes (removed ones included).</summary>
    public const int MaxNodes = 1024;

    /// <summary>The longest member or node name, in UTF-8 bytes.</summary>
    public const int MaxNameBytes = 64;

    /// <summary>The largest member weight.</summary>
    public const ulong MaxWeight = 1_000_000;

    /// <summary>The largest threshold denominator.</summary>
    public const ulong MaxThresholdDenominator = 1_000_000;

    /// <summary>The longest reason a certificate revocation may carry, in UTF-8 bytes.</summary>
    public const int MaxRevocationReasonBytes = 256;

    /// <summary>The most revoked certificates the ledger records.</summary>
    public const int MaxRevokedCertificates = 65_536;

    /// <summary>The longest proposal payload (the propose call's arguments), in bytes.</summary>
    public const int MaxPayloadBytes = 2048;

    private static readonly string[] SettingNames =
        ["", "blockGasLimit", "blockIntervalMs", "viewTimeoutMs", "maxTransactionsPerBlock", "txPoolMaxCount", "txPoolMaxBytes", "txPoolMaxTxBytes", "proposalLifetimeBlocks"];

    /// <summary>The IChainConfig key of a setting ("blockGasLimit", ...).</summary>
    public static string NameOf(ChainSetting setting) =>
        (int)setting is > 0 and < 9 ? SettingNames[(int)setting] : throw new ArgumentOutOfRangeException(nameof(setting), setting, "not a chain setting");

    /// <summary>Parses an IChainConfig key (case-sensitive).</summary>
    public static bool TryParseSetting(string key, out ChainSetting setting)
    {
        int index = Array.IndexOf(SettingNames, key);
        setting = (ChainSetting)Math.Max(index, 0);
        return index > 0;
    }

    /// <summary>The values governance may set for <paramref name="setting"/> (inclusive).</summary>
    public static (ulong Min, ulong Max) RangeOf(ChainSetting setting) => setting switch
    {
        ChainSetting.BlockGasLimit => (21_000, long.MaxValue),
        ChainSetting.TxPoolMaxBytes => (1, long.MaxValue),
        ChainSetting.ProposalLifetimeBlocks => (1, 100_000_000),
        _ => (1, int.MaxValue),
    };
}
