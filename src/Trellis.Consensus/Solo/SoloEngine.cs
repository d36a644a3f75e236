using System.Threading.Channels;
using Trellis.Core;
using Trellis.Crypto;
using Trellis.Ledger.Blocks;
using Trellis.Ledger.Execution;
using Trellis.Ledger.Pool;
using Trellis.Ledger.Storage;
using Trellis.Ledger.Transactions;
using Trellis.State;
using Trellis.State.Storage;

namespace Trellis.Consensus.Solo;

/// <summary>
/// One node decides alone (development chains). A single loop owns block building: it sleeps until a transaction
/// arrives, takes the pool's executable transactions, executes them on the head state (skipping any that turned
/// invalid), commits the block with its state, receipts and indexes in one batch, prunes the pool and raises
/// <see cref="BlockCommitted"/>. Blocks follow each other as fast as transactions arrive, but two commits are never
/// closer than <see cref="SoloEngineOptions.BlockInterval"/>, and no empty block is ever made.
/// </summary>
public sealed class SoloEngine : IConsensusEngine
{
    private readonly SoloEngineOptions _options;
    private readonly ICryptoSuite _suite;
    private readonly IKeyValueStore _store;
    private readonly BlockStore _blocks;
    private readonly BlockExecutor _executor;
    private readonly TxPool _pool;
    private readonly TimeProvider _time;

    // A doorbell, not a queue: one pending wake-up is enough, because each round takes everything executable.
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;
    private int _wakeQueued; // 1 while a wake-up is queued in _wake

    // Owned by the loop.
    private long _lastCommitTimestamp;
    private bool _hasCommitted;

    /// <summary>
    /// Creates an engine that builds on <paramref name="blocks"/> (already initialised, over <paramref name="store"/>)
    /// with transactions from <paramref name="pool"/>.
    /// </summary>
    public SoloEngine(SoloEngineOptions options, ICryptoSuite suite, IKeyValueStore store, BlockStore blocks, BlockExecutor executor, TxPool pool, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(suite);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(blocks);
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(pool);
        options.Validate();
        _options = options;
        _suite = suite;
        _store = store;
        _blocks = blocks;
        _executor = executor;
        _pool = pool;
        _time = time ?? TimeProvider.System;
    }

    /// <inheritdoc/>
    public string Name => "solo";

    /// <inheritdoc/>
    public Task Completion => _loop ?? Task.CompletedTask;

    /// <summary>Blocks this engine committed since it started.</summary>
    public long BlocksCommitted { get; private set; }

    /// <inheritdoc/>
    public event EventHandler<BlockCommittedEventArgs>? BlockCommitted;

    /// <inheritdoc/>
    public void Start()
    {
        if (_loop is not null)
        {
            throw new InvalidOperationException("the Solo engine was already started");
        }

        CancellationToken token = _stopping.Token;
        _loop = Task.Run(() => RunAsync(token), CancellationToken.None);

        // Transactions may have been pooled before the start (for example by a restarted node's clients).
        Wake();
    }

    /// <inheritdoc/>
    public TxPoolResult Submit(ReadOnlySpan<byte> rawTransaction)
    {
        TxPoolResult result = _pool.TryAdd(rawTransaction);
        if (result.IsAccepted)
        {
            Wake();
        }

        return result;
    }

    /// <inheritdoc/>
    public TxPoolResult[] SubmitRange(IReadOnlyList<ReadOnlyMemory<byte>> rawTransactions)
    {
        TxPoolResult[] results = PoolUpkeep.AddRange(_pool, rawTransactions, out bool accepted);
        if (accepted)
        {
            Wake();
        }

        return results;
    }

    /// <summary>Tells the engine that the pool may hold executable transactions (for ones added to the pool directly).</summary>
    public void Wake()
    {
        // Called once per admitted transaction from many RPC threads: the flag spares them the channel's lock while
        // a wake-up is already queued (profiled: that lock was 3% of a solo node's CPU at a few thousand tx/s).
        if (Interlocked.Exchange(ref _wakeQueued, 1) == 0)
        {
            _wake.Writer.TryWrite(true);
        }
    }

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken) =>
        await EngineLoop.StopAsync(_stopping, _loop, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await EngineLoop.StopQuietlyAsync(this).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await _wake.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);

            // Cleared before the pool is read: a transaction admitted from now on queues a new wake-up.
            Volatile.Write(ref _wakeQueued, 0);
            if (_hasCommitted)
            {
                TimeSpan wait = _options.BlockInterval - _time.GetElapsedTime(_lastCommitTimestamp);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
                }
            }

            // Building and committing is not cancelled half-way: a stop waits for the block in progress.
            if (ProduceBlock() && _pool.Count > 0)
            {
                // More may be executable than fitted in this block: come round again (after the interval).
                Wake();
            }
        }
    }

    /// <summary>Builds, commits and announces one block from the pool; false when there was nothing to include.</summary>
    internal bool ProduceBlock()
    {
        IReadOnlyList<VerifiedTransaction> pending = _pool.GetPending(_options.MaxTransactionsPerBlock, (long)_options.BlockGasLimit);
        if (pending.Count == 0)
        {
            return false;
        }

        BlockHeader parent = _blocks.Head ?? throw new InvalidOperationException("the block store is empty; initialise it with the chain's genesis before starting Solo");
        var state = new WorldState(_store, _suite, parent.StateRoot);
        ulong now = (ulong)Math.Max(0, _time.GetUtcNow().ToUnixTimeSeconds());
        var context = new BlockProposalContext(parent.Height + 1, Math.Max(parent.Timestamp, now), _options.Proposer, _options.BlockGasLimit, _blocks.GetBlockHash);
        BlockExecutionResult result = _executor.Execute(state, parent, context, pending, skipInvalid: true);
        if (!result.IsValid)
        {
            throw new InvalidOperationException($"Solo built an invalid block {context.Height}: {result.InvalidReason}");
        }

        PoolUpkeep.DropSkipped(_pool, result);

        if (result.Transactions.Count == 0)
        {
            return false;
        }

        Block block = result.Block;
        _blocks.Commit(block, result, state);
        _lastCommitTimestamp = _time.GetTimestamp();
        _hasCommitted = true;
        BlocksCommitted++;

        BlockCommitted?.Invoke(this, PoolUpkeep.OnCommitted(_pool, block, _blocks.HeadHash, result, state));
        return true;
    }
}
