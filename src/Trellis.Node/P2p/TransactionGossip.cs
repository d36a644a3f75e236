using System.Threading.Channels;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Trellis.Network;
using Trellis.Network.Admission;
using Trellis.Network.Messages;

namespace Trellis.Node.P2p;

/// <summary>
/// Gossips the transactions this node accepted from its clients to the validators. Accepted transactions are queued;
/// a loop collects whatever arrived within <see cref="PeerNetworkOptions.GossipInterval"/> and sends it as one
/// TRANSACTION frame (a <see cref="TransactionBatch"/>) per validator, so thousands of transactions a second cost
/// tens of frames. Receivers pool gossiped transactions and never forward them again.
/// </summary>
public sealed class TransactionGossip : IAsyncDisposable
{
    // Protobuf overhead of one repeated bytes field: a tag byte and up to 5 bytes of length.
    private const int PerTransactionOverhead = 6;

    private readonly NetworkHost _host;
    private readonly PeerNetworkOptions _options;
    private readonly ILogger _logger;
    private readonly int _maxBatchBytes;
    private readonly Channel<ReadOnlyMemory<byte>> _queue;
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;
    private long _queued;
    private long _dropped;
    private long _batches;
    private int _pending;

    /// <summary>Creates the gossip over <paramref name="host"/>; call <see cref="Start"/>.</summary>
    public TransactionGossip(NetworkHost host, PeerNetworkOptions options, int maxFrameSize, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _host = host;
        _options = options;
        _logger = logger ?? NullLogger.Instance;

        // Leave room for the envelope around the batch.
        _maxBatchBytes = Math.Max(1024, Math.Min(options.MaxGossipBatchBytes, maxFrameSize - 64));
        // Written once per accepted transaction from the RPC threads: unbounded (lock-free writes, unlike a bounded
        // channel's lock) and bounded by _pending instead.
        _queue = Channel.CreateUnbounded<ReadOnlyMemory<byte>>(new UnboundedChannelOptions { SingleReader = true });
    }

    /// <summary>Transactions queued for gossip.</summary>
    public long Queued => Interlocked.Read(ref _queued);

    /// <summary>Transactions not gossiped because the queue was full or too large for a frame.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Batches broadcast (each to every connected validator).</summary>
    public long BatchesSent => Interlocked.Read(ref _batches);

    /// <summary>
    /// Queues an accepted transaction (its raw signed bytes) for the next batch. The bytes are kept, not copied: do
    /// not change them afterwards. False when the queue is full (the transaction stays in this node's pool).
    /// </summary>
    public bool Enqueue(ReadOnlyMemory<byte> rawTransaction)
    {
        if (rawTransaction.Length + PerTransactionOverhead > _maxBatchBytes)
        {
            Interlocked.Increment(ref _dropped);
            return false;
        }

        if (Interlocked.Increment(ref _pending) > _options.GossipQueueCapacity || !_queue.Writer.TryWrite(rawTransaction))
        {
            Interlocked.Decrement(ref _pending);
            Interlocked.Increment(ref _dropped);
            return false;
        }

        Interlocked.Increment(ref _queued);
        return true;
    }

    /// <summary>Starts the batching loop.</summary>
    public void Start()
    {
        if (_loop is not null)
        {
            throw new InvalidOperationException("transaction gossip was already started");
        }

        _loop = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
    }

    /// <summary>Stops the loop; transactions still queued are not sent.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (!_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
        }

        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        ChannelReader<ReadOnlyMemory<byte>> reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stopping).ConfigureAwait(false))
            {
                // Let a batch gather: at 5,000 tx/s a 15 ms wait collects about 75 transactions per frame.
                await Task.Delay(_options.GossipInterval, stopping).ConfigureAwait(false);
                while (reader.TryPeek(out _))
                {
                    SendBatch(reader);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private void SendBatch(ChannelReader<ReadOnlyMemory<byte>> reader)
    {
        var batch = new TransactionBatch();
        int bytes = 0;
        while (reader.TryPeek(out ReadOnlyMemory<byte> next) && (batch.Transactions.Count == 0 || bytes + next.Length + PerTransactionOverhead <= _maxBatchBytes))
        {
            reader.TryRead(out _);
            Interlocked.Decrement(ref _pending);
            batch.Transactions.Add(UnsafeByteOperations.UnsafeWrap(next));
            bytes += next.Length + PerTransactionOverhead;
        }

        if (batch.Transactions.Count == 0)
        {
            return;
        }

        byte[] payload = batch.ToByteArray();
        int peers = _host.Broadcast(MessageType.Transaction, payload, PeerRoles.Validators);
        Interlocked.Increment(ref _batches);
        P2pLog.GossipSent(_logger, batch.Transactions.Count, payload.Length, peers);
    }
}
