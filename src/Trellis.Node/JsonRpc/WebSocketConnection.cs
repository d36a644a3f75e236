using System.Net.WebSockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Trellis.Node.JsonRpc;

/// <summary>
/// One WebSocket client: a bounded send queue drained by a single writer task. When the queue overflows the
/// client is aborted instead of making the producer (block import, tx pool) wait.
/// </summary>
internal sealed partial class WebSocketConnection : IJsonRpcConnection, IDisposable
{
    private readonly WebSocket _socket;
    private readonly Channel<ReadOnlyMemory<byte>> _queue;
    private readonly CancellationTokenSource _closed;
    private readonly ILogger _logger;
    private readonly string _remote;
    private int _aborted;

    public WebSocketConnection(WebSocket socket, int queueCapacity, ILogger logger, string remote, CancellationToken requestAborted)
    {
        _socket = socket;
        _logger = logger;
        _remote = remote;
        _queue = Channel.CreateBounded<ReadOnlyMemory<byte>>(new BoundedChannelOptions(queueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _closed = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
    }

    public CancellationToken Closed => _closed.Token;

    public bool TrySend(ReadOnlyMemory<byte> message)
    {
        if (_closed.IsCancellationRequested)
        {
            return false;
        }

        if (_queue.Writer.TryWrite(message))
        {
            return true;
        }

        if (_closed.IsCancellationRequested || Volatile.Read(ref _aborted) != 0)
        {
            return false;
        }

        LogSlowClient(_logger, _remote, _queue.Reader.Count);
        Abort();
        return false;
    }

    /// <summary>Sends queued messages until the queue is completed or the connection closes.</summary>
    public async Task RunSendLoopAsync()
    {
        try
        {
            await foreach (ReadOnlyMemory<byte> message in _queue.Reader.ReadAllAsync(_closed.Token).ConfigureAwait(false))
            {
                await _socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, _closed.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // The client went away or was aborted; nothing more can be delivered.
            Abort();
        }
    }

    /// <summary>Stops accepting messages; the send loop ends after what is already queued.</summary>
    public void CompleteSending() => _queue.Writer.TryComplete();

    /// <summary>Drops the connection at once (slow client, oversized message or shutdown).</summary>
    public void Abort()
    {
        if (Interlocked.Exchange(ref _aborted, 1) != 0)
        {
            return;
        }

        _queue.Writer.TryComplete();
        try
        {
            _closed.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already disposed by the request's end.
        }

        _socket.Abort();
    }

    /// <summary>Marks the connection closed so subscriptions stop.</summary>
    public void MarkClosed()
    {
        _queue.Writer.TryComplete();
        try
        {
            _closed.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already disposed.
        }
    }

    public void Dispose() => _closed.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "JSON-RPC WebSocket client {Remote} disconnected: its send queue of {Count} messages overflowed")]
    private static partial void LogSlowClient(ILogger logger, string remote, int count);
}
