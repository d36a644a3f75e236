using System.Collections.Frozen;
using System.Threading.Channels;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Trellis.Consensus;
using Trellis.Core;
using Trellis.Ledger.Blocks;
using Trellis.Ledger.Pool;
using Trellis.Ledger.Storage;
using Trellis.Network;
using Trellis.Network.Admission;
using Trellis.Network.Messages;
using Trellis.Network.Peers;
using Trellis.Node.Rpc;

namespace Trellis.Node.P2p;

/// <summary>
/// A node's use of the peer network, wired to its consensus engine and block store:
/// <list type="bullet">
/// <item>CONSENSUS frames to and from the engine (<see cref="Consensus"/>, <see cref="INetworkedConsensusEngine.Receive"/>);</item>
/// <item>transaction gossip: transactions accepted from clients go to the validators in batches; gossiped ones are
/// pooled through <see cref="IConsensusEngine.Submit"/> and never forwarded again;</item>
/// <item>block announcements: the head goes to every peer after each commit, on connect and every few seconds;</item>
/// <item>block serving and block sync (<see cref="BlockSynchronizer"/>).</item>
/// </list>
/// One loop reads the host's inbound messages; pooling gossip and answering range requests run on their own loops
/// (each behind a bounded queue that drops when full), so neither delays consensus messages.
/// </summary>
public sealed class PeerNetwork : IPeerNetwork, IAsyncDisposable
{
    private readonly NetworkHost _host;
    private readonly INetworkedConsensusEngine _engine;
    private readonly BlockStore _blocks;
    private readonly PeerNetworkOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly FrozenDictionary<Hash256, Address> _admittedAddresses;
    private readonly Channel<InboundMessage> _receivedBatches;
    private readonly Channel<InboundMessage> _rangeRequests;
    private readonly Channel<bool> _announce = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _loops = [];
    private long _transactionsReceived;
    private long _transactionsRejected;
    private long _malformed;
    private long _dropped;
    private long _rangesServed;
    private long _expelled;
    private int _started;
    private int _disposed;

    /// <summary>
    /// Wires <paramref name="host"/> (not yet started) to <paramref name="engine"/> and <paramref name="blocks"/>.
    /// <paramref name="admittedAddresses"/> maps each admitted node certificate fingerprint to the signing address
    /// genesis gives that node; a peer whose certificate claims another address is disconnected.
    /// </summary>
    public PeerNetwork(
        NetworkHost host,
        INetworkedConsensusEngine engine,
        BlockStore blocks,
        IReadOnlyDictionary<Hash256, Address> admittedAddresses,
        int maxFrameSize,
        PeerNetworkOptions? options = null,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(blocks);
        ArgumentNullException.ThrowIfNull(admittedAddresses);
        options ??= new PeerNetworkOptions();
        options.Validate();
        loggerFactory ??= NullLoggerFactory.Instance;
        _host = host;
        _engine = engine;
        _blocks = blocks;
        _options = options;
        _time = time ?? TimeProvider.System;
        _logger = loggerFactory.CreateLogger<PeerNetwork>();
        _admittedAddresses = admittedAddresses.ToFrozenDictionary();
        _receivedBatches = Channel.CreateBounded<InboundMessage>(new BoundedChannelOptions(options.ReceivedBatchQueueCapacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
        _rangeRequests = Channel.CreateBounded<InboundMessage>(new BoundedChannelOptions(options.RangeRequestQueueCapacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
        Consensus = new ConsensusNetworkBridge(host, loggerFactory.CreateLogger<ConsensusNetworkBridge>());
        Gossip = new TransactionGossip(host, options, maxFrameSize, loggerFactory.CreateLogger<TransactionGossip>());
        Synchronizer = new BlockSynchronizer(host, engine, blocks, options, loggerFactory.CreateLogger<BlockSynchronizer>(), _time);
        host.PeerConnected += OnPeerConnected;
        host.PeerDisconnected += OnPeerDisconnected;
        engine.BlockCommitted += OnBlockCommitted;
    }

    /// <summary>The transport.</summary>
    public NetworkHost Host => _host;

    /// <summary>
    /// The admission policy read from ledger state, when the node has one: a peer is then genuine when the policy
    /// admits its certificate, CA and signing address (not only the genesis ones), and <see cref="EnforceAdmission"/>
    /// closes connections it no longer admits.
    /// </summary>
    public IAdmissionPolicy? Admission { get; set; }

    /// <summary>Connections closed because their node was no longer admitted.</summary>
    public long PeersExpelled => Interlocked.Read(ref _expelled);

    /// <summary>
    /// Re-evaluates every open connection against <see cref="Admission"/>: closes those whose node is no longer
    /// admitted (removed, its organisation removed, its certificate no longer pinned) or whose role changed (it
    /// reconnects with the new role), logging why. Returns the number closed. New handshakes consult the policy
    /// themselves, so a removed node's reconnects are refused.
    /// </summary>
    public int EnforceAdmission()
    {
        if (Admission is not { } policy)
        {
            return 0;
        }

        int closed = 0;
        foreach (PeerConnection connection in _host.Peers)
        {
            PeerIdentity peer = connection.Remote;
            string? reason = null;
            if (!policy.TryAdmit(peer.AuthorityFingerprint, peer.NodeFingerprint, peer.SigningAddress, out PeerRole role, out string? refusal))
            {
                reason = "no longer admitted: " + refusal;
            }
            else if (role != peer.Role)
            {
                reason = $"its role changed from {peer.Role} to {role}; it reconnects in its new role";
            }

            if (reason is not null)
            {
                P2pLog.Expelled(_logger, peer, reason);
                connection.Close(reason);
                Interlocked.Increment(ref _expelled);
                closed++;
            }
        }

        return closed;
    }

    /// <summary>The engine's network: give it to <see cref="INetworkedConsensusEngine.Connect"/>.</summary>
    public ConsensusNetworkBridge Consensus { get; }

    /// <summary>Gossip of client transactions to the validators.</summary>
    public TransactionGossip Gossip { get; }

    /// <summary>Block sync.</summary>
    public BlockSynchronizer Synchronizer { get; }

    /// <inheritdoc/>
    public int PeerCount => _host.Peers.Count;

    /// <inheritdoc/>
    public bool IsSyncing => Synchronizer.IsSyncing;

    /// <summary>Gossiped transactions received and accepted into the pool.</summary>
    public long TransactionsReceived => Interlocked.Read(ref _transactionsReceived);

    /// <summary>Gossiped transactions the pool refused (already known, bad nonce, invalid, ...).</summary>
    public long TransactionsRejected => Interlocked.Read(ref _transactionsRejected);

    /// <summary>Messages that did not decode, or came from a peer not entitled to send them.</summary>
    public long MalformedMessages => Interlocked.Read(ref _malformed);

    /// <summary>Messages dropped unread: unknown types, or a full gossip or request queue.</summary>
    public long DroppedMessages => Interlocked.Read(ref _dropped);

    /// <summary>Block-range requests answered.</summary>
    public long RangeRequestsServed => Interlocked.Read(ref _rangesServed);

    /// <inheritdoc/>
    public SyncStatus? GetSyncStatus()
    {
        if (!Synchronizer.IsSyncing)
        {
            return null;
        }

        ulong current = _blocks.Head?.Height ?? 0;
        return new SyncStatus(Synchronizer.StartingHeight, current, Math.Max(current, Synchronizer.HighestKnownHeight));
    }

    /// <inheritdoc/>
    public void GossipTransaction(ReadOnlyMemory<byte> rawTransaction) => Gossip.Enqueue(rawTransaction);

    /// <summary>Binds the listener and starts dialling (messages wait in the host's queue until <see cref="StartProcessing"/>).</summary>
    /// <exception cref="System.Net.Sockets.SocketException">The listen endpoint cannot be bound.</exception>
    public async Task StartListeningAsync(CancellationToken cancellationToken = default)
    {
        await _host.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts reading peers' messages, gossip, announcements and block sync; call after the engine has started.</summary>
    public void StartProcessing()
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("the peer network was already started");
        }

        CancellationToken stopping = _stopping.Token;
        _loops.Add(Task.Run(() => DispatchAsync(stopping), CancellationToken.None));
        _loops.Add(Task.Run(() => PoolReceivedTransactionsAsync(stopping), CancellationToken.None));
        _loops.Add(Task.Run(() => ServeRangesAsync(stopping), CancellationToken.None));
        _loops.Add(Task.Run(() => AnnounceAsync(stopping), CancellationToken.None));
        Gossip.Start();
        Synchronizer.Start();
    }

    /// <summary>Stops block sync (it calls into the engine); the node does this before stopping the engine.</summary>
    public Task StopSyncAsync() => Synchronizer.StopAsync();

    /// <summary>Stops every loop and closes every connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _engine.BlockCommitted -= OnBlockCommitted;
        await Synchronizer.DisposeAsync().ConfigureAwait(false);
        await Gossip.DisposeAsync().ConfigureAwait(false);
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _host.DisposeAsync().ConfigureAwait(false);
        await Task.WhenAll(_loops).ConfigureAwait(false);
        _host.PeerConnected -= OnPeerConnected;
        _host.PeerDisconnected -= OnPeerDisconnected;
        _stopping.Dispose();
    }

    private void OnPeerConnected(object? sender, PeerEventArgs e)
    {
        if (!IsGenuine(e.Peer, out Address expected))
        {
            P2pLog.AddressMismatch(_logger, e.Peer, e.Peer.SigningAddress.ToLowerHex(), expected.ToLowerHex());
            if (_host.TryGetPeer(e.Peer.NodeFingerprint, out PeerConnection? connection))
            {
                connection.Close("certificate signing address does not match genesis");
            }

            return;
        }

        Consensus.OnPeerConnected(e.Peer);

        // A new or restarted peer learns our head at once, so a late joiner starts syncing without waiting.
        if (CreateAnnouncement() is { } announcement)
        {
            _host.TrySend(e.Peer.NodeFingerprint, MessageType.BlockAnnouncement, announcement);
        }
    }

    private void OnPeerDisconnected(object? sender, PeerEventArgs e)
    {
        Consensus.OnPeerDisconnected(e.Peer);
        Synchronizer.ForgetPeer(e.Peer.NodeFingerprint);
    }

    private void OnBlockCommitted(object? sender, BlockCommittedEventArgs e) => _announce.Writer.TryWrite(true);

    private bool IsGenuine(PeerIdentity peer, out Address expected)
    {
        if (Admission is { } policy)
        {
            // The policy checked this certificate's signing address in the handshake; ask again, for a change since.
            expected = peer.SigningAddress;
            return policy.TryAdmit(peer.AuthorityFingerprint, peer.NodeFingerprint, peer.SigningAddress, out _, out _);
        }

        return _admittedAddresses.TryGetValue(peer.NodeFingerprint, out expected) && expected == peer.SigningAddress;
    }

    private byte[]? CreateAnnouncement()
    {
        BlockHeader? head = _blocks.Head;
        if (head is null)
        {
            return null;
        }

        Hash256? hash = _blocks.GetBlockHash(head.Height);
        var announcement = new BlockAnnouncement { Height = head.Height };
        if (hash is { } h)
        {
            announcement.Hash = UnsafeByteOperations.UnsafeWrap(h.ToArray());
        }

        return announcement.ToByteArray();
    }

    private async Task DispatchAsync(CancellationToken stopping)
    {
        ChannelReader<InboundMessage> inbound = _host.Inbound;
        try
        {
            while (await inbound.WaitToReadAsync(stopping).ConfigureAwait(false))
            {
                while (inbound.TryRead(out InboundMessage? message))
                {
                    Dispatch(message);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private void Dispatch(InboundMessage message)
    {
        PeerIdentity peer = message.Peer;
        if (!IsGenuine(peer, out _))
        {
            Drop(message, "its certificate's signing address does not match genesis", malformed: true);
            return;
        }

        switch (message.Type)
        {
            case MessageType.Consensus:
                try
                {
                    _engine.Receive(peer.SigningAddress, message.Payload);
                }
#pragma warning disable CA1031 // The engine must never throw here (its contract); if it does, the dispatcher carries on.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    P2pLog.EngineReceiveFailed(_logger, peer, e);
                }

                break;
            case MessageType.Transaction:
                if (!_receivedBatches.Writer.TryWrite(message))
                {
                    Drop(message, "the gossip queue is full", malformed: false);
                }

                break;
            case MessageType.BlockAnnouncement:
                ReadAnnouncement(message);
                break;
            case MessageType.BlockRangeRequest:
                if (!message.ExpectsResponse)
                {
                    Drop(message, "a block range request must be sent as a request", malformed: true);
                }
                else if (!_rangeRequests.Writer.TryWrite(message))
                {
                    Drop(message, "too many block range requests waiting", malformed: false);
                }

                break;
            default:
                // Unsolicited range responses land here too: answers to our requests never reach the inbound channel.
                Drop(message, "not a message type this node handles", malformed: false);
                break;
        }
    }

    private void ReadAnnouncement(InboundMessage message)
    {
        BlockAnnouncement announcement;
        try
        {
            announcement = BlockAnnouncement.Parser.ParseFrom(message.Payload.Span);
        }
        catch (InvalidProtocolBufferException e)
        {
            Drop(message, $"not a BlockAnnouncement: {e.Message}", malformed: true);
            return;
        }

        if (announcement.Hash.Length is not (0 or Hash256.Length))
        {
            Drop(message, $"announced hash has {announcement.Hash.Length} bytes, not 32", malformed: true);
            return;
        }

        Synchronizer.NotePeerHeight(message.Peer, announcement.Height);
    }

    private async Task PoolReceivedTransactionsAsync(CancellationToken stopping)
    {
        ChannelReader<InboundMessage> batches = _receivedBatches.Reader;
        try
        {
            while (await batches.WaitToReadAsync(stopping).ConfigureAwait(false))
            {
                while (batches.TryRead(out InboundMessage? message))
                {
                    PoolBatch(message);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private void PoolBatch(InboundMessage message)
    {
        TransactionBatch batch;
        try
        {
            batch = TransactionBatch.Parser.ParseFrom(message.Payload.Span);
        }
        catch (InvalidProtocolBufferException e)
        {
            Drop(message, $"not a TransactionBatch: {e.Message}", malformed: true);
            return;
        }

        if (batch.Transactions.Count > _options.MaxTransactionsPerReceivedBatch)
        {
            Drop(message, $"{batch.Transactions.Count} transactions in one batch; the limit is {_options.MaxTransactionsPerReceivedBatch}", malformed: true);
            return;
        }

        // Admission is dominated by signature recovery: the engines admit a range through TxPool.AddRange, which
        // recovers the senders in parallel outside the pool's lock and then takes the lock once, so the batch goes
        // over in one call (splitting it here as well would parallelise twice on a starved machine). Order within a
        // batch does not matter (the pool queues a nonce that arrives before its predecessor).
        // SubmitRange never throws and checks size, encoding and signature itself. Not gossiped again: only
        // transactions from this node's own clients are.
        int count = batch.Transactions.Count;
        var range = new ReadOnlyMemory<byte>[count];
        for (int i = 0; i < count; i++)
        {
            range[i] = batch.Transactions[i].Memory;
        }

        long accepted = 0;
        foreach (TxPoolResult result in _engine.SubmitRange(range))
        {
            if (result.IsAccepted)
            {
                accepted++;
            }
        }

        Interlocked.Add(ref _transactionsReceived, accepted);
        Interlocked.Add(ref _transactionsRejected, count - accepted);
    }

    private async Task ServeRangesAsync(CancellationToken stopping)
    {
        ChannelReader<InboundMessage> requests = _rangeRequests.Reader;
        try
        {
            while (await requests.WaitToReadAsync(stopping).ConfigureAwait(false))
            {
                while (requests.TryRead(out InboundMessage? request))
                {
                    await AnswerAsync(request, stopping).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private async Task AnswerAsync(InboundMessage request, CancellationToken stopping)
    {
        try
        {
            byte[] answer = BlockRangeServer.CreateResponse(_blocks, request.Payload.Span, _options.MaxBlocksPerResponse, _options.MaxResponseBytes);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            timeout.CancelAfter(_options.SyncRequestTimeout);
            await _host.RespondAsync(request, MessageType.BlockRangeResponse, answer, timeout.Token).ConfigureAwait(false);
            Interlocked.Increment(ref _rangesServed);
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            P2pLog.RangeAnswerFailed(_logger, request.Peer, "its send queue stayed full");
        }
        catch (Exception e) when (e is PeerDisconnectedException or ArgumentException or LedgerStoreException)
        {
            P2pLog.RangeAnswerFailed(_logger, request.Peer, e.Message);
        }
        catch (ObjectDisposedException) when (stopping.IsCancellationRequested)
        {
            // The host closed while shutting down, before the queued request was answered.
        }
    }

    private async Task AnnounceAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(_options.AnnounceInterval, _time);
        Task<bool> ticking = timer.WaitForNextTickAsync(stopping).AsTask();
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                Task<bool> committed = _announce.Reader.WaitToReadAsync(stopping).AsTask();
                if (await Task.WhenAny(ticking, committed).ConfigureAwait(false) == ticking)
                {
                    await ticking.ConfigureAwait(false);
                    ticking = timer.WaitForNextTickAsync(stopping).AsTask();
                }
                else
                {
                    await committed.ConfigureAwait(false);
                }

                _announce.Reader.TryRead(out _);
                if (CreateAnnouncement() is { } announcement)
                {
                    _host.Broadcast(MessageType.BlockAnnouncement, announcement, PeerRoles.All);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }

        try
        {
            await ticking.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private void Drop(InboundMessage message, string reason, bool malformed)
    {
        Interlocked.Increment(ref malformed ? ref _malformed : ref _dropped);
        P2pLog.MessageDropped(_logger, message.Type, message.Peer, reason);
    }
}
