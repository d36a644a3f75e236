using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Trellis.Integration.Tests;

/// <summary>A minimal JSON-RPC client over HTTP, as a wallet or script would use.</summary>
internal sealed class RpcClient(Uri address) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    private long _nextId;

    /// <summary>The result, or a <see cref="RpcErrorException"/> carrying the error object.</summary>
    public async Task<JsonElement> CallAsync(string method, string paramsJson = "[]", CancellationToken cancellationToken = default)
    {
        string body = $"{{\"jsonrpc\":\"2.0\",\"id\":{Interlocked.Increment(ref _nextId)},\"method\":\"{method}\",\"params\":{paramsJson}}}";
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await _http.PostAsync(new Uri("/", UriKind.Relative), content, cancellationToken);
        string text = await response.Content.ReadAsStringAsync(cancellationToken);
        JsonElement root = JsonDocument.Parse(text).RootElement;
        if (root.TryGetProperty("error", out JsonElement error))
        {
            throw new RpcErrorException(method, error);
        }

        return root.GetProperty("result");
    }

    /// <summary>Posts a batch (a JSON array of requests) and returns the array of answers.</summary>
    public async Task<JsonElement> BatchAsync(string batchJson, CancellationToken cancellationToken = default)
    {
        using var content = new StringContent(batchJson, Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await _http.PostAsync(new Uri("/", UriKind.Relative), content, cancellationToken);
        string text = await response.Content.ReadAsStringAsync(cancellationToken);
        return JsonDocument.Parse(text).RootElement;
    }

    public async Task<ulong> QuantityAsync(string method, string paramsJson = "[]", CancellationToken cancellationToken = default) =>
        ParseQuantity((await CallAsync(method, paramsJson, cancellationToken)).GetString()!);

    public static ulong ParseQuantity(string hex) => ulong.Parse(hex.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    public void Dispose() => _http.Dispose();
}
