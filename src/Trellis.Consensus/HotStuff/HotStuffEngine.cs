using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Trellis.Consensus.HotStuff.Engine;
using Trellis.Consensus.HotStuff.Messages;
using Trellis.Core;
using Trellis.Crypto;
using Trellis.Ledger.Blocks;
using Trellis.Ledger.Execution;
using Trellis.Ledger.Genesis;
using Trellis.Ledger.Governance;
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
    private const int MaxHeldMessages = 1024;

    // A sender gets at most this share of the held messages, so one member cannot crowd out the others'.
    private const int MaxHeldPerSender = 256;

    // Held messages together stay below this many bytes (a frame may be 16 MiB: 1,024 of them would be 16 GiB).
    private const long MaxHeldBytes = 32L * 1024 * 1024;

    // An epoch starts after its predecessor's last block commits, a few blocks above this node's head when the sender
    // is ahead; messages of an epoch further ahead cannot be for the next switch (a node that far behind catches up by
    // block sync and hears the epoch's later messages), so they are not held.
    private const ulong HeldEpochLookahead = 64;

    private readonly PrivateKey? _signingKey;
    private readonly ILogger? _logger;
    private readonly TimeProvider _time;
    private readonly long _clockStart;
    private readonly ValidatorMember[] _genesisMembers;
    private readonly HotStuffBlock _genesis;
    private readonly HotStuffCodec _certificateReader;
    private readonly SpeculativeLedger _ledger;
    private readonly List<(Address From, byte[] Message)> _held = [];
    private readonly ConcurrentDictionary<Address, PublicKey> _keys = new();
    private readonly Channel<EngineEvent> _inbox = Channel.CreateUnbounded<EngineEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _syncGate = new();

    private volatile EngineEpoch _epoch;
    private ISafetyStorage? _safetyStorage;
    private IConsensusNetwork? _network;
    private HotStuffReplica? _replica;
    private bool _loopRunning;
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
        _clockStart = _time.GetTimestamp();
        _signingKey = signingKey;

        var members = new List<ValidatorMember>();
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

            members.Add(new ValidatorMember(address, publicKey));
        }

        if (members.Count == 0)
        {
            throw new ArgumentException("HotStuff needs at least one validator; genesis lists none", nameof(validators));
        }

        // Checks the genesis list (repeated keys) before anything reads the registry.
        _ = new ValidatorSet([.. members.Select(m => m.PublicKey)], options.ViewsPerLeader);
        _genesisMembers = [.. members];

        // The genesis HotStuff block stands for the ledger genesis and the chain id, so signatures of one chain
        // never count on another.
        Hash256 genesisHash = genesisHeader.ComputeHash(suite);
        var genesisPayload = new byte[Hash256.Length + 8];
        genesisHash.Bytes.CopyTo(genesisPayload);
        BinaryPrimitives.WriteUInt64BigEndian(genesisPayload.AsSpan(Hash256.Length), blocks.ChainId ?? 0);
        _genesis = HotStuffBlock.FromParts(suite, Hash256.Zero, 0, 0, genesisPayload, genesisHeader.StateRoot, QuorumCertificate.ForGenesis(Hash256.Zero));
        _certificateReader = new HotStuffCodec(suite, ushort.MaxValue, options.MaxMessageBytes, options.MaxBlocksPerResponse);

        // The epoch of the next block follows from the committed head's state (and, mid-epoch, its certificate).
        if (!TryEpochAfterHead(out ulong start, out var current, out var epochError))
        {
            throw new LedgerStoreException($"cannot tell the HotStuff epoch after the head block: {epochError}");
        }

        _epoch = new EngineEpoch(start, current, _genesis, suite, options, signingKey);
        _ledger = new SpeculativeLedger(options, suite, store, blocks, executor, pool, blocks.ChainId ?? 0, _epoch.Addresses, _epoch.Validators, SelfAddress(_epoch), _time)
        {
            CommittedBlock = () => _replica!.CommittedBlock,
            EndsEpoch = EndsEpoch,
        };

        if (_epoch.Self >= 0)
        {
            _safetyStorage = OpenSafetyStorage(_epoch);
            _replica = CreateReplica();
        }

        _role = _epoch.Self >= 0 ? "validator" : "observer";
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

    /// <summary>This node's validator index in the current epoch's set, or −1 for an observer.</summary>
    public int ValidatorIndex => _epoch.Self;

    /// <summary>The current epoch: the first ledger height its validator set signs (0 for the genesis set).</summary>
    public ulong Epoch => _epoch.Start;

    /// <summary>The current epoch's validators (signing addresses) in leader-rotation order.</summary>
    public IReadOnlyList<Address> Validators => _epoch.Addresses;

    /// <summary>Consensus messages of a later epoch held until this node switches (bounded).</summary>
    public int HeldMessages
    {
        get
        {
            lock (_held)
            {
                return _held.Count;
            }
        }
    }

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

    /// <inheritdoc/>
    public TxPoolResult[] SubmitRange(IReadOnlyList<ReadOnlyMemory<byte>> rawTransactions)
    {
        TxPoolResult[] results = PoolUpkeep.AddRange(_pool, rawTransactions, out bool accepted);
        if (accepted)
        {
            QueueTick();
        }

        return results;
    }

    /// <summary>Tells the engine that the pool may hold new transactions (for ones added to the pool directly).</summary>
    public void Wake() => QueueTick();

    /// <inheritdoc/>
    public void Receive(Address from, ReadOnlyMemory<byte> message)
    {
        try
        {
            var epoch = _epoch;
            bool decodedOk = epoch.Codec.TryDecode(message.Span, out var decoded, out ulong messageEpoch, out var error);
            if (messageEpoch > epoch.Start)
            {
                // The sender already switched (it committed the epoch's last block first): keep the message for when
                // this node switches too; its body may name validators of the next set.
                Hold(from, message, messageEpoch);
                return;
            }

            if (messageEpoch < epoch.Start)
            {
                Drop($"message from {from} of epoch {messageEpoch}; this node is in epoch {epoch.Start}");
                return;
            }

            if (!epoch.IndexOf.TryGetValue(from, out int index))
            {
                Drop($"message from {from}, which is not a validator of epoch {epoch.Start}");
                return;
            }

            if (!decodedOk)
            {
                Drop($"message from validator {index} ({from}): {error}");
                return;
            }

            if (epoch.Self < 0)
            {
                // An observer takes part in nothing, but a proposal signed by its view's leader shows how far the chain is.
                if (decoded is ProposalMessage proposal && !SpeculativeLedger.IsSuffix(proposal.Block) && epoch.Rules.VerifyProposal(epoch.Validators.LeaderOf(proposal.Block.View), proposal.Block.View, proposal.Block.Hash, proposal.Signature))
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

            if (!_inbox.Writer.TryWrite(new MessageEvent(epoch, index, decoded!)))
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
    /// <remarks>
    /// The certificate is checked against the set of the block's height, <c>ValidatorsAt(height)</c> read from the
    /// state of the committed parent, and in the signing domain of the block's epoch (which it names, and which must be
    /// the parent's epoch, or the block's own height when the set changes at it). The parent must be committed here.
    /// </remarks>
    public bool VerifyCommitCertificate(Block block, out string? error)
    {
        ArgumentNullException.ThrowIfNull(block);
        BlockHeader header = block.Header;
        if (header.Height == 0 || header.Height > long.MaxValue)
        {
            error = $"block {header.Height} cannot carry a HotStuff certificate (heights 1 to {long.MaxValue} do)";
            return false;
        }

        if (!TryEpochAt(header.Height, out ulong epochStart, out var members, out error))
        {
            error = $"block {header.Height}: {error}";
            return false;
        }

        var epoch = _epoch.Start == epochStart && EngineEpoch.SameSet(_epoch.Members, members) ? _epoch : new EngineEpoch(epochStart, members, _genesis, _suite, _options, null);
        if (!epoch.Codec.TryDecodeCertificate(header.ConsensusCertificate.Span, out var certificate, out error))
        {
            error = $"block {header.Height}: {error}";
            return false;
        }

        if (certificate!.Epoch != epochStart)
        {
            error = $"block {header.Height}: certificate names epoch {certificate.Epoch}, but the block belongs to epoch {epochStart} (its set of {members.Length} validators)";
            return false;
        }

        byte[] payload = new Block(header.WithCertificate([]), block.Transactions).Encode();
        var justify = new QuorumCertificate(certificate.JustifyView, certificate.ParentHash, []);
        Hash256 hash = HotStuffBlock.ComputeHash(_suite, certificate.ParentHash, certificate.View, (long)header.Height, payload, header.StateRoot, justify);
        var check = epoch.Rules.ValidateQc(new QuorumCertificate(certificate.View, hash, certificate.Signatures));
        if (!check.Passed)
        {
            error = $"block {header.Height}: certificate does not prove the block: {check.Reason}";
            return false;
        }

        error = null;
        return true;
    }

    /// <inheritdoc/>
    /// <remarks>Signer indices are mapped to addresses through the validator set of the block's height.</remarks>
    public CommitCertificateInfo? DescribeCommitCertificate(Block block)
    {
        ArgumentNullException.ThrowIfNull(block);
        BlockHeader header = block.Header;
        if (header.Height == 0 || header.Height > long.MaxValue
            || !TryEpochAt(header.Height, out _, out var members, out _)
            || !_certificateReader.TryDecodeCertificate(header.ConsensusCertificate.Span, out var certificate, out _))
        {
            return null;
        }

        var signers = new List<Address>(certificate!.Signatures.Count);
        foreach (ValidatorSignature signature in certificate.Signatures)
        {
            if ((uint)signature.Validator < (uint)members.Length)
            {
                signers.Add(members[signature.Validator].Address);
            }
        }

        return new CommitCertificateInfo("hotstuff", header.Height, certificate.View, signers);
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
                HotStuffLog.Started(_logger, _role, _epoch.Self, _epoch.Validators.Count, _blocks.Head?.Height ?? 0);
            }

            _loopRunning = true;
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
                if (received.Epoch != _epoch)
                {
                    // Decoded for an epoch this node has since left: its sender index means nothing now.
                    Drop($"message from validator {received.From} of epoch {received.Epoch.Start} arrived after the switch to epoch {_epoch.Start}");
                }
                else if (_replica is not null)
                {
                    int rejected = _replica.RejectedCount;
                    var output = _replica.Receive(received.From, received.Message, Now());
                    if (received.Message is ProposalMessage proposal && _replica.RejectedCount == rejected && !SpeculativeLedger.IsSuffix(proposal.Block))
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
        var epoch = _epoch;
        var replicaOptions = _options.ToReplicaOptions();
        BlockHeader head = _blocks.Head!;
        if (head.Height == 0)
        {
            return new HotStuffReplica(_suite, epoch.Validators, epoch.Self, epoch.Key!, _genesis, replicaOptions, _safetyStorage!, _ledger, _ledger);
        }

        // The committed head as a HotStuff block: its certificate gives the fields the ledger block lacks, and the
        // parent's certificate the signatures of its justify QC.
        Block block = _blocks.GetBlock(head.Height) ?? throw new LedgerStoreException($"the head block {head.Height} is not stored");
        if (!_certificateReader.TryDecodeCertificate(block.Header.ConsensusCertificate.Span, out var certificate, out var error))
        {
            throw new LedgerStoreException($"the head block {head.Height} has no usable HotStuff certificate ({error}); was this data directory written by another engine?");
        }

        IReadOnlyList<ValidatorSignature> justifySignatures = [];
        if (head.Height > 1)
        {
            BlockHeader parent = _blocks.GetHeader(head.Height - 1) ?? throw new LedgerStoreException($"block {head.Height - 1} is not stored");
            if (_certificateReader.TryDecodeCertificate(parent.ConsensusCertificate.Span, out var parentCertificate, out _) && parentCertificate!.Epoch == epoch.Start)
            {
                // Signatures of another epoch's set would name indices this epoch's codec refuses.
                justifySignatures = parentCertificate.Signatures;
            }
        }

        byte[] payload = new Block(block.Header.WithCertificate([]), block.Transactions).Encode();
        var justify = new QuorumCertificate(certificate!.JustifyView, certificate.ParentHash, justifySignatures);
        var root = HotStuffBlock.FromParts(_suite, certificate.ParentHash, certificate.View, (long)head.Height, payload, head.StateRoot, justify);

        // At an epoch switch the head was certified by the previous set: the new replica takes its QC as given
        // (this node committed it after checking it) and carries it without signatures, which the new set's
        // replicas accept because it names their common committed root.
        IReadOnlyList<ValidatorSignature> rootSignatures = certificate.Epoch == epoch.Start ? certificate.Signatures : [];
        var rootQc = new QuorumCertificate(certificate.View, root.Hash, rootSignatures);
        return new HotStuffReplica(_suite, epoch.Validators, epoch.Self, epoch.Key!, _genesis, replicaOptions, _safetyStorage!, _ledger, _ledger, root, rootQc, epoch.Domain);
    }

    private void Emit(HotStuffOutput output)
    {
        var epoch = _epoch;
        foreach (var message in output.Messages)
        {
            var network = _network;
            if (network is null)
            {
                continue;
            }

            byte[] bytes = HotStuffCodec.Encode(message.Message, epoch.Start);
            if (message.To == OutgoingMessage.Broadcast)
            {
                // To each validator of this epoch by its signing address rather than to the peers the network labels
                // validators: a node promoted by governance keeps the role its connection was admitted with.
                for (int i = 0; i < epoch.Addresses.Length; i++)
                {
                    if (i != epoch.Self)
                    {
                        network.Send(epoch.Addresses[i], bytes);
                    }
                }
            }
            else
            {
                network.Send(epoch.Addresses[message.To], bytes);
            }
        }

        if (_logger is not null)
        {
            foreach (var timeout in output.Timeouts)
            {
                LogTimeout(epoch, timeout);
            }
        }

        bool epochEnded = false;
        for (int i = 0; i < output.Committed.Count && !epochEnded; i++)
        {
            // Suffix blocks after the epoch's last block are never committed: the switch replaces the replica first.
            epochEnded = Commit(output.Committed[i], output.CommittedQcs[i]);
        }

        if (epochEnded)
        {
            Rebuild(always: true);
        }
    }

    // Writes a committed block; true when it is the last block of the epoch.
    private bool Commit(HotStuffBlock committed, QuorumCertificate qc)
    {
        if (SpeculativeLedger.IsSuffix(committed))
        {
            // An epoch suffix block stands for no ledger block (its last block was committed before it).
            return false;
        }

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

            return false;
        }

        var record = _ledger.Find(hash) ?? _ledger.GetOrExecute(committed.Payload, committed.View, committed.Height, _blocks.HeadHash, checkClock: false, out error);
        if (record is null || record.Header.StateRoot != committed.StateRoot)
        {
            throw new InvalidOperationException($"committed {committed} does not execute to its state root on this node: {error ?? "state root differs"}");
        }

        byte[] certificate = HotStuffCodec.EncodeCertificate(new HotStuffCommitCertificate(committed.ParentHash, committed.View, committed.Justify.View, qc.Signatures, _epoch.Start));
        var block = new Block(record.Header.WithCertificate(certificate), record.Block.Transactions);
        _blocks.Commit(block, record.Execution, record.Writes.Ordered, record.Header.StateRoot);
        AfterCommit(record, block);
        if (_logger is not null)
        {
            HotStuffLog.Committed(_logger, block.Header.Height, block.Transactions.Count, committed.View);
        }

        return record.EndsEpoch;
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

        if (applied > 0)
        {
            // Continue from the new head, in the epoch of the next block: a validator of the same epoch keeps what
            // its replica knows about safety and rebuilds the rest; a new epoch gets a new replica (or none).
            Rebuild(always: _replica is not null && _replica.CommittedBlock.Height < (long)_blocks.Head!.Height);
        }

        return new SyncApplyResult(applied, error);
    }

    // Replaces the replica after the head moved (consensus or sync). A new epoch (the set of the next height differs)
    // gets a new replica over a new safety file, or none when this node is not in the new set; within the epoch the
    // replica is rebuilt on the head only when asked (block sync moved the head under it).
    private void Rebuild(bool always)
    {
        if (!TryEpochAfterHead(out ulong start, out var members, out var error))
        {
            throw new InvalidOperationException($"cannot tell the HotStuff epoch after block {_blocks.Head!.Height}: {error}");
        }

        var previous = _epoch;
        bool changed = start != previous.Start;
        if (!changed && !always)
        {
            return;
        }

        if (!changed)
        {
            if (_replica is not null)
            {
                _safetyStorage!.Save(_replica.Safety);
            }

            _ledger.Clear();
        }
        else
        {
            var next = new EngineEpoch(start, members, _genesis, _suite, _options, _signingKey);
            _epoch = next;
            _ledger.SetEpoch(next.Addresses, next.Validators, SelfAddress(next));
            _safetyStorage = next.Self >= 0 ? OpenSafetyStorage(next) : null;

            // Nothing of the previous epoch is ever voted on again: its last block is committed.
            DeleteSafetyFiles(previous.Start);
        }

        _replica = _epoch.Self >= 0 ? CreateReplica() : null;
        _replicaStarted = false;
        if (changed && _logger is not null)
        {
            HotStuffLog.EpochStarted(_logger, start, _blocks.Head!.Height, _epoch.Validators.Count, _epoch.Self >= 0 ? $"validator {_epoch.Self}" : "an observer");
        }

        if (_loopRunning)
        {
            StartReplica();
        }

        UpdateRole();
        if (changed)
        {
            ReplayHeld();
        }
    }

    private bool TryEpochAfterHead(out ulong start, out ValidatorMember[] members, out string? error) =>
        TryEpochAt(_blocks.Head!.Height + 1, out start, out members, out error);

    // The epoch of ledger height k and its set, ValidatorsAt(k) read from the state of block k − 1 (committed here).
    // The epoch id is the first height of the set: k itself when the set differs from that of k − 1, otherwise the
    // epoch named by the certificate of k − 1 (checked when that block was committed).
    private bool TryEpochAt(ulong height, out ulong start, out ValidatorMember[] members, out string? error)
    {
        start = 0;
        members = [];
        BlockHeader? parent = _blocks.GetHeader(height - 1);
        if (parent is null)
        {
            error = $"its parent, block {height - 1}, is not committed on this node (certificates are checked in height order)";
            return false;
        }

        members = ReadSet(_store, parent.StateRoot, height);
        if (height == 1)
        {
            error = null;
            return true;
        }

        BlockHeader grandparent = _blocks.GetHeader(height - 2) ?? throw new LedgerStoreException($"block {height - 2} is not stored below block {height - 1}");
        var previous = ReadSet(_store, grandparent.StateRoot, height - 1);
        if (!EngineEpoch.SameSet(previous, members))
        {
            start = height;
            error = null;
            return true;
        }

        if (!_certificateReader.TryDecodeCertificate(parent.ConsensusCertificate.Span, out var certificate, out error))
        {
            error = $"block {height - 1} has no usable HotStuff certificate: {error}";
            return false;
        }

        start = certificate!.Epoch;
        error = null;
        return true;
    }

    // ValidatorsAt(height) from the registry in the given state, in registration order, each with a usable key of the
    // chain's curve whose address is the node's; the genesis list when the registry names no validator.
    private ValidatorMember[] ReadSet(IKeyValueStore store, Hash256 stateRoot, ulong height)
    {
        var registry = new GovernanceState(new WorldState(store, _suite, stateRoot));
        var members = new List<ValidatorMember>();
        foreach (RegisteredNode node in registry.ValidatorsAt(height))
        {
            if (node.PublicKey.Length != PublicKey.Length)
            {
                continue;
            }

            // Importing checks the point is on the curve; the registry's keys rarely change, so each is checked once.
            if (!_keys.TryGetValue(node.SigningAddress, out var key) || !key.Bytes.SequenceEqual(node.PublicKey))
            {
                try
                {
                    key = _suite.ImportPublicKey(node.PublicKey);
                }
                catch (ArgumentException)
                {
                    continue;
                }

                _keys[node.SigningAddress] = key;
            }

            if (_suite.ToAddress(key) == node.SigningAddress && !members.Exists(m => m.PublicKey.Equals(key)))
            {
                members.Add(new ValidatorMember(node.SigningAddress, key));
            }
        }

        return members.Count == 0 ? _genesisMembers : [.. members];
    }

    // Whether an executed block is the last of the current epoch: the set of the next height, read from its state
    // (through its uncommitted ancestors' changes), differs from the epoch's.
    private bool EndsEpoch(SpeculativeBlock record) =>
        !EngineEpoch.SameSet(ReadSet(new OverlayStore(record, _store), record.Header.StateRoot, record.Header.Height + 1), _epoch.Members);

    private static Address SelfAddress(EngineEpoch epoch) => epoch.Self >= 0 ? epoch.Addresses[epoch.Self] : default;

    private ISafetyStorage OpenSafetyStorage(EngineEpoch epoch)
    {
        if (_options.DataDirectory is null)
        {
            return new InMemorySafetyStorage();
        }

        Directory.CreateDirectory(_options.DataDirectory);
        var file = new FileSafetyStorage(SafetyPath(epoch.Start), _suite);
        file.CompactBlocks((long)(_blocks.Head?.Height ?? 0));
        return file;
    }

    // One safety file per epoch (the genesis epoch keeps the original name): views restart in each epoch's domain, so
    // its last voted view and lock mean nothing in another.
    private string SafetyPath(ulong epoch) =>
        Path.Combine(_options.DataDirectory!, epoch == 0 ? SafetyFileName : $"{SafetyFileName}-epoch{epoch}");

    private void DeleteSafetyFiles(ulong epoch)
    {
        if (_options.DataDirectory is null)
        {
            return;
        }

        string path = SafetyPath(epoch);
        try
        {
            File.Delete(path);
            File.Delete(path + ".blocks");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A stale file of a finished epoch is harmless: it is never opened again.
        }
    }

    private void Hold(Address from, ReadOnlyMemory<byte> message, ulong epoch)
    {
        ulong head = _blocks.Head?.Height ?? 0;
        if (epoch > head + HeldEpochLookahead)
        {
            Drop($"message from {from} of epoch {epoch}: more than {HeldEpochLookahead} blocks above this node's head {head}, so not held for a switch");
            return;
        }

        string? refused;
        lock (_held)
        {
            int fromSender = 0;
            long bytes = 0;
            foreach (var (sender, held) in _held)
            {
                fromSender += sender == from ? 1 : 0;
                bytes += held.Length;
            }

            refused = _held.Count >= MaxHeldMessages ? $"{MaxHeldMessages} messages of later epochs already held"
                : fromSender >= MaxHeldPerSender ? $"{MaxHeldPerSender} messages of later epochs already held from this sender"
                : bytes + message.Length > MaxHeldBytes ? $"held messages of later epochs would exceed {MaxHeldBytes / (1024 * 1024)} MiB"
                : null;
            if (refused is null)
            {
                _held.Add((from, message.ToArray()));
                return;
            }
        }

        Drop($"message from {from} of epoch {epoch}: {refused}");
    }

    // After a switch, messages that arrived early for the new epoch are received again (those still ahead are held again).
    private void ReplayHeld()
    {
        List<(Address From, byte[] Message)> held;
        lock (_held)
        {
            held = [.. _held];
            _held.Clear();
        }

        foreach (var (from, message) in held)
        {
            Receive(from, message);
        }
    }

    private void QueueTick()
    {
        if (Interlocked.Exchange(ref _tickQueued, 1) == 0)
        {
            _inbox.Writer.TryWrite(TickEvent.Instance);
        }
    }

    private long Now() => (long)_time.GetElapsedTime(_clockStart).TotalMilliseconds;

    private void UpdateRole()
    {
        if (_replica?.Pacemaker is { } pacemaker)
        {
            _role = pacemaker.CurrentLeader == _epoch.Self ? "leader" : "validator";
        }
        else
        {
            _role = _epoch.Self >= 0 ? "validator" : "observer";
        }
    }

    // A proposal at height h carries the QC of h − 1, and under the three-chain rule only blocks up to h − 3 can be
    // committed yet: block sync fetches committed blocks only, so claiming more would make a healthy validator look
    // two blocks behind forever (and send it asking peers for blocks nobody has committed). Suffix proposals are not
    // counted at all: their heights run past the epoch's last ledger block.
    private static long CommittedBelow(long proposalHeight) => proposalHeight - 3;

    private void LogTimeout(EngineEpoch epoch, ViewTimeout timeout)
    {
        string Name(int validator) => validator >= 0 && validator < epoch.Addresses.Length ? $"validator {validator} ({epoch.Addresses[validator]})" : $"validator {validator}";
        if (timeout.Certified)
        {
            HotStuffLog.ViewFailed(_logger!, timeout.View, Name(timeout.Leader), timeout.TimedOut, timeout.NextView, Name(timeout.NextLeader), timeout.NextTimeout, timeout.FailuresInARow);
        }
        else if (timeout.Attempt <= 1)
        {
            HotStuffLog.TimedOut(_logger!, timeout.View, Name(timeout.Leader), timeout.TimedOut, timeout.Quorum);
        }
        else
        {
            HotStuffLog.StillTimedOut(_logger!, timeout.View, Name(timeout.Leader), timeout.Attempt, timeout.TimedOut, timeout.Quorum, timeout.NextTimeout);
        }
    }

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

    private sealed record MessageEvent(EngineEpoch Epoch, int From, HotStuffMessage Message) : EngineEvent;

    private sealed record TickEvent : EngineEvent
    {
        public static readonly TickEvent Instance = new();
    }

    private sealed record SyncEvent(IReadOnlyList<Block> Blocks, TaskCompletionSource<SyncApplyResult> Done) : EngineEvent;
}
