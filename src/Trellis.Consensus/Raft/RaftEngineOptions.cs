using Trellis.Ledger.Genesis;

namespace Trellis.Consensus.Raft;

/// <summary>How the Raft engine builds blocks and times elections; <see cref="FromChain"/> reads them from the chain configuration.</summary>
public sealed record RaftEngineOptions
{
    /// <summary>Least time between two proposals (<c>consensus.blockIntervalMs</c>).</summary>
    public required TimeSpan BlockInterval { get; init; }

    /// <summary>Most transactions in one block (<c>consensus.maxTransactionsPerBlock</c>).</summary>
    public required int MaxTransactionsPerBlock { get; init; }

    /// <summary>Most gas one block may use (<c>blockGasLimit</c>).</summary>
    public required ulong BlockGasLimit { get; init; }

    /// <summary>The least election timeout (<c>consensus.viewTimeoutMs</c>); each is drawn from [this, 2 × this).</summary>
    public required TimeSpan ElectionTimeout { get; init; }

    /// <summary>How often an idle leader sends heartbeats; null for a tenth of the election timeout, at most 100 ms.</summary>
    public TimeSpan? HeartbeatInterval { get; init; }

    /// <summary>Directory for the Raft log file (<c>raft-log</c>): the node's data directory. Null keeps it in memory (tests).</summary>
    public string? DataDirectory { get; init; }

    /// <summary>How often the engine's clock ticks the replica.</summary>
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Applied blocks kept in memory for followers a little behind (further behind, they use block sync).</summary>
    public int RetainedAppliedEntries { get; init; } = 16;

    /// <summary>Received messages queued for the engine thread before more are dropped (Raft tolerates loss).</summary>
    public int MaxQueuedMessages { get; init; } = 4096;

    /// <summary>The largest consensus message accepted, in bytes.</summary>
    public int MaxMessageBytes { get; init; } = 64 * 1024 * 1024;

    /// <summary>The options a chain's configuration gives; <paramref name="dataDirectory"/> holds the Raft log.</summary>
    public static RaftEngineOptions FromChain(ChainConfig chain, string? dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(chain);
        return new RaftEngineOptions
        {
            BlockInterval = TimeSpan.FromMilliseconds(chain.Consensus.BlockIntervalMs),
            MaxTransactionsPerBlock = chain.Consensus.MaxTransactionsPerBlock,
            BlockGasLimit = chain.BlockGasLimit,
            ElectionTimeout = TimeSpan.FromMilliseconds(chain.Consensus.ViewTimeoutMs),
            DataDirectory = dataDirectory,
        };
    }

    /// <summary>The replica tuning these options give (times in milliseconds).</summary>
    public RaftOptions ToReplicaOptions()
    {
        long election = (long)ElectionTimeout.TotalMilliseconds;
        long heartbeat = HeartbeatInterval is TimeSpan given ? (long)given.TotalMilliseconds : Math.Clamp(election / 10, 1, 100);
        return new RaftOptions
        {
            ElectionTimeout = election,
            HeartbeatInterval = heartbeat,
            RetainedAppliedEntries = RetainedAppliedEntries,
            MaxBytesPerMessage = Math.Max(1, MaxMessageBytes / 4),
            OneProposalInFlight = true,
        };
    }

    /// <summary>Checks every value, naming the first bad one.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        if (BlockInterval < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(BlockInterval), BlockInterval, $"Raft block interval must not be negative, got {BlockInterval}");
        }

        if (MaxTransactionsPerBlock < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxTransactionsPerBlock), MaxTransactionsPerBlock, $"Raft needs at least 1 transaction per block, got {MaxTransactionsPerBlock}");
        }

        if (BlockGasLimit is < 21_000 or > long.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(BlockGasLimit), BlockGasLimit, $"Raft block gas limit must be from 21000 to {long.MaxValue}, got {BlockGasLimit}");
        }

        if (TickInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(TickInterval), TickInterval, $"Raft tick interval must be positive, got {TickInterval}");
        }

        if (MaxQueuedMessages < 1 || MaxMessageBytes < 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxQueuedMessages), MaxQueuedMessages, $"Raft needs a positive message queue and at least 1024-byte messages, got {MaxQueuedMessages} and {MaxMessageBytes}");
        }

        ToReplicaOptions().Validate();
    }
}
