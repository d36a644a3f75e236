using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Trellis.Sdk.Tests;

/// <summary>
/// A small in-process JSON-RPC server on 127.0.0.1:0 (Kestrel) answering with canned, standards-shaped responses:
/// records every request, answers HTTP POSTs through <see cref="Handler"/>, and serves eth_subscribe over WebSocket
/// with notifications the test pushes.
/// </summary>
internal sealed class FakeRpcServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<string> _notifications = Channel.CreateUnbounded<string>();
    private int _subscriptionCount;

    private FakeRpcServer(WebApplication app)
    {
        _app = app;
    }

    /// <summary>Answers a method with its params: a result as raw JSON, or an error.</summary>
    public Func<string, JsonElement, Task<FakeReply>> Handler { get; set; } = (method, _) => Task.FromResult(FakeReply.Error(-32601, $"the method {method} does not exist/is not available"));

    public ConcurrentQueue<JsonElement> Requests { get; } = new();

    public ConcurrentQueue<JsonElement> WebSocketRequests { get; } = new();

    public Uri Endpoint { get; private set; } = null!;

    public TaskCompletionSource<string> Subscribed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Unsubscribed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<FakeRpcServer> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        WebApplication app = builder.Build();
        var server = new FakeRpcServer(app);
        app.UseWebSockets();
        app.Map("/", server.HandleAsync);
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Endpoint = new Uri(address + "/");
        return server;
    }

    /// <summary>Sends an eth_subscription notification carrying <paramref name="resultJson"/> to the subscriber.</summary>
    public async Task PushAsync(string resultJson)
    {
        string id = await Subscribed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await _notifications.Writer.WriteAsync(
            $$$"""{"jsonrpc":"2.0","method":"eth_subscription","params":{"subscription":"{{{id}}}","result":{{{resultJson}}}}}""");
    }

    /// <summary>The requests for one method, in order.</summary>
    public List<JsonElement> RequestsFor(string method) =>
        [.. Requests.Where(r => r.GetProperty("method").GetString() == method)];

    public async ValueTask DisposeAsync()
    {
        _notifications.Writer.TryComplete();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (context.WebSockets.IsWebSocketRequest)
        {
            using WebSocket socket = await context.WebSockets.AcceptWebSocketAsync();
            await ServeWebSocketAsync(socket, context.RequestAborted);
            return;
        }

        using JsonDocument request = await JsonDocument.ParseAsync(context.Request.Body);
        JsonElement root = request.RootElement.Clone();
        Requests.Enqueue(root);
        FakeReply reply = await Handler(root.GetProperty("method").GetString()!, root.GetProperty("params"));
        context.Response.StatusCode = reply.Status;
        context.Response.ContentType = "application/json";
        string id = root.GetProperty("id").GetRawText();
        string body = reply.RawBody ?? (reply.ErrorJson is not null
            ? $$"""{"jsonrpc":"2.0","id":{{id}},"error":{{reply.ErrorJson}}}"""
            : $$"""{"jsonrpc":"2.0","id":{{id}},"result":{{reply.ResultJson}}}""");
        await context.Response.WriteAsync(body);
    }

    private async Task ServeWebSocketAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        Task<WebSocketReceiveResult> receive = socket.ReceiveAsync(buffer, cancellationToken);
        Task<bool> notification = _notifications.Reader.WaitToReadAsync(cancellationToken).AsTask();
        while (socket.State == WebSocketState.Open)
        {
            Task done = await Task.WhenAny(receive, notification);
            if (done == notification)
            {
                if (!await notification)
                {
                    return;
                }

                while (_notifications.Reader.TryRead(out string? message))
                {
                    await socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, true, cancellationToken);
                }

                notification = _notifications.Reader.WaitToReadAsync(cancellationToken).AsTask();
                continue;
            }

            WebSocketReceiveResult result = await receive;
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                return;
            }

            using JsonDocument request = JsonDocument.Parse(buffer.AsMemory(0, result.Count));
            JsonElement root = request.RootElement.Clone();
            WebSocketRequests.Enqueue(root);
            string method = root.GetProperty("method").GetString()!;
            string id = root.GetProperty("id").GetRawText();
            string answer;
            if (method == "eth_subscribe")
            {
                string subscriptionId = $"0x{Interlocked.Increment(ref _subscriptionCount):x}";
                answer = $$"""{"jsonrpc":"2.0","id":{{id}},"result":"{{subscriptionId}}"}""";
                await socket.SendAsync(Encoding.UTF8.GetBytes(answer), WebSocketMessageType.Text, true, cancellationToken);
                Subscribed.TrySetResult(subscriptionId);
            }
            else
            {
                answer = $$"""{"jsonrpc":"2.0","id":{{id}},"result":true}""";
                await socket.SendAsync(Encoding.UTF8.GetBytes(answer), WebSocketMessageType.Text, true, cancellationToken);
                Unsubscribed.TrySetResult();
            }

            receive = socket.ReceiveAsync(buffer, cancellationToken);
        }
    }
}

/// <summary>A canned answer of <see cref="FakeRpcServer"/>.</summary>
internal sealed record FakeReply(string? ResultJson, string? ErrorJson, string? RawBody, int Status = 200)
{
    public static FakeReply Result(string json) => new(json, null, null);

    public static FakeReply Quantity(ulong value) => new($"\"0x{value:x}\"", null, null);

    public static FakeReply Error(int code, string message, string? dataJson = null) =>
        new(null, dataJson is null
            ? $$"""{"code":{{code}},"message":{{JsonSerializer.Serialize(message)}}}"""
            : $$"""{"code":{{code}},"message":{{JsonSerializer.Serialize(message)}},"data":{{dataJson}}}""", null);

    public static FakeReply Raw(string body, int status = 200) => new(null, null, body, status);
}
