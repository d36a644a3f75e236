using System.Threading.Channels;
using Trellis.Consensus;
using Trellis.Core;
using Trellis.Crypto;
using Trellis.Evm;
using Trellis.Evm.Processing;
using Trellis.Ledger.Blocks;
using Trellis.Ledger.Genesis;
using Trellis.Ledger.Governance;
using Trellis.Ledger.Pool;
using Trellis.Ledger.Storage;
using Trellis.Ledger.Transactions;
using Trellis.Node.JsonRpc;
using Trellis.Node.P2p;
using Trellis.Node.Rpc;
using Trellis.State;
using Trellis.State.Storage;
using EvmAccessListEntry = Trellis.Evm.Processing.AccessListEntry;

namespace Trellis.Node;

/// <summary>
/// The node's answers to the eth_ methods: blocks, transactions, receipts and logs from the <see cref="BlockStore"/>,
/// account state from the world state at the asked block, pending data and submission through the pool and the
/// consensus engine, and eth_call / eth_estimateGas on a throw-away copy of the state (nothing is ever written).
/// Committed blocks and accepted transactions are forwarded to the RPC layer's event channels.
/// </summary>
/// <remarks>Thread-safe: reads go to the store (itself thread-safe); each call gets its own world state.</remarks>
public sealed class EthBackend : IEthBackend
{
    /// <summary>Committed blocks queued for the RPC event hub before the oldest are dropped.</summary>
    public const int EventQueueCapacity = 4096;

    /// <summary>Pending-transaction hashes queued for filters and subscriptions before new ones are dropped.</summary>
    public const int PendingQueueCapacity = EventQueueCapacity * 16;

    private const int RecentBlockCapacity = 256;

    private readonly ChainConfig _chain;
    private readonly ICryptoSuite _suite;
    private readonly IKeyValueStore _store;
    private readonly BlockStore _blocks;
    private readonly TxPool _pool;
    private readonly IConsensusEngine _engine;
    private readonly TransactionValidator _validator;
    private readonly TransactionProcessor _processor;
    private readonly int _maxLogResults;
    private readonly Channel<NewBlockEvent> _newBlocks;
    private readonly Channel<Hash256> _newPending;
    private readonly CountingReader _pendingReader;
    private int _pendingQueued;

    // Senders and hashes of recently committed blocks, so block queries need not recover signatures. Guarded by itself.
    private readonly Dictionary<Hash256, BlockExtras> _recent = [];
    private readonly Queue<Hash256> _recentOrder = new();

    /// <summary>Creates the backend and subscribes to <paramref name="engine"/>'s committed blocks.</summary>
    public EthBackend(ChainConfig chain, IKeyValueStore store, BlockStore blocks, TxPool pool, IConsensusEngine engine, int maxLogResults = 10_000)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(blocks);
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxLogResults);
        _chain = chain;
        _suite = chain.Suite;
        _store = store;
        _blocks = blocks;
        _pool = pool;
        _engine = engine;
        _maxLogResults = maxLogResults;
        _validator = new TransactionValidator(_suite, chain.ChainId, requireReplayProtection: false);
        _processor = new TransactionProcessor(_suite, GovernanceContracts.Instance);

        // A lagging event reader loses the oldest events rather than slowing block production.
        _newBlocks = Channel.CreateBounded<NewBlockEvent>(new BoundedChannelOptions(EventQueueCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        // Written once per admitted transaction from many RPC threads: a bounded channel's lock was 6% of a solo
        // node's CPU under load (profiled), so this one is unbounded (lock-free writes) and bounded by the writers.
        _newPending = Channel.CreateUnbounded<Hash256>(new UnboundedChannelOptions { SingleReader = true });
        _pendingReader = new CountingReader(this);
        engine.BlockCommitted += OnBlockCommitted;
    }

    /// <inheritdoc/>
    public ulong ChainId => _chain.ChainId;

    /// <inheritdoc/>
    public ulong HeadNumber => Head.Height;

    /// <inheritdoc/>
    public ulong SafeNumber => HeadNumber;

    /// <inheritdoc/>
    public ulong FinalizedNumber => HeadNumber;

    /// <inheritdoc/>
    public int PeerCount => Network?.PeerCount ?? 0;

    /// <summary>
    /// The node's peer network, or null without one (solo): it supplies the peer count and sync progress, and
    /// transactions accepted here are handed to it for gossip to the validators.
    /// </summary>
    public IPeerNetwork? Network { get; init; }

    /// <inheritdoc/>
    public ChannelReader<NewBlockEvent> NewBlocks => _newBlocks.Reader;

    /// <inheritdoc/>
    public ChannelReader<Hash256> NewPendingTransactions => _pendingReader;

    private BlockHeader Head => _blocks.Head ?? throw new InvalidOperationException("the block store has no genesis block");

    /// <inheritdoc/>
    public RpcBlock? GetBlock(ulong number)
    {
        Hash256? hash = _blocks.GetBlockHash(number);
        return hash is null ? null : GetBlock(hash.Value);
    }

    /// <inheritdoc/>
    public RpcBlock? GetBlock(Hash256 hash)
    {
        Block? block = _blocks.GetBlock(hash);
        if (block is null)
        {
            return null;
        }

        BlockExtras extras = GetExtras(block, hash);
        return RpcMapper.ToBlock(block, hash, extras.TransactionHashes, extras.Senders);
    }

    /// <inheritdoc/>
    public ulong? GetBlockNumber(Hash256 hash) => _blocks.GetHeader(hash)?.Height;

    /// <inheritdoc/>
    public RpcTransaction? GetTransaction(Hash256 hash)
    {
        TransactionLocation? location = _blocks.FindTransaction(hash);
        if (location is not null)
        {
            return RpcMapper.ToTransaction(location.Transaction, hash, location.Sender, location.BlockHash, location.BlockHeight, (ulong)location.Index);
        }

        VerifiedTransaction? pending = _pool.Find(hash);
        return pending is null ? null : RpcMapper.ToTransaction(pending.Transaction, hash, pending.Sender, null, null, null);
    }

    /// <inheritdoc/>
    public RpcReceipt? GetReceipt(Hash256 transactionHash)
    {
        TransactionLocation? location = _blocks.FindTransaction(transactionHash);
        if (location is null)
        {
            return null;
        }

        RpcTransaction view = RpcMapper.ToTransaction(location.Transaction, transactionHash, location.Sender, location.BlockHash, location.BlockHeight, (ulong)location.Index);
        ulong previous = location.Receipt.CumulativeGasUsed - location.GasUsed;
        return RpcMapper.ToReceipt(_suite, location.Transaction, view, location.Receipt, previous, (ulong)location.FirstLogIndex);
    }

    /// <inheritdoc/>
    public IReadOnlyList<RpcReceipt>? GetBlockReceipts(ulong number)
    {
        Hash256? hash = _blocks.GetBlockHash(number);
        if (hash is null || _blocks.GetBlock(hash.Value) is not { } block || _blocks.GetReceipts(hash.Value) is not { } receipts)
        {
            return null;
        }

        BlockExtras extras = GetExtras(block, hash.Value);
        return RpcMapper.ToReceipts(_suite, block, hash.Value, extras.TransactionHashes, extras.Senders, receipts);
    }

    /// <inheritdoc/>
    public IReadOnlyList<RpcLog> GetLogs(LogQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var filter = new LogFilter
        {
            FromBlock = query.FromBlock,
            ToBlock = query.ToBlock,
            Addresses = query.Criteria.Addresses,
            Topics = query.Criteria.Topics,
        };
        IReadOnlyList<IndexedLog> found;
        try
        {
            found = _blocks.GetLogs(filter, _maxLogResults);
        }
        catch (LogQueryException e)
        {
            throw new JsonRpcException(JsonRpcErrorCodes.LimitExceeded, e.Message);
        }

        var logs = new RpcLog[found.Count];
        for (int i = 0; i < logs.Length; i++)
        {
            IndexedLog log = found[i];
            logs[i] = RpcMapper.ToLog(log.Log, log.BlockHeight, log.BlockHash, log.TransactionHash, (ulong)log.TransactionIndex, (ulong)log.LogIndex);
        }

        return logs;
    }

    /// <inheritdoc/>
    public IEthStateView? GetState(ulong number)
    {
        BlockHeader? header = _blocks.GetHeader(number);
        return header is null ? null : new WorldStateView(new WorldState(_store, _suite, header.StateRoot));
    }

    /// <inheritdoc/>
    public ulong GetPendingNonce(Address address) => _pool.GetPendingNonce(address);

    /// <inheritdoc/>
    public ValueTask<SendTransactionResult> SendRawTransactionAsync(ReadOnlyMemory<byte> transaction, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Announce(transaction, _engine.Submit(transaction.Span)));

    /// <inheritdoc/>
    public ValueTask<SendTransactionResult[]> SendRawTransactionsAsync(IReadOnlyList<ReadOnlyMemory<byte>> transactions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transactions);
        TxPoolResult[] pooled = _engine.SubmitRange(transactions);
        var results = new SendTransactionResult[pooled.Length];
        for (int i = 0; i < pooled.Length; i++)
        {
            results[i] = Announce(transactions[i], pooled[i]);
        }

        return ValueTask.FromResult(results);
    }

    // Gossips and announces an accepted transaction; maps the pool's answer to the RPC's.
    private SendTransactionResult Announce(ReadOnlyMemory<byte> transaction, TxPoolResult result)
    {
        if (result.IsAccepted)
        {
            Network?.GossipTransaction(transaction);

            // A lagging event reader misses the newest pending hashes rather than holding them without bound.
            if (Interlocked.Increment(ref _pendingQueued) <= PendingQueueCapacity)
            {
                _newPending.Writer.TryWrite(result.Hash);
            }
            else
            {
                Interlocked.Decrement(ref _pendingQueued);
            }

            return SendTransactionResult.Accepted(result.Hash);
        }

        // Bytes that are not a transaction at all are invalid input; everything else is the pool saying no.
        bool undecodable = result.Error is TxError.MalformedEncoding or TxError.TypeNotSupported or TxError.SuiteMismatch or TxError.InvalidSignature or TxError.TransactionTooLarge;
        return undecodable ? SendTransactionResult.Invalid(result.Message) : SendTransactionResult.Rejected(result.Message);
    }

    /// <inheritdoc/>
    public ValueTask<CallResult> CallAsync(CallRequest call, ulong blockNumber, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        BlockHeader header = RequireHeader(blockNumber);
        long gas = CallGasLimit(call, header);
        TransactionResult result = Simulate(call, header, gas);
        return ValueTask.FromResult(ToCallResult(result));
    }

    /// <inheritdoc/>
    public ValueTask<CallResult> EstimateGasAsync(CallRequest call, ulong blockNumber, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        BlockHeader header = RequireHeader(blockNumber);
        long cap = CallGasLimit(call, header);
        TransactionResult atCap = Simulate(call, header, cap);
        if (atCap.IsRejected || !atCap.Success)
        {
            // It fails even with all the gas it may have: report why (revert data included) rather than a number.
            return ValueTask.FromResult(ToCallResult(atCap));
        }

        // Binary search for the least gas limit that succeeds. Below the gas used (after refunds) it always fails,
        // because the gas limit must cover the peak consumption, which is at least the gas finally charged.
        long low = Math.Max(atCap.GasUsed - 1, 0);
        long high = cap;

        // Most calls need little more than they use (the 63/64 rule and refunds): try that first, as geth does.
        long optimistic = Math.Min(cap, (atCap.GasUsed + 2300) * 64 / 63);
        if (optimistic < high)
        {
            if (Succeeds(call, header, optimistic))
            {
                high = optimistic;
            }
            else
            {
                low = optimistic;
            }
        }

        while (high - low > 1)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long middle = low + ((high - low) / 2);
            if (Succeeds(call, header, middle))
            {
                high = middle;
            }
            else
            {
                low = middle;
            }
        }

        return ValueTask.FromResult(CallResult.Success([], (ulong)high));
    }

    /// <inheritdoc/>
    public UInt256 GetGasPrice() => UInt256.Zero;

    /// <inheritdoc/>
    public UInt256 GetMaxPriorityFeePerGas() => UInt256.Zero;

    /// <inheritdoc/>
    public FeeHistoryBlock? GetFeeHistoryBlock(ulong number)
    {
        Hash256? hash = _blocks.GetBlockHash(number);
        if (hash is null || _blocks.GetBlock(hash.Value) is not { } block || _blocks.GetReceipts(hash.Value) is not { } receipts)
        {
            return null;
        }

        var tips = new TransactionTip[block.Transactions.Count];
        ulong previous = 0;
        for (int i = 0; i < tips.Length; i++)
        {
            ulong used = receipts[i].CumulativeGasUsed - previous;
            previous = receipts[i].CumulativeGasUsed;
            tips[i] = new TransactionTip(RpcMapper.EffectiveGasPrice(block.Transactions[i]), used);
        }

        return new FeeHistoryBlock
        {
            BaseFeePerGas = UInt256.Zero,
            NextBaseFeePerGas = UInt256.Zero,
            GasUsed = block.Header.GasUsed,
            GasLimit = block.Header.GasLimit,
            Tips = tips,
        };
    }

    /// <inheritdoc/>
    public SyncStatus? GetSyncStatus() => Network?.GetSyncStatus();

    /// <summary>Stops forwarding events (after the engine has stopped) and completes the event channels.</summary>
    public void Complete()
    {
        _engine.BlockCommitted -= OnBlockCommitted;
        _newBlocks.Writer.TryComplete();
        _newPending.Writer.TryComplete();
    }

    private void OnBlockCommitted(object? sender, BlockCommittedEventArgs e)
    {
        Remember(e.Hash, new BlockExtras(e.TransactionHashes, e.Senders));
        RpcBlock block = RpcMapper.ToBlock(e.Block, e.Hash, e.TransactionHashes, e.Senders);
        var logs = new List<RpcLog>();
        RpcReceipt[] receipts = RpcMapper.ToReceipts(_suite, e.Block, e.Hash, e.TransactionHashes, e.Senders, e.Receipts);
        foreach (RpcReceipt receipt in receipts)
        {
            logs.AddRange(receipt.Logs);
        }

        _newBlocks.Writer.TryWrite(new NewBlockEvent(block, logs));
    }

    private void Remember(Hash256 hash, BlockExtras extras)
    {
        lock (_recent)
        {
            if (_recent.TryAdd(hash, extras))
            {
                _recentOrder.Enqueue(hash);
                if (_recentOrder.Count > RecentBlockCapacity)
                {
                    _recent.Remove(_recentOrder.Dequeue());
                }
            }
        }
    }

    private BlockExtras GetExtras(Block block, Hash256 hash)
    {
        lock (_recent)
        {
            if (_recent.TryGetValue(hash, out BlockExtras? cached))
            {
                return cached;
            }
        }

        // An older block: the store keeps senders only per transaction, so recover them from the signatures.
        int count = block.Transactions.Count;
        var hashes = new Hash256[count];
        var senders = new Address[count];
        for (int i = 0; i < count; i++)
        {
            Transaction transaction = block.Transactions[i];
            hashes[i] = transaction.ComputeHash(_suite);
            TxValidation validation = _validator.Validate(transaction, out VerifiedTransaction? verified);
            senders[i] = validation.IsValid ? verified!.Sender : _blocks.FindTransaction(hashes[i])?.Sender ?? Address.Zero;
        }

        var extras = new BlockExtras(hashes, senders);
        Remember(hash, extras);
        return extras;
    }

    private BlockHeader RequireHeader(ulong number) =>
        _blocks.GetHeader(number) ?? throw new JsonRpcException(JsonRpcErrorCodes.ResourceNotFound, $"block {number} not found");

    private static long CallGasLimit(CallRequest call, BlockHeader header)
    {
        ulong cap = Math.Min(header.GasLimit, long.MaxValue);
        ulong gas = call.Gas ?? cap;
        if (gas > cap)
        {
            throw new JsonRpcException(JsonRpcErrorCodes.InvalidInput, $"gas {gas} exceeds the block gas limit {header.GasLimit}");
        }

        return (long)gas;
    }

    private bool Succeeds(CallRequest call, BlockHeader header, long gas)
    {
        TransactionResult result = Simulate(call, header, gas);
        return !result.IsRejected && result.Success;
    }

    /// <summary>Runs <paramref name="call"/> on a fresh state at <paramref name="header"/>; the state is then dropped.</summary>
    private TransactionResult Simulate(CallRequest call, BlockHeader header, long gas)
    {
        var state = new WorldState(_store, _suite, header.StateRoot);
        Address from = call.From ?? Address.Zero;

        // Calls need no signature and no prior nonce agreement: use the account's own nonce unless one was given.
        ulong nonce = call.Nonce ?? state.GetNonce(from);
        EvmAccessListEntry[] accessList = ConvertAccessList(call.AccessList);
        bool feeMarket = call.MaxFeePerGas is not null || call.MaxPriorityFeePerGas is not null;
        EvmTransaction transaction;
        if (feeMarket)
        {
            UInt256 maxFee = call.MaxFeePerGas ?? call.MaxPriorityFeePerGas!.Value;
            UInt256 tip = call.MaxPriorityFeePerGas ?? UInt256.Zero;
            transaction = new EvmTransaction(from, call.To, nonce, gas, call.Value ?? UInt256.Zero, call.Input ?? [], maxFee, maxFee, tip, accessList, [], null, EvmTransaction.DynamicFeeType);
        }
        else
        {
            byte type = accessList.Length > 0 ? EvmTransaction.AccessListType : EvmTransaction.LegacyType;
            transaction = new EvmTransaction(from, call.To, nonce, gas, call.Value ?? UInt256.Zero, call.Input ?? [], call.GasPrice ?? UInt256.Zero, null, null, accessList, [], null, type);
        }

        var context = new BlockContext(
            header.Proposer,
            header.Height,
            header.Timestamp,
            (long)Math.Min(header.GasLimit, long.MaxValue),
            UInt256.Zero,
            UInt256.Zero,
            UInt256.Zero,
            _chain.ChainId,
            height => _blocks.GetBlockHash(height) ?? Hash256.Zero);
        return _processor.Execute(state, context, transaction);
    }

    private static CallResult ToCallResult(TransactionResult result)
    {
        if (result.IsRejected)
        {
            return CallResult.Failed(result.ErrorMessage ?? result.Error.ToString());
        }

        if (result.Success)
        {
            return CallResult.Success(result.Output, (ulong)result.GasUsed);
        }

        return result.ExecutionError == "revert"
            ? CallResult.Reverted(result.Output, (ulong)result.GasUsed)
            : CallResult.Failed(result.ExecutionError ?? "execution failed");
    }

    private static EvmAccessListEntry[] ConvertAccessList(IReadOnlyList<RpcAccessListEntry>? entries)
    {
        if (entries is null || entries.Count == 0)
        {
            return [];
        }

        var converted = new EvmAccessListEntry[entries.Count];
        for (int i = 0; i < converted.Length; i++)
        {
            var keys = new UInt256[entries[i].StorageKeys.Count];
            for (int k = 0; k < keys.Length; k++)
            {
                keys[k] = UInt256.FromBigEndian(entries[i].StorageKeys[k].Bytes);
            }

            converted[i] = new EvmAccessListEntry(entries[i].Address, keys);
        }

        return converted;
    }

    private sealed record BlockExtras(IReadOnlyList<Hash256> TransactionHashes, IReadOnlyList<Address> Senders);

    /// <summary>Account reads at one block; the lock keeps the single-threaded world state safe if a view is shared.</summary>
    private sealed class WorldStateView(WorldState state) : IEthStateView
    {
        private readonly Lock _lock = new();

        public UInt256 GetBalance(Address address)
        {
            lock (_lock)
            {
                return state.GetBalance(address);
            }
        }

        public ulong GetNonce(Address address)
        {
            lock (_lock)
            {
                return state.GetNonce(address);
            }
        }

        public byte[] GetCode(Address address)
        {
            lock (_lock)
            {
                return state.GetCode(address).ToArray();
            }
        }

        public UInt256 GetStorage(Address address, UInt256 slot)
        {
            lock (_lock)
            {
                return state.GetStorage(address, slot);
            }
        }
    }

    // Reads the pending-hash channel and keeps the count the writers bound it by (the unbounded channel has none).
    private sealed class CountingReader(EthBackend owner) : ChannelReader<Hash256>
    {
        public override Task Completion => owner._newPending.Reader.Completion;

        public override bool CanCount => true;

        public override int Count => Math.Max(0, Volatile.Read(ref owner._pendingQueued));

        public override bool TryRead(out Hash256 item)
        {
            if (!owner._newPending.Reader.TryRead(out item))
            {
                return false;
            }

            Interlocked.Decrement(ref owner._pendingQueued);
            return true;
        }

        public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default) =>
            owner._newPending.Reader.WaitToReadAsync(cancellationToken);
    }
}
