using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Trellis.Consensus.Raft.Messages;
using Trellis.Core;
using Trellis.Crypto;
using Trellis.Ledger.Blocks;
using Trellis.Ledger.Execution;
using Trellis.Ledger.Governance;
using Trellis.Ledger.Pool;
using Trellis.Ledger.Storage;
using Trellis.Ledger.Transactions;
using Trellis.State;
using Trellis.State.Storage;

namespace Trellis.Consensus.Raft;

/// <summary>
/// Raft (crash fault tolerant, n = 2f + 1) bound to the ledger. One loop owns the <see cref="RaftReplica"/>, the
/// block store and block building. The leader takes the pool's executable transactions, executes them on the
/// committed head, signs a <see cref="RaftCommitCertificate"/> into the header and replicates the encoded block as
/// one log entry; a new block is proposed only after the previous one was applied (one in flight). When an entry
/// commits, every validator applies it: the leader commits the state it already executed, followers re-execute and
/// must reach the same header (a mismatch stops the engine: it means nondeterminism or corruption). Committed
/// entries leave the Raft log (the block store holds them); a follower too far behind is told to catch up by block
/// sync, whose blocks arrive through <see cref="ApplySyncedBlocksAsync"/>.
/// <para>
/// Membership follows the governance node registry: the voters of the block at height k are
/// <c>ValidatorsAt(k)</c> read from the state of block k − 1, in registration order. Servers are known by signing
/// address; the Raft server id of a node is its position in the genesis validator list, then in the registry's
/// registration order (both only grow, so ids are stable across restarts and the same on every node that has seen
/// the registration). The engine tells the replica the configuration of its next entry after every change of the
/// applied head or of the last block in its log. A node whose key is not (yet) registered is an observer: it follows
/// through block sync, and becomes a Raft server once a block it applied registers it.
/// </para>
/// </summary>
public sealed class RaftEngine : INetworkedConsensusEngine
{
    /// <summary>The Raft log's file name in the data directory.</summary>
    public const string LogFileName = "raft-log";

    private readonly RaftEngineOptions _options;
    private readonly ICryptoSuite _suite;
    private readonly IKeyValueStore _store;
    private readonly BlockStore _blocks;
    private readonly BlockExecutor _executor;
    private readonly TxPool _pool;
    private readonly PrivateKey? _key;
    private readonly Address[] _genesisValidators;
    private readonly Address? _selfAddress;

    // Server ids: written by the loop (only ever appended), read by Receive on network threads.
    private readonly List<Address> _servers = [];
    private readonly ConcurrentDictionary<Address, int> _ids = new();
    private readonly ILogger? _logger;
    private readonly TimeProvider _time;
    private readonly long _startTimestamp;
    private readonly Hash256 _genesis;
    private readonly Channel<EngineEvent> _events = Channel.CreateUnbounded<EngineEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private IConsensusNetwork? _network;
    private Task? _loop;
    private Task? _ticker;
    private int _tickQueued;
    private long _queuedMessages;
    private long _messagesDropped;
    private long _knownHeight;
    private volatile string _role;
    private volatile string? _lastDropReason;
    private volatile RaftReplica? _replica;
    private IRaftStorage? _storage;
    private int _self = -1;

    // Owned by the loop.
    private InFlight? _inFlight;
    private RaftCatchUp? _catchUp;
    private long _lastProposal = long.MinValue;
    private RaftRole _lastRole = RaftRole.Follower;
    private long _lastTerm = -1;
    private bool _started;

    // Validator sets by height, and what the replica's configuration was last computed from.
    private readonly Dictionary<ulong, Address[]> _sets = [];
    private Hash256 _registryHead;
    private (Hash256 Head, long LastIndex, long LastTerm) _configuredFor;

    /// <summary>
    /// Creates the engine over an initialised block store. <paramref name="validators"/> are the genesis nodes with
    /// role validator, in genesis order (the first Raft server ids; the validator set itself comes from the registry
    /// when the chain has one). With a <paramref name="signingKey"/> of a registered node the engine is that Raft
    /// server (a voter from the height the registry makes it a validator); with another key it is an observer until a
    /// block registers it; without a key it is an observer.
    /// </summary>
    /// <exception cref="ArgumentException">The validator list is empty or repeats an address, or the store is empty.</exception>
    public RaftEngine(
        RaftEngineOptions options,
        ICryptoSuite suite,
        IKeyValueStore store,
        BlockStore blocks,
        BlockExecutor executor,
        TxPool pool,
        PrivateKey? signingKey,
        IReadOnlyList<Ledger.Genesis.NodeConfig> validators,
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
        if (validators.Count == 0 || validators.Count > ushort.MaxValue)
        {
            throw new ArgumentException($"Raft needs 1 to {ushort.MaxValue} validators, got {validators.Count}", nameof(validators));
        }

        _genesisValidators = new Address[validators.Count];
        for (int i = 0; i < validators.Count; i++)
        {
            _genesisValidators[i] = validators[i].Address;
            if (!_ids.TryAdd(_genesisValidators[i], i))
            {
                throw new ArgumentException($"validator {validators[i].Name}: address {_genesisValidators[i]} appears twice in the validator list", nameof(validators));
            }

            _servers.Add(_genesisValidators[i]);
        }

        _genesis = blocks.GetBlockHash(0) ?? throw new ArgumentException("the block store is empty; initialise it with the chain's genesis before creating the Raft engine", nameof(blocks));
        _options = options;
        _suite = suite;
        _store = store;
        _blocks = blocks;
        _executor = executor;
        _pool = pool;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _startTimestamp = _time.GetTimestamp();
        _key = signingKey;
        _selfAddress = signingKey is null ? null : suite.ToAddress(suite.DerivePublicKey(signingKey));
        _role = "observer";
        _knownHeight = (long)blocks.Head!.Height;
        RefreshMembership();
    }

    /// <inheritdoc/>
    public string Name => "raft";

    /// <inheritdoc/>
    public Task Completion => _loop ?? Task.CompletedTask;

    /// <inheritdoc/>
    public event EventHandler<BlockCommittedEventArgs>? BlockCommitted;

    /// <inheritdoc/>
    public ulong KnownNetworkHeight => Math.Max((ulong)Interlocked.Read(ref _knownHeight), _blocks.Head?.Height ?? 0);

    /// <inheritdoc/>
    public string Role => _role;

    /// <summary>This node's Raft server id (genesis validators first, then registration order), or -1 while it is not a registered node with a key.</summary>
    public int ValidatorIndex => Volatile.Read(ref _self);

    /// <summary>True while this node is a voter of the configuration its replica uses (the set of its next block).</summary>
    public bool IsVoter => _replica?.IsVoter ?? false;

    /// <summary>Blocks this engine committed since it started (through Raft or block sync).</summary>
    public long BlocksCommitted { get; private set; }

    /// <summary>Messages dropped so far: undecodable, from unknown senders, over the queue limit, or refused by the replica.</summary>
    public long MessagesDropped => Interlocked.Read(ref _messagesDropped) + (_replica?.RejectedCount ?? 0);

    /// <summary>Why the last message was dropped.</summary>
    public string? LastDropReason => _lastDropReason ?? _replica?.LastRejection;

    /// <summary>The current Raft term (0 for an observer).</summary>
    public long CurrentTerm => _replica?.CurrentTerm ?? 0;

    /// <inheritdoc/>
    public void Connect(IConsensusNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (_network is not null)
        {
            throw new InvalidOperationException("the Raft engine is already connected to a network");
        }

        _network = network;
    }

    /// <inheritdoc/>
    public void Start()
    {
        if (_loop is not null)
        {
            throw new InvalidOperationException("the Raft engine was already started");
        }

        CancellationToken token = _stopping.Token;
        _loop = Task.Run(() => RunAsync(token), CancellationToken.None);
        _ticker = Task.Run(() => TickAsync(token), CancellationToken.None);
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

    /// <summary>Tells the engine that the pool may hold executable transactions (for ones added to the pool directly).</summary>
    public void Wake() => QueueTick();

    /// <inheritdoc/>
    public void Receive(Address from, ReadOnlyMemory<byte> message)
    {
        if (_replica is null)
        {
            Drop(from, "this node is an observer and takes no part in Raft");
            return;
        }

        if (!_ids.TryGetValue(from, out int sender) || sender == ValidatorIndex)
        {
            Drop(from, $"sender {from} is not another registered node");
            return;
        }

        if (message.Length > _options.MaxMessageBytes)
        {
            Drop(from, $"message of {message.Length} bytes exceeds the limit {_options.MaxMessageBytes}");
            return;
        }

        if (!RaftMessageCodec.TryDecode(message, out RaftMessage? decoded, out string? error))
        {
            Drop(from, error!);
            return;
        }

        if (Interlocked.Increment(ref _queuedMessages) > _options.MaxQueuedMessages)
        {
            Interlocked.Decrement(ref _queuedMessages);
            Drop(from, $"more than {_options.MaxQueuedMessages} messages are queued");
            return;
        }

        if (!_events.Writer.TryWrite(new MessageEvent(sender, decoded!)))
        {
            Interlocked.Decrement(ref _queuedMessages);
        }
    }

    /// <inheritdoc/>
    public bool VerifyCommitCertificate(Block block, out string? error)
    {
        ArgumentNullException.ThrowIfNull(block);
        BlockHeader header = block.Header;
        if (!RaftCommitCertificate.TryDecode(header.ConsensusCertificate.Span, _suite.SignatureLength, out var certificate, out error))
        {
            error = $"block {header.Height}: {error}";
            return false;
        }

        if (header.Height == 0)
        {
            error = "block 0 is the genesis block and carries no raft certificate";
            return false;
        }

        // The set of height h is read from the state of block h - 1, which must be in the store (sync applies in order).
        BlockHeader? parent = _blocks.GetHeader(header.Height - 1);
        if (parent is null)
        {
            error = $"block {header.Height}: its parent block {header.Height - 1} is not in the store, so the validator set of height {header.Height} is unknown";
            return false;
        }

        Address leader = header.Proposer;
        Address[] set = ReadValidators(parent.StateRoot, header.Height);
        if (Array.IndexOf(set, leader) < 0)
        {
            error = $"block {header.Height}: proposer {leader} is not a validator at height {header.Height} (validators {string.Join(", ", set)})";
            return false;
        }

        byte[] message = RaftCommitCertificate.SigningMessage(_genesis, certificate!.Term, certificate.Index, header.ComputeHash(_suite));
        if (!_suite.TryRecoverSigner(message, certificate.Signature, out PublicKey signer) || _suite.ToAddress(signer) != leader)
        {
            error = $"block {header.Height}: the certificate's signature (term {certificate.Term}, index {certificate.Index}) is not the proposer's ({leader})";
            return false;
        }

        error = null;
        return true;
    }

    /// <inheritdoc/>
    /// <remarks>A Raft certificate is the leader's signature, so its one signer is the block's proposer.</remarks>
    public CommitCertificateInfo? DescribeCommitCertificate(Block block)
    {
        ArgumentNullException.ThrowIfNull(block);
        BlockHeader header = block.Header;
        return header.Height > 0 && RaftCommitCertificate.TryDecode(header.ConsensusCertificate.Span, _suite.SignatureLength, out var certificate, out _)
            ? new CommitCertificateInfo("raft", header.Height, certificate!.Term, [header.Proposer])
            : null;
    }

    /// <inheritdoc/>
    public async Task<SyncApplyResult> ApplySyncedBlocksAsync(IReadOnlyList<Block> blocks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        if (_loop is null || _loop.IsCompleted)
        {
            return new SyncApplyResult(0, "the Raft engine is not running");
        }

        var request = new SyncEvent(blocks, new TaskCompletionSource<SyncApplyResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        await _events.Writer.WriteAsync(request, cancellationToken).ConfigureAwait(false);
        return await request.Done.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await EngineLoop.StopAsync(_stopping, _ticker, cancellationToken).ConfigureAwait(false);
        await EngineLoop.WaitAsync(_loop, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await EngineLoop.StopQuietlyAsync(this).ConfigureAwait(false);
        (_storage as IDisposable)?.Dispose();
        _stopping.Dispose();
    }

    private long Now() => (long)_time.GetElapsedTime(_startTimestamp).TotalMilliseconds;

    private void QueueTick()
    {
        if (Interlocked.Exchange(ref _tickQueued, 1) == 0)
        {
            _events.Writer.TryWrite(TickEvent.Instance);
        }
    }

    private void Drop(Address from, string reason)
    {
        Interlocked.Increment(ref _messagesDropped);
        _lastDropReason = reason;
        if (_logger is not null)
        {
            RaftLog.MessageDropped(_logger, from.ToString(), reason);
        }
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.TickInterval, _time);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            QueueTick();
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        _started = true;
        if (_replica is not null)
        {
            Process(_replica.Start(Now()));
        }

        try
        {
            while (true)
            {
                EngineEvent next = await _events.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                switch (next)
                {
                    case MessageEvent message:
                        Interlocked.Decrement(ref _queuedMessages);
                        Process(_replica!.Receive(message.From, message.Message, Now()));
                        break;
                    case TickEvent:
                        Volatile.Write(ref _tickQueued, 0);
                        if (_replica is not null)
                        {
                            Process(_replica.Tick(Now()));
                        }

                        break;
                    case SyncEvent sync:
                        sync.Done.TrySetResult(ApplySynced(sync.Blocks));
                        break;
                }

                TryPropose();
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            if (_logger is not null)
            {
                RaftLog.Fatal(_logger, e.Message);
            }

            throw;
        }
        finally
        {
            // Nobody will answer queued sync requests any more.
            while (_events.Reader.TryRead(out EngineEvent? left))
            {
                (left as SyncEvent)?.Done.TrySetResult(new SyncApplyResult(0, "the Raft engine stopped"));
            }
        }
    }

    private void Process(RaftOutput output)
    {
        var replica = _replica!;
        if (output.Committed.Count > 0)
        {
            foreach (RaftEntry entry in output.Committed)
            {
                ApplyEntry(entry);
            }

            replica.MarkApplied(output.Committed[^1].Index);
            replica.ApplicationHeight = _blocks.Head!.Height;
        }

        if (output.CatchUp is RaftCatchUp catchUp)
        {
            if (_catchUp is null && _logger is not null)
            {
                RaftLog.CatchingUp(_logger, _servers[catchUp.Leader].ToString(), catchUp.LeaderHeight);
            }

            _catchUp = catchUp;
            RaiseKnownHeight(catchUp.LeaderHeight);
            InstallCaughtUpSnapshot();
        }

        RaiseKnownHeight(replica.LeaderHeight);
        foreach (RaftOutgoingMessage outgoing in output.Messages)
        {
            _network?.Send(_servers[outgoing.To], RaftMessageCodec.Encode(outgoing.Message));
        }

        RefreshMembership();
        UpdateRole();
    }

    private void UpdateRole()
    {
        var replica = _replica;
        if (replica is null)
        {
            return;
        }

        string role = replica.Role switch
        {
            RaftRole.Leader => "leader",
            RaftRole.Candidate => "candidate",
            _ => replica.IsVoter ? "follower" : "observer",
        };
        if (replica.Role != _lastRole || replica.CurrentTerm != _lastTerm || role != _role)
        {
            _lastRole = replica.Role;
            _lastTerm = replica.CurrentTerm;
            _role = role;
            if (_logger is not null)
            {
                RaftLog.RoleChanged(_logger, _role, replica.CurrentTerm, replica.Leader >= 0 ? _servers[replica.Leader].ToString() : "unknown");
            }
        }
    }

    // Learns newly registered nodes, creates the replica once this node's key is registered, and gives the replica
    // the configuration of its next entry. Cheap when neither the head nor the log's end changed.
    private void RefreshMembership()
    {
        BlockHeader head = _blocks.Head!;
        Hash256 headHash = _blocks.HeadHash;
        if (headHash != _registryHead)
        {
            _registryHead = headHash;
            foreach (RegisteredNode node in GovernanceState.At(_store, _suite, head.StateRoot).Nodes)
            {
                if (_servers.Count <= RaftReplica.MaxServerId && !_ids.ContainsKey(node.SigningAddress))
                {
                    _ids[node.SigningAddress] = _servers.Count;
                    _servers.Add(node.SigningAddress);
                }
            }

            // Sets below the parent of the head's parent are needed no more (the replica's log holds at most one block beyond the head).
            foreach (ulong height in _sets.Keys.Where(h => h + 2 < head.Height).ToArray())
            {
                _sets.Remove(height);
            }
        }

        var replica = _replica;
        if (replica is null)
        {
            if (_selfAddress is Address self && _ids.TryGetValue(self, out int id))
            {
                CreateReplica(id);
            }

            return;
        }

        var key = (headHash, replica.LastLogIndex, replica.LastLogTerm);
        if (key == _configuredFor)
        {
            return;
        }

        _configuredFor = key;
        replica.SetConfiguration(ConfigurationFor(NextBlockHeight(replica)));
    }

    private void CreateReplica(int id)
    {
        _storage = _options.DataDirectory is null ? new InMemoryRaftStorage() : new FileRaftStorage(Path.Combine(_options.DataDirectory, LogFileName));
        BlockHeader head = _blocks.Head!;
        var replica = new RaftReplica(id, _servers.Count, _options.ToReplicaOptions(), _storage, new Random(), ConfigurationFor(head.Height + 1))
        {
            ApplicationHeight = head.Height,
        };
        // The log may already hold the head's child (a restart): configure for the block after it before anything runs.
        replica.SetConfiguration(ConfigurationFor(NextBlockHeight(replica)));
        _configuredFor = (_blocks.HeadHash, replica.LastLogIndex, replica.LastLogTerm);
        Volatile.Write(ref _self, id);
        _replica = replica;
        _role = "follower";
        if (_started)
        {
            Process(replica.Start(Now()));
        }
    }

    // The height of the block after the last block in the replica's log (or after the head): every entry before the
    // log's last block is applied (RaftOptions.OneProposalInFlight), so that block is at most the head's child.
    private ulong NextBlockHeight(RaftReplica replica)
    {
        ulong height = _blocks.Head!.Height;
        for (long index = replica.LastLogIndex; index > replica.AppliedIndex; index--)
        {
            if (replica.TryGetEntry(index, out RaftEntry entry) && !entry.Payload.IsEmpty)
            {
                try
                {
                    height = Math.Max(height, Block.Decode(entry.Payload.Span).Header.Height);
                }
                catch (Exception e) when (e is FormatException or ArgumentException)
                {
                    // Not a block: it will stop the engine when it commits; configure as if it were the head's child.
                    height = Math.Max(height, _blocks.Head.Height + 1);
                }

                break;
            }
        }

        // The registry of the head's state is exact up to head + 2 (a change executed in block h applies from h + 2).
        return Math.Min(height + 1, _blocks.Head.Height + 2);
    }

    // The voters of the block at height h; both majorities when the set differs from the previous one by more than one server.
    private RaftConfiguration ConfigurationFor(ulong height)
    {
        int[] voters = Ids(ValidatorsAt(height));
        if (height >= 2)
        {
            int[] previous = Ids(ValidatorsAt(height - 1));
            int differences = voters.Count(id => Array.IndexOf(previous, id) < 0) + previous.Count(id => Array.IndexOf(voters, id) < 0);
            if (differences > 1)
            {
                return new RaftConfiguration(voters, previous);
            }
        }

        return new RaftConfiguration(voters);
    }

    private int[] Ids(Address[] addresses)
    {
        var ids = new List<int>(addresses.Length);
        foreach (Address address in addresses)
        {
            if (_ids.TryGetValue(address, out int id))
            {
                ids.Add(id);
            }
        }

        return [.. ids];
    }

    // V(h): the registry's validators at h read from the state of block h - 1, or from the head's state for h - 1 above the head (exact up to head + 2).
    private Address[] ValidatorsAt(ulong height)
    {
        if (_sets.TryGetValue(height, out Address[]? set))
        {
            return set;
        }

        BlockHeader head = _blocks.Head!;
        Hash256 root = height >= 1 && height - 1 < head.Height ? _blocks.GetStateRoot(height - 1) ?? head.StateRoot : head.StateRoot;
        set = ReadValidators(root, height);
        if (height <= head.Height + 1)
        {
            _sets[height] = set; // exact for good; head + 2 is re-read once the head moves
        }

        return set;
    }

    private Address[] ReadValidators(Hash256 stateRoot, ulong height)
    {
        var governance = GovernanceState.At(_store, _suite, stateRoot);
        if (governance.Nodes.Count == 0)
        {
            return _genesisValidators; // a chain without a node registry keeps its genesis validators
        }

        IReadOnlyList<RegisteredNode> validators = governance.ValidatorsAt(height);
        var addresses = new Address[validators.Count];
        for (int i = 0; i < addresses.Length; i++)
        {
            addresses[i] = validators[i].SigningAddress;
        }

        return addresses;
    }

    private void RaiseKnownHeight(ulong height)
    {
        long value = (long)Math.Min(height, long.MaxValue);
        long seen = Interlocked.Read(ref _knownHeight);
        while (value > seen)
        {
            long before = Interlocked.CompareExchange(ref _knownHeight, value, seen);
            if (before == seen)
            {
                return;
            }

            seen = before;
        }
    }

    // After block sync brought the head to the leader's height, the log can restart after the leader's compaction point.
    private void InstallCaughtUpSnapshot()
    {
        if (_catchUp is RaftCatchUp catchUp && _blocks.Head!.Height >= catchUp.LeaderHeight)
        {
            _replica!.InstallSnapshot(catchUp.SnapshotIndex, catchUp.SnapshotTerm);
            _replica.ApplicationHeight = _blocks.Head.Height;
            _catchUp = null;
        }
    }

    private void ApplyEntry(RaftEntry entry)
    {
        if (entry.Payload.IsEmpty)
        {
            return; // a leader's no-op (§8)
        }

        Block block;
        try
        {
            block = Block.Decode(entry.Payload.Span);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new InvalidOperationException($"committed raft entry {entry.Index} (term {entry.Term}) is not a block: {e.Message}", e);
        }

        BlockHeader head = _blocks.Head!;
        ulong height = block.Header.Height;
        Hash256 hash = block.Header.ComputeHash(_suite);
        if (height <= head.Height)
        {
            // Already applied, through block sync or before a restart: it must be the same block.
            if (_blocks.GetBlockHash(height) != hash)
            {
                throw new InvalidOperationException($"committed raft entry {entry.Index} is block {height} ({hash}), but the block store holds {_blocks.GetBlockHash(height)} at that height");
            }

            return;
        }

        if (height != head.Height + 1)
        {
            throw new InvalidOperationException($"committed raft entry {entry.Index} is block {height}, but the head is only {head.Height}");
        }

        if (_inFlight is InFlight own && own.Hash == hash && own.ParentHash == _blocks.HeadHash)
        {
            _inFlight = null;
            CommitExecuted(block, own.Execution, own.State);
            return;
        }

        var state = new WorldState(_store, _suite, head.StateRoot);
        BlockExecutionResult result = _executor.Execute(state, head, block, _blocks.GetBlockHash, _pool);
        if (!result.IsValid)
        {
            throw new InvalidOperationException($"committed block {height} ({hash}) from raft entry {entry.Index} does not re-execute to its header: {result.InvalidReason}");
        }

        CommitExecuted(block, result, state);
    }

    private SyncApplyResult ApplySynced(IReadOnlyList<Block> blocks)
    {
        int applied = 0;
        foreach (Block block in blocks)
        {
            string? error = ApplySyncedBlock(block);
            if (error is not null)
            {
                if (_logger is not null)
                {
                    RaftLog.SyncRefused(_logger, error);
                }

                return new SyncApplyResult(applied, error);
            }

            applied++;
        }

        if (_replica is not null)
        {
            _replica.ApplicationHeight = _blocks.Head!.Height;
            InstallCaughtUpSnapshot();
        }

        RefreshMembership();
        UpdateRole();
        return new SyncApplyResult(applied, null);
    }

    private string? ApplySyncedBlock(Block block)
    {
        if (block is null)
        {
            return "a synced block is missing (null)";
        }

        if (!VerifyCommitCertificate(block, out string? error))
        {
            return error;
        }

        BlockHeader head = _blocks.Head!;
        BlockHeader header = block.Header;
        Hash256 hash = header.ComputeHash(_suite);
        if (header.Height <= head.Height)
        {
            return _blocks.GetBlockHash(header.Height) == hash ? null : $"synced block {header.Height} ({hash}) differs from the committed block at that height";
        }

        if (header.Height != head.Height + 1 || header.ParentHash != _blocks.HeadHash)
        {
            return $"synced block {header.Height} with parent {header.ParentHash} does not extend the head, block {head.Height} ({_blocks.HeadHash})";
        }

        var state = new WorldState(_store, _suite, head.StateRoot);
        BlockExecutionResult result = _executor.Execute(state, head, block, _blocks.GetBlockHash, _pool);
        if (!result.IsValid)
        {
            return $"synced block {header.Height} ({hash}) does not execute to its header: {result.InvalidReason}";
        }

        CommitExecuted(block, result, state);
        return null;
    }

    private void CommitExecuted(Block block, BlockExecutionResult execution, WorldState state)
    {
        _blocks.Commit(block, execution, state);
        BlocksCommitted++;
        if (_inFlight is InFlight stale && stale.Height <= block.Header.Height)
        {
            _inFlight = null;
        }

        BlockCommittedEventArgs committed = PoolUpkeep.OnCommitted(_pool, block, _blocks.HeadHash, execution, state);
        RaiseKnownHeight(block.Header.Height);
        BlockCommitted?.Invoke(this, committed);
    }

    private void TryPropose()
    {
        var replica = _replica;
        if (replica is null || !replica.CanPropose || _pool.Count == 0)
        {
            return;
        }

        long now = Now();
        if (_lastProposal != long.MinValue && now - _lastProposal < (long)_options.BlockInterval.TotalMilliseconds)
        {
            return; // the tick comes round again
        }

        IReadOnlyList<VerifiedTransaction> pending = _pool.GetPending(_options.MaxTransactionsPerBlock, (long)_options.BlockGasLimit);
        if (pending.Count == 0)
        {
            return;
        }

        BlockHeader head = _blocks.Head!;
        var state = new WorldState(_store, _suite, head.StateRoot);
        ulong seconds = (ulong)Math.Max(0, _time.GetUtcNow().ToUnixTimeSeconds());
        var context = new BlockProposalContext(head.Height + 1, Math.Max(head.Timestamp, seconds), _servers[_self], _options.BlockGasLimit, _blocks.GetBlockHash);
        BlockExecutionResult result = _executor.Execute(state, head, context, pending, skipInvalid: true);
        if (!result.IsValid)
        {
            throw new InvalidOperationException($"Raft leader built an invalid block {context.Height}: {result.InvalidReason}");
        }

        PoolUpkeep.DropSkipped(_pool, result);

        if (result.Transactions.Count == 0)
        {
            return;
        }

        Hash256 hash = result.Header.ComputeHash(_suite);
        long index = replica.LastLogIndex + 1;
        var certificate = RaftCommitCertificate.Sign(_suite, _key!, _genesis, replica.CurrentTerm, index, hash);
        var block = new Block(result.Header.WithCertificate(certificate.Encode()), result.Block.Transactions);
        _inFlight = new InFlight(hash, _blocks.HeadHash, context.Height, result, state);
        _lastProposal = now;
        var output = new RaftOutput();
        replica.Propose(block.Encode(), now, output);
        Process(output);
    }

    private sealed record InFlight(Hash256 Hash, Hash256 ParentHash, ulong Height, BlockExecutionResult Execution, WorldState State);

    private abstract record EngineEvent;

    private sealed record MessageEvent(int From, RaftMessage Message) : EngineEvent;

    private sealed record SyncEvent(IReadOnlyList<Block> Blocks, TaskCompletionSource<SyncApplyResult> Done) : EngineEvent;

    private sealed record TickEvent : EngineEvent
    {
        public static readonly TickEvent Instance = new();
    }
}
