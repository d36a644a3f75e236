using System.Diagnostics;
using System.Net.WebSockets;
using System.Threading.Channels;

namespace Trellis.Cli.Bench;

/// <summary>
/// The timed submission: <c>concurrency</c> workers each keep one batch in flight (an HTTP request or a WebSocket
/// message), batches go round-robin over the nodes. A closed loop hands out the next batch as soon as a worker is
/// free (and, with a pending bound, once enough earlier transactions committed); an open loop releases batches on a
/// clock and records each transaction's submission at its scheduled time, so a slow node cannot hide latency by
/// slowing the generator down (no coordinated omission).
/// </summary>
internal sealed class LoadGenerator
{
    private readonly PreparedLoad _load;
    private readonly RunRecorder _recorder;
    private readonly IReadOnlyList<BenchNode> _nodes;
    private readonly BenchSettings _settings;
    private readonly int _maxPending;

    public LoadGenerator(PreparedLoad load, RunRecorder recorder, IReadOnlyList<BenchNode> nodes, BenchSettings settings, int maxPending)
    {
        _load = load;
        _recorder = recorder;
        _nodes = nodes;
        _settings = settings;
        _maxPending = maxPending;
    }

    /// <summary>Stopwatch ticks of the first submission.</summary>
    public long StartTicks { get; private set; }

    /// <summary>Submits every batch; returns when all are answered or <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunAsync(IReadOnlyList<BenchRpcClient> clients, CancellationToken cancellationToken)
    {
        int batches = _load.Bodies.Length;
        var queue = Channel.CreateUnbounded<(int Batch, long Scheduled)>(new UnboundedChannelOptions { SingleWriter = true });
        StartTicks = Stopwatch.GetTimestamp();
        Task feeder;
        if (_settings.Rate is double rate)
        {
            feeder = FeedOnClockAsync(queue.Writer, batches, rate, cancellationToken);
        }
        else
        {
            for (int b = 0; b < batches; b++)
            {
                queue.Writer.TryWrite((b, 0));
            }

            queue.Writer.Complete();
            feeder = Task.CompletedTask;
        }

        int workers = Math.Min(_settings.Concurrency, batches);
        var tasks = new Task[workers + 1];
        for (int w = 0; w < workers; w++)
        {
            int worker = w;
            tasks[w] = _settings.Transport == BenchTransport.WebSocket
                ? Task.Run(() => RunWebSocketWorkerAsync(worker, clients, queue.Reader, cancellationToken), CancellationToken.None)
                : Task.Run(() => RunHttpWorkerAsync(clients, queue.Reader, cancellationToken), CancellationToken.None);
        }

        tasks[workers] = feeder;
        await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    private async Task FeedOnClockAsync(ChannelWriter<(int, long)> writer, int batches, double rate, CancellationToken cancellationToken)
    {
        try
        {
            double ticksPerTransaction = Stopwatch.Frequency / rate;
            for (int b = 0; b < batches && !cancellationToken.IsCancellationRequested; b++)
            {
                long due = StartTicks + (long)(_load.BatchStart(b) * ticksPerTransaction);
                long wait = due - Stopwatch.GetTimestamp();
                if (wait > Stopwatch.Frequency / 500)
                {
                    // Sleep most of the way, then the final stretch: Task.Delay alone is only millisecond-grained.
                    await Task.Delay(TimeSpan.FromSeconds((double)(wait - (Stopwatch.Frequency / 1000)) / Stopwatch.Frequency), cancellationToken).ConfigureAwait(false);
                }

                while (Stopwatch.GetTimestamp() < due)
                {
                    Thread.Yield();
                }

                writer.TryWrite((b, due));
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped by the stall timeout.
        }
        finally
        {
            writer.Complete();
        }
    }

    private async Task RunHttpWorkerAsync(IReadOnlyList<BenchRpcClient> clients, ChannelReader<(int Batch, long Scheduled)> queue, CancellationToken cancellationToken)
    {
        try
        {
            while (await queue.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (queue.TryRead(out (int Batch, long Scheduled) item))
                {
                    int start = _load.BatchStart(item.Batch);
                    int count = _load.BatchCount(item.Batch);
                    await WaitForRoomAsync(count, cancellationToken).ConfigureAwait(false);
                    int node = item.Batch % clients.Count;
                    long now = Stopwatch.GetTimestamp();
                    _recorder.MarkSent(start, count, item.Scheduled == 0 ? now : item.Scheduled, item.Scheduled == 0 ? 0 : now - item.Scheduled);
                    try
                    {
                        byte[] answer = await clients[node].PostAsync(_load.Bodies[item.Batch], cancellationToken).ConfigureAwait(false);
                        _recorder.MarkAnswered(Stopwatch.GetTimestamp());
                        BatchAnswer.Record(answer, start, count, _recorder, _nodes[node].Name);
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
                    {
                        BatchAnswer.RejectAll(start, count, _recorder, $"{_nodes[node].Name}: {(e is TaskCanceledException ? "no answer in time" : e.Message)}");
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped by the stall timeout.
        }
    }

    private async Task RunWebSocketWorkerAsync(int worker, IReadOnlyList<BenchRpcClient> clients, ChannelReader<(int Batch, long Scheduled)> queue, CancellationToken cancellationToken)
    {
        int node = worker % clients.Count;
        Uri url = new UriBuilder(clients[node].Endpoint) { Scheme = clients[node].Endpoint.Scheme == Uri.UriSchemeHttps ? "wss" : "ws" }.Uri;
        using var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        try
        {
            await socket.ConnectAsync(url, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or HttpRequestException)
        {
            // Nothing from this worker can be sent; the other workers drain the queue. If all fail, every batch is refused.
            await DrainAsRejectedAsync(queue, $"{_nodes[node].Name}: WebSocket {url} cannot be opened: {e.Message}", cancellationToken).ConfigureAwait(false);
            return;
        }

        try
        {
            while (await queue.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (queue.TryRead(out (int Batch, long Scheduled) item))
                {
                    int start = _load.BatchStart(item.Batch);
                    int count = _load.BatchCount(item.Batch);
                    await WaitForRoomAsync(count, cancellationToken).ConfigureAwait(false);
                    long now = Stopwatch.GetTimestamp();
                    _recorder.MarkSent(start, count, item.Scheduled == 0 ? now : item.Scheduled, item.Scheduled == 0 ? 0 : now - item.Scheduled);
                    try
                    {
                        await socket.SendAsync(_load.Bodies[item.Batch], WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
                        buffer.SetLength(0);
                        WebSocketReceiveResult result;
                        do
                        {
                            result = await socket.ReceiveAsync(chunk, cancellationToken).ConfigureAwait(false);
                            if (result.MessageType == WebSocketMessageType.Close)
                            {
                                throw new WebSocketException($"the node closed the connection ({socket.CloseStatusDescription})");
                            }

                            buffer.Write(chunk, 0, result.Count);
                        }
                        while (!result.EndOfMessage);
                        _recorder.MarkAnswered(Stopwatch.GetTimestamp());
                        BatchAnswer.Record(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), start, count, _recorder, _nodes[node].Name);
                    }
                    catch (WebSocketException e)
                    {
                        BatchAnswer.RejectAll(start, count, _recorder, $"{_nodes[node].Name}: WebSocket: {e.Message}");
                        await DrainAsRejectedAsync(queue, $"{_nodes[node].Name}: WebSocket: {e.Message}", cancellationToken).ConfigureAwait(false);
                        return;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped by the stall timeout.
        }
    }

    private async Task DrainAsRejectedAsync(ChannelReader<(int Batch, long Scheduled)> queue, string message, CancellationToken cancellationToken)
    {
        // A broken connection gives up its share: one batch refused per turn, so healthy workers keep theirs.
        try
        {
            while (await queue.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (queue.TryRead(out (int Batch, long Scheduled) item))
                {
                    int start = _load.BatchStart(item.Batch);
                    int count = _load.BatchCount(item.Batch);
                    long now = Stopwatch.GetTimestamp();
                    _recorder.MarkSent(start, count, item.Scheduled == 0 ? now : item.Scheduled, 0);
                    BatchAnswer.RejectAll(start, count, _recorder, message);
                    await Task.Yield();
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped by the stall timeout.
        }
    }

    private async Task WaitForRoomAsync(int count, CancellationToken cancellationToken)
    {
        if (_settings.Rate is not null || _maxPending <= 0)
        {
            return;
        }

        // Closed loop: at most _maxPending transactions submitted and not yet seen in a block (one batch always may go).
        while (_recorder.Pending > 0 && _recorder.Pending + count > _maxPending)
        {
            await Task.Delay(1, cancellationToken).ConfigureAwait(false);
        }
    }
}
