using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Trellis.Sdk;

/// <summary>
/// A live <c>eth_subscribe</c> subscription over its own WebSocket. Notifications are handed to the handler one at
/// a time, in order. Dispose to unsubscribe; <see cref="Completion"/> ends when the subscription ends, faulted if the
/// connection failed, a message was malformed or the handler threw.
/// </summary>
public sealed class Subscription : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly CancellationTokenSource _stop = new();
    private readonly int _maxMessageBytes;
    private Task _loop = Task.CompletedTask;
    private int _disposed;

    private Subscription(ClientWebSocket socket, string id, int maxMessageBytes)
    {
        _socket = socket;
        Id = id;
        _maxMessageBytes = maxMessageBytes;
    }

    /// <summary>The subscription id the node assigned.</summary>
    public string Id { get; }

    /// <summary>Completes when the subscription ends; faulted when it ended because of an error.</summary>
    public Task Completion => _loop;

    internal static async Task<Subscription> StartAsync(
        Uri endpoint, string kind, JsonElement? options, Func<JsonElement, CancellationToken, Task> onResult, TrellisClientOptions settings, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(settings.RequestTimeout);
            try
            {
                await socket.ConnectAsync(endpoint, timeout.Token).ConfigureAwait(false);
                var request = new Dictionary<string, object?>
                {
                    ["jsonrpc"] = "2.0",
                    ["id"] = 1,
                    ["method"] = "eth_subscribe",
                    ["params"] = options is JsonElement o ? new object[] { kind, o } : new object[] { kind },
                };
                await socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(request), WebSocketMessageType.Text, true, timeout.Token).ConfigureAwait(false);
                while (true)
                {
                    using JsonDocument message = await ReceiveAsync(socket, settings.MaxMessageBytes, timeout.Token).ConfigureAwait(false)
                        ?? throw new TrellisRpcException($"eth_subscribe: {endpoint} closed the connection before answering");
                    JsonElement root = message.RootElement;
                    if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("id", out JsonElement id) || id.ValueKind != JsonValueKind.Number || id.GetInt32() != 1)
                    {
                        continue;
                    }

                    JsonElement result = TrellisClient.ReadResult(root, "eth_subscribe");
                    string subscriptionId = result.ValueKind == JsonValueKind.String
                        ? result.GetString()!
                        : throw new TrellisRpcException($"eth_subscribe: the subscription id is not a string: {result.GetRawText()}");
                    var subscription = new Subscription(socket, subscriptionId, settings.MaxMessageBytes);
                    subscription._loop = Task.Run(() => subscription.RunAsync(onResult), CancellationToken.None);
                    return subscription;
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"eth_subscribe to {endpoint} got no answer within {settings.RequestTimeout.TotalSeconds} s");
            }
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Unsubscribes (best effort), closes the connection and waits for the handler to return.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                byte[] unsubscribe = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
                {
                    ["jsonrpc"] = "2.0",
                    ["id"] = 2,
                    ["method"] = "eth_unsubscribe",
                    ["params"] = new object[] { Id },
                });
                await _socket.SendAsync(unsubscribe, WebSocketMessageType.Text, true, timeout.Token).ConfigureAwait(false);
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "unsubscribed", timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The node may already be gone; unsubscribing is best effort and the socket is closed below either way.
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or TrellisRpcException)
        {
            // Ending the loop by cancellation, or a failure already reported through Completion.
        }

        _socket.Dispose();
        _stop.Dispose();
    }

    private async Task RunAsync(Func<JsonElement, CancellationToken, Task> onResult)
    {
        CancellationToken token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            using JsonDocument? message = await ReceiveAsync(_socket, _maxMessageBytes, token).ConfigureAwait(false);
            if (message is null)
            {
                return;
            }

            JsonElement root = message.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("method", out JsonElement method) || method.ValueKind != JsonValueKind.String || method.GetString() != "eth_subscription"
                || !root.TryGetProperty("params", out JsonElement parameters) || parameters.ValueKind != JsonValueKind.Object
                || !parameters.TryGetProperty("subscription", out JsonElement id) || id.ValueKind != JsonValueKind.String || id.GetString() != Id
                || !parameters.TryGetProperty("result", out JsonElement result))
            {
                // Answers to eth_unsubscribe and notifications of other subscriptions are not ours.
                continue;
            }

            await onResult(result, token).ConfigureAwait(false);
        }
    }

    private static async Task<JsonDocument?> ReceiveAsync(ClientWebSocket socket, int maxBytes, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        while (true)
        {
            Memory<byte> memory = buffer.GetMemory(4096);
            ValueWebSocketReceiveResult received = await socket.ReceiveAsync(memory, cancellationToken).ConfigureAwait(false);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            buffer.Advance(received.Count);
            if (buffer.WrittenCount > maxBytes)
            {
                throw new TrellisRpcException($"a subscription message exceeded {maxBytes} bytes");
            }

            if (received.EndOfMessage)
            {
                try
                {
                    return JsonDocument.Parse(buffer.WrittenMemory);
                }
                catch (JsonException e)
                {
                    string excerpt = Encoding.UTF8.GetString(buffer.WrittenSpan[..Math.Min(120, buffer.WrittenCount)]);
                    throw new TrellisRpcException($"a subscription message is not valid JSON: {excerpt}", e);
                }
            }
        }
    }
}
