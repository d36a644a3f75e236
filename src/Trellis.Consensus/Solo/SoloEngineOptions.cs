using Trellis.Core;
using Trellis.Ledger.Genesis;

namespace Trellis.Consensus.Solo;

/// <summary>How the Solo engine builds blocks.</summary>
public sealed record SoloEngineOptions
{
    /// <summary>Least time between two committed blocks.</summary>
    public required TimeSpan BlockInterval { get; init; }

    /// <summary>Most transactions in one block.</summary>
    public required int MaxTransactionsPerBlock { get; init; }

    /// <summary>Most gas one block may use.</summary>
    public required ulong BlockGasLimit { get; init; }

    /// <summary>The proposer (COINBASE) of every block.</summary>
    public required Address Proposer { get; init; }

    /// <summary>The options a chain's configuration gives, with <paramref name="proposer"/> as the block proposer.</summary>
    public static SoloEngineOptions FromChain(ChainConfig config, Address proposer)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new SoloEngineOptions
        {
            BlockInterval = TimeSpan.FromMilliseconds(config.Consensus.BlockIntervalMs),
            MaxTransactionsPerBlock = config.Consensus.MaxTransactionsPerBlock,
            BlockGasLimit = config.BlockGasLimit,
            Proposer = proposer,
        };
    }

    /// <summary>Checks every value, naming the first bad one.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        if (BlockInterval < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(BlockInterval), BlockInterval, $"Solo block interval must not be negative, got {BlockInterval}");
        }

        if (MaxTransactionsPerBlock < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxTransactionsPerBlock), MaxTransactionsPerBlock, $"Solo needs at least 1 transaction per block, got {MaxTransactionsPerBlock}");
        }

        if (BlockGasLimit is < 21_000 or > long.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(BlockGasLimit), BlockGasLimit, $"Solo block gas limit must be from 21000 to {long.MaxValue}, got {BlockGasLimit}");
        }
    }
}
