using System.Buffers.Binary;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Trellis.Consensus.HotStuff.Engine;
using Trellis.Consensus.HotStuff.Messages;
using Trellis.Core;
using Trellis.Crypto;
using Trellis.Ledger.Blocks;
using Trellis.Ledger.Execution;
using Trellis.Ledger.Genesis;
using Trellis.Ledger.Pool;
using Trellis.Ledger.Storage;
using Trellis.Ledger.Transactions;
using Trellis.State;
using Trellis.State.Storage;

namespace Trellis.Consensus.HotStuff;

/// <summary>
/// Chained HotStuff bound to the ledger. One loop owns the <see cref="HotStuffReplica"/>: received messages (decoded
/// on the caller's thread), submitted-transaction wake-ups, synced blocks and clock ticks go through one inbox, and
/// the replica's messages leave through the <see cref="IConsensusNetwork"/>. A payload is a ledger block built from
/// the pool on the state after the uncommitted branch; validators re-execute it and vote only when header and state
/// root match. Committed blocks are written with their commit certificate (<see cref="HotStuffCommitCertificate"/>).
/// A node without a validator key is an observer: it applies synced blocks only.
/// </summary>
public sealed class HotStuffEngine : INetworkedConsensusEngine
{
    /// <summary>The safety file's name inside <see cref="HotStuffEngineOptions.DataDirectory"/>.</summary>
    public const string SafetyFileName = "hotstuff-safety";

    private const long BlockLogCompactionBytes = 64L * 1024 * 1024;

    private readonly HotStuffEngineOptions _options;
    private readonly ICryptoSuite _suite;
    private readonly IKeyValueStore _store;
    private readonly BlockStore _blocks;
    private readonly TxPool _pool;
    private readonly PrivateKey? _key;
    private readonly ILogger? _logger;
    private readonly TimeProvider _time;
    private readonly long _epoch;
    private readonly ValidatorSet _validators;
    private readonly Address[] _addresses;
    private readonly Dictionary<Address, int> _indexOf = [];
    private readonly int _self;
    private readonly HotStuffBlock _genesis;
    private readonly SafetyRules _rules;
    private readonly HotStuffCodec _codec;
    private readonly SpeculativeLedger _ledger;
    private readonly ISafetyStorage? _safetyStorage;
    private readonly Channel<EngineEvent> _inbox = Channel.CreateUnbounded<EngineEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _syncGate = new();

    private IConsensusNetwork? _network;
    private HotStuffReplica? _replica;
    private Task? _loop;
    private ITimer? _timer;
    private bool _replicaStarted;
    private int _queuedMessages;
    private int _tickQueued;
    private long _knownHeight;
    private long _messagesDropped;
    private volatile string _role;
    private volatile string? _lastDropReason;

    /// <summary>
    /// Creates the engine over an initialised block store. <paramref name="validators"/> are the genesis nodes with
    /// role validator, in genesis order (index = leader rotation); each needs its public key. With a
    /// <paramref name="signingKey"/> that is one of theirs the engine votes and proposes; otherwise it observes.
    /// </summary>
    /// <exception cref="ArgumentException">A validator has no public key, keys repeat, or the store is empty.</exception>
    public HotStuffEngine(
        HotStuffEngineOptions options,
        ICryptoSuite suite,
        IKeyValueStore store,
        BlockStore blocks,
        BlockExecutor executor,
        TxPool pool,
        PrivateKey? signingKey,
        IReadOnlyList<NodeConfig> validators,
        ILogger? logger = null,
        TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(suite);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(blocks);
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(validators);
        options.Validate();
        BlockHeader genesisHeader = blocks.GetHeader(0) ?? throw new ArgumentException("the block store is empty; initialise it with the chain's genesis before creating the HotStuff engine", nameof(blocks));
        _options = options;
        _suite = suite;
        _store = store;
        _blocks = blocks;
        _pool = pool;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _epoch = _time.GetTimestamp();

        var keys = new List<PublicKey>();
        var addresses = new List<Address>();
        foreach (var node in validators)
        {
            if (node.Role != NodeRole.Validator)
            {
                continue;
            }

            var publicKey = node.PublicKey ?? throw new ArgumentException($"validator {node.Name} has no publicKey in genesis; HotStuff needs every validator's key", nameof(validators));
            var address = suite.ToAddress(publicKey);
            if (address != node.Address)
            {
                throw new ArgumentException($"validator {node.Name}: address {node.Address} is not its public key's address {address}", nameof(validators));
            }

            keys.Add(publicKey);
            addresses.Add(address);
        }

        if (keys.Count == 0)
        {
            throw new ArgumentException("HotStuff needs at least one validator; genesis lists none", nameof(validators));
        }

        _validators = new ValidatorSet(keys, options.ViewsPerLeader);
        _addresses = [.. addresses];
        for (int i = 0; i < _addresses.Length; i++)
        {
            _indexOf[_addresses[i]] = i;
        }

        _self = signingKey is null ? -1 : _validators.IndexOf(suite.DerivePublicKey(signingKey));
        _key = _self >= 0 ? signingKey : null;

        // The genesis HotStuff block stands for the ledger genesis and the chain id, so signatures of one chain
        // never count on another.
        Hash256 genesisHash = genesisHeader.ComputeHash(suite);
        var genesisPayload = new byte[Hash256.Length + 8];
        genesisHash.Bytes.CopyTo(genesisPayload);
        BinaryPrimitives.WriteUInt64BigEndian(genesisPayload.AsSpan(Hash256.Length), blocks.ChainId ?? 0);
        _genesis = HotStuffBlock.FromParts(suite, Hash256.Zero, 0, 0, genesisPayload, genesisHeader.StateRoot, QuorumCertificate.ForGenesis(Hash256.Zero));
        _rules = new SafetyRules(suite, _validators, _genesis);
        _codec = new HotStuffCodec(suite, _validators.Count, options.MaxMessageBytes, options.MaxBlocksPerResponse);
        _ledger = new SpeculativeLedger(options, suite, store, blocks, executor, pool, blocks.ChainId ?? 0, _addresses, _validators, _self >= 0 ? _addresses[_self] : default, _time)
        {
            CommittedBlock = () => _replica!.CommittedBlock,
        };

        if (_self >= 0)
        {
            if (options.DataDirectory is null)
            {
                _safetyStorage = new InMemorySafetyStorage();
            }
            else
            {
                Directory.CreateDirectory(options.DataDirectory);
                _safetyStorage = new FileSafetyStorage(Path.Combine(options.DataDirectory, SafetyFileName), suite);
            }

            if (_safetyStorage is FileSafetyStorage file)
            {
                file.CompactBlocks((long)(blocks.Head?.Height ?? 0));
            }

            _replica = CreateReplica();
        }

        _role = _self >= 0 ? "validator" : "observer";
        _knownHeight = (long)(blocks.Head?.Height ?? 0);
    }

    /// <inheritdoc/>
    public string Name => "hotstuff";

    /// <inheritdoc/>
    public Task Completion => _loop ?? Task.CompletedTask;

    /// <inheritdoc/>
    public event EventHandler<BlockCommittedEventArgs>? BlockCommitted;

    /// <inheritdoc/>
    public ulong KnownNetworkHeight => (ulong)Math.Max(Interlocked.Read(ref _knownHeight), (long)(_blocks.Head?.Height ?? 0));

    /// <inheritdoc/>
    public string Role => _role;

    /// <summary>This node's validator index, or −1 for an observer.</summary>
    public int ValidatorIndex => _self;

    /// <summary>Blocks this engine committed since it was created (consensus and sync).</summary>
    public long BlocksCommitted { get; private set; }

    /// <summary>Consensus messages dropped (malformed, from a non-validator, queue full, rejected by the replica).</summary>
    public long MessagesDropped => Interlocked.Read(ref _messagesDropped) + (_replica?.RejectedCount ?? 0);

    /// <summary>Why the last message was dropped on receipt (decoding or sender), for diagnostics.</summary>
    public string? LastDropReason => _lastDropReason;

    /// <summary>Why the replica last rejected a message (signature, certificate, execution, safety).</summary>
    public string? LastRejection => _replica?.LastRejection;

    /// <summary>Receives the replica's decision trace (debugging and tests).</summary>
    internal Action<string>? Trace { get; set; }

    /// <summary>The HotStuff genesis block (stands for the ledger genesis and chain id; its hash is the signing domain).</summary>
    public HotStuffBlock Genesis => _genesis;

    /// <inheritdoc/>
    public void Connect(IConsensusNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (_network is not null)
        {
            throw new InvalidOperationException("the HotStuff engine is already connected to a network");
        }

        _network = network;
    }

    /// <inheritdoc/>
    public void Start()
    {
        if (_loop is not null)
        {
            throw new InvalidOperationException("the HotStuff engine was already started");
        }

        CancellationToken token = _stopping.Token;
        _loop = Task.Run(() => RunAsync(token), CancellationToken.None);
        _timer = _time.CreateTimer(static state => ((HotStuffEngine)state!).QueueTick(), this, _options.TickInterval, _options.TickInterval);
    }

    /// <inheritdoc/>
    public TxPoolResult Submit(ReadOnlySpan<byte> rawTransaction)
    {
        TxPoolResult result = _pool.TryAdd(rawTransaction);
        if (result.IsAccepted)
        {
            QueueTick();
        }

        return result;
    }

    /// <summary>Tells the engine that the pool may hold new transactions (for ones added to the pool directly).</summary>
    public void Wake() => QueueTick();

    /// <inheritdoc/>
    public void Receive(Address from, ReadOnlyMemory<byte> message)
    {
        try
        {
            if (!_indexOf.TryGetValue(from, out int index))
            {
                Drop($"message from {from}, which is not a validator");
                return;
            }

            if (!_codec.TryDecode(message.Span, out var decoded, out var error))
            {
                Drop($"message from validator {index} ({from}): {error}");
                return;
            }

            if (_self < 0)
            {
                // An observer takes part in nothing, but a proposal signed by its view's leader shows how far the chain is.
                if (decoded is ProposalMessage proposal && _rules.VerifyProposal(_validators.LeaderOf(proposal.Block.View), proposal.Block.View, proposal.Block.Hash, proposal.Signature))
                {
                    RaiseKnownHeight(CommittedBelow(proposal.Block.Height));
                }

                return;
            }

            if (Interlocked.Increment(ref _queuedMessages) > _options.MaxQueuedMessages)
            {
                Interlocked.Decrement(ref _queuedMessages);
                Drop($"message from validator {index}: {_options.MaxQueuedMessages} messages already queued");
                return;
            }

            if (!_inbox.Writer.TryWrite(new MessageEvent(index, decoded!)))
            {
                Interlocked.Decrement(ref _queuedMessages);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Receive never throws: whatever the bytes did, they are dropped and counted.
            Drop($"message from {from} failed to decode: {e.GetType().Name}: {e.Message}");
        }
    }

    /// <inheritdoc/>
    public bool VerifyCommitCertificate(Block block, out string? error)
    {
        ArgumentNullException.ThrowIfNull(block);
        BlockHeader header = block.Header;
        if (header.Height == 0 || header.Height > long.MaxValue)
        {
            error = $"block {header.Height} cannot carry a HotStuff certificate (heights 1 to {long.MaxValue} do)";
            return false;
        }

        if (!_codec.TryDecodeCertificate(header.ConsensusCertificate.Span, out var certificate, out error))
        {
            error = $"block {header.Height}: {error}";
            return false;
        }

        byte[] payload = new Block(header.WithCertificate([]), block.Transactions).Encode();
        var justify = new QuorumCertificate(certificate!.JustifyView, certificate.ParentHash, []);
        Hash256 hash = HotStuffBlock.ComputeHash(_suite, certificate.ParentHash, certificate.View, (long)header.Height, payload, header.StateRoot, justify);
        var check = _rules.ValidateQc(new QuorumCertificate(certificate.View, hash, certificate.Signatures));
        if (!check.Passed)
        {
            error = $"block {header.Height}: certificate does not prove the block: {check.Reason}";
            return false;
        }

        error = null;
        return true;
    }

    /// <inheritdoc/>
    public async Task<SyncApplyResult> ApplySyncedBlocksAsync(IReadOnlyList<Block> blocks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        if (_loop is null)
        {
            // Not started: nothing else touches the store yet, so the caller's thread may apply them.
            lock (_syncGate)
            {
                return ApplySynced(blocks);
            }
        }

        if (_loop.IsCompleted)
        {
            return new SyncApplyResult(0, "the HotStuff engine has stopped");
        }

        var done = new TaskCompletionSource<SyncApplyResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_inbox.Writer.TryWrite(new SyncEvent(blocks, done)))
        {
            return new SyncApplyResult(0, "the HotStuff engine has stopped");
        }

        return await done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (!_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
        }

        if (_timer is not null)
        {
            await _timer.DisposeAsync().ConfigureAwait(false);
        }

        await EngineLoop.WaitAsync(_loop, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await EngineLoop.StopQuietlyAsync(this).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (_logger is not null)
            {
                HotStuffLog.Started(_logger, _role, _self, _validators.Count, _blocks.Head?.Height ?? 0);
            }

            StartReplica();
            await foreach (var item in _inbox.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                Handle(item);
                UpdateRole();
            }
        }
        finally
        {
            while (_inbox.Reader.TryRead(out var left))
            {
                if (left is SyncEvent sync)
                {
                    sync.Done.TrySetResult(new SyncApplyResult(0, "the HotStuff engine stopped before applying the blocks"));
                }
            }
        }
    }

    private void Handle(EngineEvent item)
    {
        switch (item)
        {
            case MessageEvent received:
                Interlocked.Decrement(ref _queuedMessages);
                if (_replica is not null)
                {
                    int rejected = _replica.RejectedCount;
                    var output = _replica.Receive(received.From, received.Message, Now());
                    if (received.Message is ProposalMessage proposal && _replica.RejectedCount == rejected)
                    {
                        RaiseKnownHeight(CommittedBelow(proposal.Block.Height));
                    }

                    Emit(output);
                }

                break;
            case TickEvent:
                Volatile.Write(ref _tickQueued, 0);
                if (_replica is not null)
                {
                    Emit(_replica.Tick(Now()));
                }

                break;
            case SyncEvent sync:
                SyncApplyResult result;
                try
                {
                    result = ApplySynced(sync.Blocks);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    sync.Done.TrySetException(e);
                    throw;
                }

                sync.Done.TrySetResult(result);
                break;
        }
    }

    private void StartReplica()
    {
        if (_replica is not null && !_replicaStarted)
        {
            _replicaStarted = true;
            _replica.Trace = Trace;
            Emit(_replica.Start(Now()));
            UpdateRole();
        }
    }

    private HotStuffReplica CreateReplica()
    {
        var replicaOptions = _options.ToReplicaOptions();
        BlockHeader head = _blocks.Head!;
        if (head.Height == 0)
        {
            return new HotStuffReplica(_suite, _validators, _self, _key!, _genesis, replicaOptions, _safetyStorage!, _ledger, _ledger);
        }

        // The committed head as a HotStuff block: its certificate gives the fields the ledger block lacks, and the
        // parent's certificate the signatures of its justify QC.
        Block block = _blocks.GetBlock(head.Height) ?? throw new LedgerStoreException($"the head block {head.Height} is not stored");
        if (!_codec.TryDecodeCertificate(block.Header.ConsensusCertificate.Span, out var certificate, out var error))
        {
            throw new LedgerStoreException($"the head block {head.Height} has no usable HotStuff certificate ({error}); was this data directory written by another engine?");
        }

        IReadOnlyList<ValidatorSignature> justifySignatures = [];
        if (head.Height > 1)
        {
            BlockHeader parent = _blocks.GetHeader(head.Height - 1) ?? throw new LedgerStoreException($"block {head.Height - 1} is not stored");
            if (_codec.TryDecodeCertificate(parent.ConsensusCertificate.Span, out var parentCertificate, out _))
            {
                justifySignatures = parentCertificate!.Signatures;
            }
        }

        byte[] payload = new Block(block.Header.WithCertificate([]), block.Transactions).Encode();
        var justify = new QuorumCertificate(certificate!.JustifyView, certificate.ParentHash, justifySignatures);
        var root = HotStuffBlock.FromParts(_suite, certificate.ParentHash, certificate.View, (long)head.Height, payload, head.StateRoot, justify);
        var rootQc = new QuorumCertificate(certificate.View, root.Hash, certificate.Signatures);
        return new HotStuffReplica(_suite, _validators, _self, _key!, _genesis, replicaOptions, _safetyStorage!, _ledger, _ledger, root, rootQc);
    }

    private void Emit(HotStuffOutput output)
    {
        foreach (var message in output.Messages)
        {
            var network = _network;
            if (network is null)
            {
                continue;
            }

            byte[] bytes = HotStuffCodec.Encode(message.Message);
            if (message.To == OutgoingMessage.Broadcast)
            {
                network.Broadcast(bytes);
            }
            else
            {
                network.Send(_addresses[message.To], bytes);
            }
        }

        for (int i = 0; i < output.Committed.Count; i++)
        {
            Commit(output.Committed[i], output.CommittedQcs[i]);
        }
    }

    private void Commit(HotStuffBlock committed, QuorumCertificate qc)
    {
        if (qc.BlockHash != committed.Hash || qc.View != committed.View)
        {
            throw new InvalidOperationException($"the replica committed {committed} with a QC for another block ({qc})");
        }

        if (!_ledger.TryGetLedgerHash(committed, out var hash, out var error))
        {
            throw new InvalidOperationException($"committed {committed} carries no ledger block: {error}");
        }

        BlockHeader head = _blocks.Head!;
        if (committed.Height <= (long)head.Height)
        {
            // Already committed through block sync; it must be the same block.
            Hash256? stored = _blocks.GetBlockHash((ulong)committed.Height);
            if (stored != hash)
            {
                throw new InvalidOperationException($"safety violated: HotStuff committed ledger block {hash} at height {committed.Height}, but the store holds {stored}");
            }

            return;
        }

        var record = _ledger.Find(hash) ?? _ledger.GetOrExecute(committed.Payload, committed.View, committed.Height, _blocks.HeadHash, checkClock: false, out error);
        if (record is null || record.Header.StateRoot != committed.StateRoot)
        {
            throw new InvalidOperationException($"committed {committed} does not execute to its state root on this node: {error ?? "state root differs"}");
        }

        byte[] certificate = HotStuffCodec.EncodeCertificate(new HotStuffCommitCertificate(committed.ParentHash, committed.View, committed.Justify.View, qc.Signatures));
        var block = new Block(record.Header.WithCertificate(certificate), record.Block.Transactions);
        _blocks.Commit(block, record.Execution, record.Writes.Ordered, record.Header.StateRoot);
        AfterCommit(record, block);
        if (_logger is not null)
        {
            HotStuffLog.Committed(_logger, block.Header.Height, block.Transactions.Count, committed.View);
        }
    }

    private void AfterCommit(SpeculativeBlock record, Block block)
    {
        BlockCommittedEventArgs committed = PoolUpkeep.OnCommitted(_pool, block, _blocks.HeadHash, record.Execution, new WorldState(_store, _suite, block.Header.StateRoot));
        _ledger.OnCommitted(record, block.Header.Height);
        BlocksCommitted++;
        if (_safetyStorage is FileSafetyStorage file && BlocksCommitted % 64 == 0 && file.BlockLogLength > BlockLogCompactionBytes)
        {
            // Voted payloads accumulate in the block log; those at or below the committed head are never needed again.
            file.CompactBlocks((long)block.Header.Height);
        }

        RaiseKnownHeight((long)block.Header.Height);
        BlockCommitted?.Invoke(this, committed);
    }

    private SyncApplyResult ApplySynced(IReadOnlyList<Block> blocks)
    {
        int applied = 0;
        string? error = null;
        foreach (var block in blocks)
        {
            if (block is null)
            {
                error = $"synced block {applied} is null";
                break;
            }

            BlockHeader header = block.Header;
            BlockHeader head = _blocks.Head!;
            Hash256 hash = header.ComputeHash(_suite);
            if (header.Height <= head.Height)
            {
                if (_blocks.GetBlockHash(header.Height) == hash)
                {
                    applied++;
                    continue;
                }

                error = $"synced block {header.Height} ({hash}) conflicts with the committed block at that height";
                break;
            }

            if (header.Height != head.Height + 1 || header.ParentHash != _blocks.HeadHash)
            {
                error = $"synced block {header.Height} with parent {header.ParentHash} does not follow the head, block {head.Height} ({_blocks.HeadHash})";
                break;
            }

            if (!VerifyCommitCertificate(block, out error))
            {
                break;
            }

            if (block.Transactions.Count > _options.MaxTransactionsPerBlock || header.GasLimit != _options.BlockGasLimit)
            {
                error = $"synced block {header.Height}: {block.Transactions.Count} transactions and gas limit {header.GasLimit} break the chain's limits ({_options.MaxTransactionsPerBlock}, {_options.BlockGasLimit})";
                break;
            }

            var record = _ledger.Find(hash) ?? _ledger.Validate(block, hash, null, head, out error);
            if (record is null)
            {
                error = $"synced block {header.Height}: {error}";
                break;
            }

            _blocks.Commit(block, record.Execution, record.Writes.Ordered, header.StateRoot);
            AfterCommit(record, block);
            applied++;
        }

        if (error is not null && _logger is not null)
        {
            HotStuffLog.SyncRefused(_logger, applied, error);
        }

        if (applied > 0 && _self >= 0 && _replica is not null && _replica.CommittedBlock.Height < (long)_blocks.Head!.Height)
        {
            // Continue from the new head: keep what the replica knows about safety, rebuild the rest.
            _safetyStorage!.Save(_replica.Safety);
            _ledger.Clear();
            bool started = _replicaStarted;
            _replica = CreateReplica();
            _replicaStarted = false;
            if (started)
            {
                StartReplica();
            }
        }

        return new SyncApplyResult(applied, error);
    }

    private void QueueTick()
    {
        if (Interlocked.Exchange(ref _tickQueued, 1) == 0)
        {
            _inbox.Writer.TryWrite(TickEvent.Instance);
        }
    }

    private long Now() => (long)_time.GetElapsedTime(_epoch).TotalMilliseconds;

    private void UpdateRole()
    {
        if (_replica?.Pacemaker is { } pacemaker)
        {
            _role = pacemaker.CurrentLeader == _self ? "leader" : "validator";
        }
    }

    // A proposal at height h carries the QC of h − 1, and under the three-chain rule only blocks up to h − 3 can be
    // committed yet: block sync fetches committed blocks only, so claiming more would make a healthy validator look
    // two blocks behind forever (and send it asking peers for blocks nobody has committed).
    private static long CommittedBelow(long proposalHeight) => proposalHeight - 3;

    private void RaiseKnownHeight(long height)
    {
        long known = Interlocked.Read(ref _knownHeight);
        while (height > known)
        {
            long seen = Interlocked.CompareExchange(ref _knownHeight, height, known);
            if (seen == known)
            {
                return;
            }

            known = seen;
        }
    }

    private void Drop(string reason)
    {
        Interlocked.Increment(ref _messagesDropped);
        _lastDropReason = reason;
        if (_logger is not null)
        {
            HotStuffLog.Dropped(_logger, reason);
        }
    }

    private abstract record EngineEvent;

    private sealed record MessageEvent(int From, HotStuffMessage Message) : EngineEvent;

    private sealed record TickEvent : EngineEvent
    {
        public static readonly TickEvent Instance = new();
    }

    private sealed record SyncEvent(IReadOnlyList<Block> Blocks, TaskCompletionSource<SyncApplyResult> Done) : EngineEvent;
}
