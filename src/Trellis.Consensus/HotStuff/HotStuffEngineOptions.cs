using Trellis.Ledger.Genesis;

namespace Trellis.Consensus.HotStuff;

/// <summary>How the HotStuff engine builds blocks and paces views; <see cref="FromChain"/> reads them from the chain configuration.</summary>
public sealed record HotStuffEngineOptions
{
    /// <summary>Least time between a block and its child on one chain (<c>consensus.blockIntervalMs</c>).</summary>
    public required TimeSpan BlockInterval { get; init; }

    /// <summary>Most transactions in one block (<c>consensus.maxTransactionsPerBlock</c>).</summary>
    public required int MaxTransactionsPerBlock { get; init; }

    /// <summary>Most gas one block may use (<c>blockGasLimit</c>); every proposal must carry exactly this limit.</summary>
    public required ulong BlockGasLimit { get; init; }

    /// <summary>How long a view with work waits for progress before timing out (<c>consensus.viewTimeoutMs</c>).</summary>
    public required TimeSpan ViewTimeout { get; init; }

    /// <summary>The back-off cap on view timeouts (default 16 × the view timeout, at most 2 minutes).</summary>
    public TimeSpan? MaxViewTimeout { get; init; }

    /// <summary>
    /// Directory for the safety file (<c>hotstuff-safety</c> and its block log): the node's data directory. Null
    /// keeps safety data in memory only (tests; an observer needs none).
    /// </summary>
    public string? DataDirectory { get; init; }

    /// <summary>Consecutive views each validator leads (see <see cref="ValidatorSet(IReadOnlyList{Crypto.PublicKey}, int)"/>); every node of a chain must use the same value.</summary>
    public int ViewsPerLeader { get; init; } = 2;

    /// <summary>How often the engine's clock ticks the replica (view timeouts, fetch retries, delayed proposals).</summary>
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromMilliseconds(25);

    /// <summary>How far ahead of this node's clock a proposal's timestamp may be.</summary>
    public TimeSpan MaxClockAhead { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Committed HotStuff blocks kept in memory for peers that fetch them (older ones come from block sync).</summary>
    public int CommittedBlocksRetained { get; init; } = 8;

    /// <summary>Most blocks in one block response (ledger blocks can be megabytes).</summary>
    public int MaxBlocksPerResponse { get; init; } = 8;

    /// <summary>Received messages queued for the engine thread before more are dropped (consensus tolerates loss).</summary>
    public int MaxQueuedMessages { get; init; } = 4096;

    /// <summary>The largest consensus message accepted, in bytes.</summary>
    public int MaxMessageBytes { get; init; } = 64 * 1024 * 1024;

    /// <summary>The options a chain's configuration gives; <paramref name="dataDirectory"/> holds the safety file.</summary>
    public static HotStuffEngineOptions FromChain(ChainConfig chain, string? dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(chain);
        return new HotStuffEngineOptions
        {
            BlockInterval = TimeSpan.FromMilliseconds(chain.Consensus.BlockIntervalMs),
            MaxTransactionsPerBlock = chain.Consensus.MaxTransactionsPerBlock,
            BlockGasLimit = chain.BlockGasLimit,
            ViewTimeout = TimeSpan.FromMilliseconds(chain.Consensus.ViewTimeoutMs),
            DataDirectory = dataDirectory,
        };
    }

    /// <summary>The replica tuning these options give.</summary>
    public HotStuffOptions ToReplicaOptions()
    {
        long baseTimeout = (long)ViewTimeout.TotalMilliseconds;
        long maxTimeout = (long)(MaxViewTimeout ?? TimeSpan.FromMilliseconds(Math.Min(120_000, baseTimeout * 16))).TotalMilliseconds;
        return new HotStuffOptions
        {
            BaseTimeout = baseTimeout,
            MaxTimeout = Math.Max(baseTimeout, maxTimeout),
            FetchRetryInterval = Math.Max(50, baseTimeout / 4),
            MaxBlocksPerResponse = MaxBlocksPerResponse,
            CommittedBlocksRetained = CommittedBlocksRetained,
        };
    }

    /// <summary>Checks every value, naming the first bad one.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        if (BlockInterval < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(BlockInterval), BlockInterval, $"HotStuff block interval must not be negative, got {BlockInterval}");
        }

        if (MaxTransactionsPerBlock < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxTransactionsPerBlock), MaxTransactionsPerBlock, $"HotStuff needs at least 1 transaction per block, got {MaxTransactionsPerBlock}");
        }

        if (BlockGasLimit is < 21_000 or > long.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(BlockGasLimit), BlockGasLimit, $"HotStuff block gas limit must be from 21000 to {long.MaxValue}, got {BlockGasLimit}");
        }

        if (ViewTimeout < TimeSpan.FromMilliseconds(10))
        {
            throw new ArgumentOutOfRangeException(nameof(ViewTimeout), ViewTimeout, $"HotStuff view timeout must be at least 10 ms, got {ViewTimeout}");
        }

        if (TickInterval <= TimeSpan.Zero || TickInterval > TimeSpan.FromSeconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(TickInterval), TickInterval, $"HotStuff tick interval must be in (0, 1 s], got {TickInterval}");
        }

        if (MaxClockAhead < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxClockAhead), MaxClockAhead, $"HotStuff clock allowance must not be negative, got {MaxClockAhead}");
        }

        if (ViewsPerLeader < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ViewsPerLeader), ViewsPerLeader, $"HotStuff views per leader must be at least 1, got {ViewsPerLeader}");
        }

        if (CommittedBlocksRetained < 1 || MaxBlocksPerResponse < 1 || MaxQueuedMessages < 1 || MaxMessageBytes < 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(CommittedBlocksRetained), "HotStuff retained blocks, blocks per response and queued messages must be at least 1, and the message limit at least 1024 bytes");
        }
    }
}
