namespace Trellis.Ledger.Governance;

/// <summary>A chain configuration value governance can set (IChainConfig keys).</summary>
public enum ChainSetting : byte
{
    /// <summary>"blockGasLimit": the most gas a block may use (at least 21000).</summary>
    BlockGasLimit = 1,

    /// <summary>"blockIntervalMs": target time between blocks.</summary>
    BlockIntervalMs = 2,

    /// <summary>"viewTimeoutMs": consensus view or election timeout.</summary>
    ViewTimeoutMs = 3,

    /// <summary>"maxTransactionsPerBlock".</summary>
    MaxTransactionsPerBlock = 4,

    /// <summary>"txPoolMaxCount".</summary>
    TxPoolMaxCount = 5,

    /// <summary>"txPoolMaxBytes".</summary>
    TxPoolMaxBytes = 6,

    /// <summary>"txPoolMaxTxBytes".</summary>
    TxPoolMaxTxBytes = 7,

    /// <summary>"proposalLifetimeBlocks": blocks a new proposal stays open (default <see cref="GovernanceRules.DefaultProposalLifetimeBlocks"/>).</summary>
    ProposalLifetimeBlocks = 8,
}
