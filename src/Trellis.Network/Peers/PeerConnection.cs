using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Threading.Channels;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Trellis.Network.Admission;
using Trellis.Network.Framing;
using Trellis.Network.Messages;

namespace Trellis.Network.Peers;

/// <summary>
/// One authenticated connection to a peer: a reader loop, a writer loop fed by a bounded send queue, and a heartbeat.
/// Any protocol violation, I/O error or silence past the ping timeout closes it; nothing a peer sends escapes as an
/// exception to the host.
/// </summary>
public sealed class PeerConnection : IAsyncDisposable
{
    private const int MaxBatchBytes = 1024 * 1024;

    private readonly Stream _stream;
    private readonly FrameReader _frames;
    private readonly FrameWriter _writer;
    private readonly Channel<Envelope> _sendQueue;
    private readonly ChannelWriter<InboundMessage> _inbound;
    private readonly ConcurrentDictionary<ulong, TaskCompletionSource<InboundMessage>> _pending = new();
    private readonly CancellationTokenSource _closing = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly NetworkOptions _options;
    private readonly ILogger _logger;
    private long _dropped;
    private long _nextRequestId;
    private long _lastReceived = Stopwatch.GetTimestamp();
    private int _closed;
    private int _started;
    private volatile bool _delivering;

    internal PeerConnection(
        Stream stream,
        PipeReader reader,
        PipeWriter writer,
        PeerIdentity remote,
        bool outbound,
        NetworkOptions options,
        ChannelWriter<InboundMessage> inbound,
        ILogger logger)
    {
        _stream = stream;
        _frames = new FrameReader(reader, options.MaxFrameSize);
        _writer = new FrameWriter(writer, options.MaxFrameSize);
        _sendQueue = Channel.CreateBounded<Envelope>(new BoundedChannelOptions(options.SendQueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _inbound = inbound;
        _options = options;
        _logger = logger;
        Remote = remote;
        IsOutbound = outbound;
    }

    /// <summary>The peer at the other end.</summary>
    public PeerIdentity Remote { get; }

    /// <summary>Whether this node dialled the connection.</summary>
    public bool IsOutbound { get; }

    /// <summary>The peer's IP endpoint as seen on the socket (for operators; not an identity), when known.</summary>
    public System.Net.EndPoint? RemoteEndpoint { get; internal set; }

    /// <summary>Messages <see cref="TrySend"/> dropped because the send queue was full.</summary>
    public long DroppedMessages => Interlocked.Read(ref _dropped);

    /// <summary>Messages waiting in the send queue.</summary>
    public int QueuedMessages => _sendQueue.Reader.Count;

    /// <summary>Completes when the connection has closed and its loops have stopped.</summary>
    public Task Completion => _completion.Task;

    /// <summary>Why the connection closed; null while open.</summary>
    public string? CloseReason { get; private set; }

    /// <summary>Whether the connection is still open.</summary>
    public bool IsOpen => Volatile.Read(ref _closed) == 0;

    /// <summary>Queues a message, waiting while the send queue is full (backpressure).</summary>
    /// <exception cref="PeerDisconnectedException">The connection is closed.</exception>
    /// <exception cref="ArgumentException">The message exceeds the maximum frame size.</exception>
    public ValueTask SendAsync(MessageType type, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default) =>
        EnqueueAsync(CreateEnvelope(type, payload, 0, false), cancellationToken);

    /// <summary>Queues a message if there is room; otherwise drops it and counts it (for gossip).</summary>
    /// <exception cref="ArgumentException">The message exceeds the maximum frame size.</exception>
    public bool TrySend(MessageType type, ReadOnlyMemory<byte> payload) => TryEnqueue(CreateEnvelope(type, payload, 0, false));

    /// <summary>Sends a request and waits for the peer's answer.</summary>
    /// <exception cref="TimeoutException">No answer within <paramref name="timeout"/>.</exception>
    /// <exception cref="PeerDisconnectedException">The connection closed first.</exception>
    public async Task<InboundMessage> RequestAsync(MessageType type, ReadOnlyMemory<byte> payload, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        ulong id = (ulong)Interlocked.Increment(ref _nextRequestId);
        Envelope envelope = CreateEnvelope(type, payload, id, false);
        var answer = new TaskCompletionSource<InboundMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            if (!IsOpen)
            {
                throw Disconnected();
            }

            await EnqueueAsync(envelope, deadline.Token).ConfigureAwait(false);
            return await answer.Task.WaitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"request {id} ({type}) to {Remote} got no response within {timeout.TotalMilliseconds} ms");
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    /// <summary>Closes the connection (idempotent); the first reason given is kept.</summary>
    public void Close(string reason)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        CloseReason = reason;
        _sendQueue.Writer.TryComplete();
        _closing.Cancel();
        foreach (KeyValuePair<ulong, TaskCompletionSource<InboundMessage>> request in _pending)
        {
            request.Value.TrySetException(Disconnected());
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{Remote} ({(IsOutbound ? "outbound" : "inbound")})";

    internal ValueTask RespondAsync(ulong requestId, MessageType type, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        if (requestId == 0)
        {
            throw new ArgumentException($"a {type} answer needs the request id of a request; got 0", nameof(requestId));
        }

        return EnqueueAsync(CreateEnvelope(type, payload, requestId, true), cancellationToken);
    }

    /// <summary>Closes the connection and waits for its loops to stop.</summary>
    public async ValueTask DisposeAsync()
    {
        Close("disposed");
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            // Never started: nothing runs that would release the stream.
            await _stream.DisposeAsync().ConfigureAwait(false);
            _completion.TrySetResult();
        }

        await _completion.Task.ConfigureAwait(false);
        _closing.Dispose();
    }

    internal void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            _ = RunAsync();
        }
    }

    private async Task RunAsync()
    {
        CancellationToken token = _closing.Token;
        Task reading = ReadLoopAsync(token);
        Task writing = WriteLoopAsync(token);
        Task beating = HeartbeatLoopAsync(token);
        await Task.WhenAny(reading, writing, beating).ConfigureAwait(false);
        Close("connection closed");
        try
        {
            await Task.WhenAll(reading, writing, beating).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Each loop reports its own failure through Close; the rest is teardown noise.
        }

        await _stream.DisposeAsync().ConfigureAwait(false);
        _completion.TrySetResult();
    }

    private async Task ReadLoopAsync(CancellationToken token)
    {
        try
        {
            while (true)
            {
                Envelope? envelope = await _frames.ReadAsync(token).ConfigureAwait(false);
                if (envelope is null)
                {
                    Close("peer closed the connection");
                    return;
                }

                Interlocked.Exchange(ref _lastReceived, Stopwatch.GetTimestamp());
                if (!await DispatchAsync(envelope, token).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
        catch (FrameException e)
        {
            NetworkLog.ProtocolViolation(_logger, Remote, e.Message);
            Close(e.Message);
        }
        catch (OperationCanceledException)
        {
            Close("closed locally");
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or ChannelClosedException)
        {
            Close($"read failed: {e.Message}");
        }
    }

    private async ValueTask<bool> DispatchAsync(Envelope envelope, CancellationToken token)
    {
        switch (envelope.Type)
        {
            case MessageType.Ping:
                TryEnqueue(new Envelope { Type = MessageType.Pong });
                return true;
            case MessageType.Pong:
                return true;
            case MessageType.Hello:
                const string reason = "a second hello after the handshake";
                NetworkLog.ProtocolViolation(_logger, Remote, reason);
                Close(reason);
                return false;
        }

        var message = new InboundMessage(this, envelope.Type, envelope.Payload.Memory, envelope.RequestId);
        if (envelope.IsResponse)
        {
            if (_pending.TryRemove(envelope.RequestId, out TaskCompletionSource<InboundMessage>? answer))
            {
                answer.TrySetResult(message);
            }
            else
            {
                NetworkLog.UnknownResponse(_logger, Remote, envelope.RequestId);
            }

            return true;
        }

        // A full inbound queue stops this reader, so TCP pushes back on the peer; the heartbeat must not take the
        // wait for the peer's silence.
        if (!_inbound.TryWrite(message))
        {
            _delivering = true;
            try
            {
                await _inbound.WriteAsync(message, token).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Exchange(ref _lastReceived, Stopwatch.GetTimestamp());
                _delivering = false;
            }
        }

        return true;
    }

    private async Task WriteLoopAsync(CancellationToken token)
    {
        ChannelReader<Envelope> queue = _sendQueue.Reader;
        try
        {
            while (await queue.WaitToReadAsync(token).ConfigureAwait(false))
            {
                // Batch what is queued into one flush, bounded so one flush never buffers without limit.
                while (_writer.UnflushedBytes < MaxBatchBytes && queue.TryRead(out Envelope? envelope))
                {
                    _writer.Write(envelope);
                }

                await _writer.FlushAsync(token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            Close("closed locally");
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            Close($"write failed: {e.Message}");
        }
    }

    private async Task HeartbeatLoopAsync(CancellationToken token)
    {
        using var timer = new PeriodicTimer(_options.PingInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(token).ConfigureAwait(false))
            {
                TimeSpan silent = Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastReceived));
                if (!_delivering && silent > _options.PingTimeout)
                {
                    Close($"nothing received for {silent.TotalSeconds:F1} s (ping timeout {_options.PingTimeout.TotalSeconds:F1} s)");
                    return;
                }

                TryEnqueue(new Envelope { Type = MessageType.Ping });
            }
        }
        catch (OperationCanceledException)
        {
            // Closing.
        }
    }

    private async ValueTask EnqueueAsync(Envelope envelope, CancellationToken cancellationToken)
    {
        try
        {
            await _sendQueue.Writer.WriteAsync(envelope, cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            throw Disconnected();
        }
    }

    private bool TryEnqueue(Envelope envelope)
    {
        if (_sendQueue.Writer.TryWrite(envelope))
        {
            return true;
        }

        Interlocked.Increment(ref _dropped);
        return false;
    }

    private Envelope CreateEnvelope(MessageType type, ReadOnlyMemory<byte> payload, ulong requestId, bool isResponse)
    {
        if (type is MessageType.Unspecified or MessageType.Hello or MessageType.Ping or MessageType.Pong)
        {
            throw new ArgumentException($"message type {type} is reserved for the transport", nameof(type));
        }

        // The payload is wrapped, not copied: callers must not change it after sending (documented on NetworkHost).
        var envelope = new Envelope
        {
            Type = type,
            Payload = UnsafeByteOperations.UnsafeWrap(payload),
            RequestId = requestId,
            IsResponse = isResponse,
        };
        int size = envelope.CalculateSize();
        if (size > _options.MaxFrameSize)
        {
            throw new ArgumentException($"{type} message of {size} bytes exceeds the maximum frame size {_options.MaxFrameSize}", nameof(payload));
        }

        return envelope;
    }

    private PeerDisconnectedException Disconnected() =>
        new($"peer {Remote} is disconnected: {CloseReason ?? "closed"}");
}
