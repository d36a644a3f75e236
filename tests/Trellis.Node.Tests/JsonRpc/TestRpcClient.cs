using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Trellis.Node.Tests.JsonRpc;

/// <summary>Raw HTTP and WebSocket access to a running JSON-RPC host, returning parsed JSON.</summary>
internal sealed class TestRpcClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly Uri _address;
    private int _nextId;

    public TestRpcClient(Uri address)
    {
        _address = address;
        _http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task<(HttpStatusCode Status, string Body)> PostRawAsync(string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await _http.PostAsync("/", content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task<(HttpStatusCode Status, string Body)> PostBytesAsync(HttpContent content)
    {
        using HttpResponseMessage response = await _http.PostAsync("/", content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task<(HttpStatusCode Status, string Body)> GetAsync()
    {
        using HttpResponseMessage response = await _http.GetAsync("/");
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Posts and parses; the caller owns the document.</summary>
    public async Task<JsonElement> PostAsync(string body)
    {
        var (status, text) = await PostRawAsync(body);
        Assert.True(text.Length > 0, $"empty response (HTTP {(int)status}) to {body}");
        return JsonDocument.Parse(text).RootElement;
    }

    /// <summary>Calls one method; <paramref name="paramsJson"/> is the JSON array text.</summary>
    public Task<JsonElement> CallAsync(string method, string paramsJson = "[]") =>
        PostAsync($"{{\"jsonrpc\":\"2.0\",\"id\":{Interlocked.Increment(ref _nextId)},\"method\":\"{method}\",\"params\":{paramsJson}}}");

    /// <summary>Calls and returns the result, failing the test on an error.</summary>
    public async Task<JsonElement> ResultAsync(string method, string paramsJson = "[]")
    {
        JsonElement response = await CallAsync(method, paramsJson);
        Assert.False(response.TryGetProperty("error", out JsonElement error), $"{method} failed: {error}");
        return response.GetProperty("result");
    }

    /// <summary>Calls and returns the error object, failing the test on success.</summary>
    public async Task<JsonElement> ErrorAsync(string method, string paramsJson = "[]")
    {
        JsonElement response = await CallAsync(method, paramsJson);
        Assert.True(response.TryGetProperty("error", out JsonElement error), $"{method} succeeded: {response}");
        return error;
    }

    public async Task<ClientWebSocket> ConnectAsync()
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(new UriBuilder(_address) { Scheme = "ws" }.Uri, CancellationToken.None);
        return socket;
    }

    public void Dispose() => _http.Dispose();
}
