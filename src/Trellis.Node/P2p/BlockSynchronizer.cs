using System.Threading.Channels;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Trellis.Consensus;
using Trellis.Core;
using Trellis.Core.Rlp;
using Trellis.Crypto;
using Trellis.Ledger.Blocks;
using Trellis.Ledger.Storage;
using Trellis.Network;
using Trellis.Network.Admission;
using Trellis.Network.Messages;
using Trellis.Network.Peers;

namespace Trellis.Node.P2p;

/// <summary>
/// Brings a lagging node up to its peers. Peers announce their heads; when one (or the engine's
/// <see cref="INetworkedConsensusEngine.KnownNetworkHeight"/>) is ahead of the local head, the synchroniser asks a peer
/// that has the blocks for a range (BLOCK_RANGE_REQUEST), checks the answer strictly (heights, count, encoding,
/// parent links), and hands the blocks to <see cref="INetworkedConsensusEngine.ApplySyncedBlocksAsync"/>, which checks
/// their certificates and execution and commits them. Repeats until caught up. A peer that times out is asked again
/// later; one that answers with anything hostile is marked (its claimed height is forgotten) and the next peer asked.
/// </summary>
public sealed class BlockSynchronizer : IAsyncDisposable
{
    private readonly NetworkHost _host;
    private readonly INetworkedConsensusEngine _engine;
    private readonly BlockStore _blocks;
    private readonly ICryptoSuite _suite;
    private readonly PeerNetworkOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly CancellationTokenSource _stopping = new();

    // Guards _peers: what each connected peer claims and when it may be asked again.
    private readonly Lock _gate = new();
    private readonly Dictionary<Hash256, PeerState> _peers = [];
    private Task? _loop;
    private int _nextPeer;
    private long _applied;
    private long _rejected;
    private long _failed;
    private volatile bool _syncing;
    private ulong _startingHeight;

    /// <summary>Creates the synchroniser; call <see cref="Start"/>.</summary>
    public BlockSynchronizer(NetworkHost host, INetworkedConsensusEngine engine, BlockStore blocks, PeerNetworkOptions options, ILogger? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(blocks);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _host = host;
        _engine = engine;
        _blocks = blocks;
        _suite = blocks.Suite;
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Whether the node is behind and fetching blocks.</summary>
    public bool IsSyncing => _syncing;

    /// <summary>The head height when the current catching-up began (for eth_syncing).</summary>
    public ulong StartingHeight => Interlocked.Read(ref _startingHeight);

    /// <summary>The highest height claimed by a peer or known to the engine.</summary>
    public ulong HighestKnownHeight
    {
        get
        {
            ulong highest = _engine.KnownNetworkHeight;
            lock (_gate)
            {
                foreach (PeerState peer in _peers.Values)
                {
                    highest = Math.Max(highest, peer.Height);
                }
            }

            return highest;
        }
    }

    /// <summary>Blocks fetched and applied by sync.</summary>
    public long BlocksApplied => Interlocked.Read(ref _applied);

    /// <summary>Answers refused as hostile (malformed, wrong heights, too many blocks, bad certificate or execution).</summary>
    public long RejectedResponses => Interlocked.Read(ref _rejected);

    /// <summary>Requests that timed out or whose peer disconnected.</summary>
    public long FailedRequests => Interlocked.Read(ref _failed);

    /// <summary>Records a peer's announced head; wakes the loop when it is ahead of the local head.</summary>
    public void NotePeerHeight(PeerIdentity peer, ulong height)
    {
        ArgumentNullException.ThrowIfNull(peer);
        lock (_gate)
        {
            if (_peers.TryGetValue(peer.NodeFingerprint, out PeerState? state))
            {
                state.Height = height;
            }
            else
            {
                _peers[peer.NodeFingerprint] = new PeerState(peer) { Height = height };
            }
        }

        if (height > (_blocks.Head?.Height ?? 0))
        {
            _wake.Writer.TryWrite(true);
        }
    }

    /// <summary>Forgets a disconnected peer.</summary>
    public void ForgetPeer(Hash256 peer)
    {
        // Checked under the lock that records heights, so a replacement connection's first announcement, handled
        // after this check, is not forgotten with the old connection.
        lock (_gate)
        {
            if (!_host.TryGetPeer(peer, out _))
            {
                _peers.Remove(peer);
            }
        }
    }

    /// <summary>Starts the loop.</summary>
    public void Start()
    {
        if (_loop is not null)
        {
            throw new InvalidOperationException("block sync was already started");
        }

        _loop = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
    }

    /// <summary>Stops the loop (a batch being applied is cancelled through its token) and waits for it.</summary>
    public async Task StopAsync()
    {
        if (!_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
        }

        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _syncing = false;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        long? behindSince = null;
        ulong headWhenBehind = 0;
        using var tick = new PeriodicTimer(_options.SyncCheckInterval, _time);
        Task<bool> ticking = tick.WaitForNextTickAsync(stopping).AsTask();
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                Task<bool> waking = _wake.Reader.WaitToReadAsync(stopping).AsTask();
                Task first = await Task.WhenAny(ticking, waking).ConfigureAwait(false);
                if (first == ticking)
                {
                    await ticking.ConfigureAwait(false);
                    ticking = tick.WaitForNextTickAsync(stopping).AsTask();
                }

                _wake.Reader.TryRead(out _);
                ulong head = _blocks.Head?.Height ?? 0;
                ulong target = HighestKnownHeight;
                if (target <= head)
                {
                    behindSince = null;
                    _syncing = false;
                    continue;
                }

                // A small lag that keeps moving is a node committing on its own a moment after its peers announce:
                // the grace period restarts whenever the head advanced, so only a node that is stuck, or far behind,
                // fetches blocks.
                if (behindSince is null || head > headWhenBehind)
                {
                    behindSince = _time.GetTimestamp();
                    headWhenBehind = head;
                }

                if (target - head < _options.SyncLagThreshold && _time.GetElapsedTime(behindSince.Value) < _options.SyncGracePeriod)
                {
                    continue;
                }

                if (!_syncing)
                {
                    Interlocked.Exchange(ref _startingHeight, head);
                    _syncing = true;
                    P2pLog.SyncStarted(_logger, head, target);
                }

                await CatchUpAsync(stopping).ConfigureAwait(false);
                if ((_blocks.Head?.Height ?? 0) >= HighestKnownHeight)
                {
                    _syncing = false;
                    behindSince = null;
                    P2pLog.SyncFinished(_logger, _blocks.Head?.Height ?? 0);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is LedgerStoreException or InvalidOperationException)
            {
                // The store or engine failed under us; the engine's own Completion reports that. Try again later.
                P2pLog.SyncFailed(_logger, e);
                await Task.Delay(_options.PeerRetryDelay, _time, CancellationToken.None).ConfigureAwait(false);
            }
        }

        _syncing = false;
        try
        {
            await ticking.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    /// <summary>Fetches and applies ranges until caught up, or until no peer can serve the next block now.</summary>
    private async Task CatchUpAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            ulong head = _blocks.Head?.Height ?? 0;
            ulong target = HighestKnownHeight;
            if (head >= target)
            {
                return;
            }

            PeerState? peer = PickPeer(head + 1);
            if (peer is null)
            {
                return;
            }

            uint count = (uint)Math.Min((ulong)_options.MaxBlocksPerRequest, target - head);
            await FetchAndApplyAsync(peer, head + 1, count, stopping).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The next peer, in rotation, that claims <paramref name="height"/> and is not waiting out a failure; failing
    /// that (the engine knows of blocks no peer announced), any connected peer not waiting out a failure.
    /// </summary>
    private PeerState? PickPeer(ulong height)
    {
        long now = _time.GetTimestamp();
        lock (_gate)
        {
            PeerState? fallback = null;
            int count = _peers.Count;
            if (count == 0)
            {
                return null;
            }

            PeerState[] peers = [.. _peers.Values];
            for (int i = 0; i < count; i++)
            {
                PeerState peer = peers[(_nextPeer + i) % count];
                if (now < peer.RetryAfter)
                {
                    continue;
                }

                if (peer.Height >= height)
                {
                    _nextPeer = (_nextPeer + i + 1) % count;
                    return peer;
                }

                fallback ??= peer;
            }

            return _engine.KnownNetworkHeight >= height ? fallback : null;
        }
    }

    private async Task FetchAndApplyAsync(PeerState peer, ulong first, uint count, CancellationToken stopping)
    {
        byte[] request = new BlockRangeRequest { FirstHeight = first, Count = count }.ToByteArray();
        InboundMessage reply;
        try
        {
            reply = await _host.RequestAsync(peer.Identity.NodeFingerprint, MessageType.BlockRangeRequest, request, _options.SyncRequestTimeout, stopping).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or PeerDisconnectedException)
        {
            Interlocked.Increment(ref _failed);
            P2pLog.SyncRequestFailed(_logger, peer.Identity, first, count, e.Message);
            Penalise(peer, _options.PeerRetryDelay, forgetHeight: false);
            return;
        }

        ulong headBefore = _blocks.Head?.Height ?? 0;
        if (!TryReadBlocks(reply, first, count, out List<Block>? received, out string? problem))
        {
            Reject(peer, first, problem);
            return;
        }

        if (received.Count == 0)
        {
            // The peer has nothing from `first` on: it claimed more than it has (or fell behind). Believe what it proved.
            P2pLog.SyncEmptyResponse(_logger, peer.Identity, first);
            lock (_gate)
            {
                peer.Height = Math.Min(peer.Height, first - 1);
            }

            Penalise(peer, _options.PeerRetryDelay, forgetHeight: false);
            return;
        }

        if (!TrySkipKnownAndLink(received, out List<Block>? fresh, out problem))
        {
            Reject(peer, first, problem);
            return;
        }

        if (fresh.Count == 0)
        {
            return;
        }

        SyncApplyResult result = await _engine.ApplySyncedBlocksAsync(fresh, stopping).ConfigureAwait(false);
        Interlocked.Add(ref _applied, result.Applied);
        if (result.Applied > 0)
        {
            P2pLog.SyncApplied(_logger, result.Applied, fresh[0].Header.Height, peer.Identity);
        }

        lock (_gate)
        {
            // The peer proved it has these blocks.
            peer.Height = Math.Max(peer.Height, received[^1].Header.Height);
        }

        if (result.Error is not null)
        {
            // Our head moving meanwhile (the engine committed by itself) is not the peer's fault.
            if (result.Applied == 0 && (_blocks.Head?.Height ?? 0) != headBefore)
            {
                return;
            }

            ulong refused = fresh[Math.Min(result.Applied, fresh.Count - 1)].Header.Height;
            Reject(peer, refused, $"the engine refused block {refused}: {result.Error}");
        }
    }

    /// <summary>Decodes an answer strictly: the right type, protobuf, first height, at most the count, consecutive heights.</summary>
    private static bool TryReadBlocks(InboundMessage reply, ulong first, uint count, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out List<Block>? blocks, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? problem)
    {
        blocks = null;
        if (reply.Type != MessageType.BlockRangeResponse)
        {
            problem = $"answered with a {reply.Type} message instead of a block range";
            return false;
        }

        BlockRangeResponse response;
        try
        {
            response = BlockRangeResponse.Parser.ParseFrom(reply.Payload.Span);
        }
        catch (InvalidProtocolBufferException e)
        {
            problem = $"the answer is not a BlockRangeResponse: {e.Message}";
            return false;
        }

        if (response.FirstHeight != first)
        {
            problem = $"the answer starts at height {response.FirstHeight}, not the {first} asked for";
            return false;
        }

        if (response.Blocks.Count > count)
        {
            problem = $"the answer holds {response.Blocks.Count} blocks; {count} were asked for";
            return false;
        }

        if (response.Certificates.Count != 0)
        {
            problem = $"the answer carries {response.Certificates.Count} separate certificates; certificates ride in the block headers";
            return false;
        }

        blocks = new List<Block>(response.Blocks.Count);
        for (int i = 0; i < response.Blocks.Count; i++)
        {
            Block block;
            try
            {
                block = Block.Decode(response.Blocks[i].Span);
            }
            catch (RlpException e)
            {
                blocks = null;
                problem = $"block {i} of the answer does not decode: {e.Message}";
                return false;
            }

            if (block.Header.Height != first + (ulong)i)
            {
                blocks = null;
                problem = $"block {i} of the answer has height {block.Header.Height}, not {first + (ulong)i}";
                return false;
            }

            blocks.Add(block);
        }

        problem = null;
        return true;
    }

    /// <summary>
    /// Drops the blocks the node already has (the engine may have committed them meanwhile), refusing any that differ
    /// from ours, and checks that the rest link up: each names the previous one's hash as its parent.
    /// </summary>
    private bool TrySkipKnownAndLink(List<Block> received, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out List<Block>? fresh, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? problem)
    {
        fresh = null;
        ulong head = _blocks.Head?.Height ?? 0;
        int start = 0;
        while (start < received.Count && received[start].Header.Height <= head)
        {
            Block known = received[start];
            Hash256? ours = _blocks.GetBlockHash(known.Header.Height);
            if (ours is null || ours.Value != known.Header.ComputeHash(_suite))
            {
                problem = $"block {known.Header.Height} differs from the committed block at that height";
                return false;
            }

            start++;
        }

        fresh = received.GetRange(start, received.Count - start);
        if (fresh.Count == 0)
        {
            problem = null;
            return true;
        }

        Hash256? parent = _blocks.GetBlockHash(fresh[0].Header.Height - 1);
        for (int i = 0; i < fresh.Count; i++)
        {
            BlockHeader header = fresh[i].Header;
            if (parent is null || header.ParentHash != parent.Value)
            {
                fresh = null;
                problem = $"block {header.Height} names parent {header.ParentHash}, not {(parent is null ? "a known block" : parent.Value.ToString())}";
                return false;
            }

            parent = header.ComputeHash(_suite);
        }

        problem = null;
        return true;
    }

    private void Reject(PeerState peer, ulong first, string reason)
    {
        P2pLog.SyncResponseRejected(_logger, peer.Identity, first, reason);
        Interlocked.Increment(ref _rejected);

        // A peer that lies about blocks is not believed about its height either, and is asked last.
        Penalise(peer, _options.PeerRetryDelay * 4, forgetHeight: true);
    }

    private void Penalise(PeerState peer, TimeSpan delay, bool forgetHeight)
    {
        lock (_gate)
        {
            peer.RetryAfter = _time.GetTimestamp() + (long)(delay.TotalSeconds * _time.TimestampFrequency);
            if (forgetHeight)
            {
                peer.Height = 0;
            }
        }
    }

    /// <summary>What the synchroniser knows of one peer; guarded by <see cref="_gate"/>.</summary>
    private sealed class PeerState(PeerIdentity identity)
    {
        public PeerIdentity Identity { get; } = identity;

        public ulong Height { get; set; }

        public long RetryAfter { get; set; }
    }
}
