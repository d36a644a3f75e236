using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Trellis.Cli.Bench;

/// <summary>
/// A lean JSON-RPC client over HTTP for the benchmark: calls whose params are given as raw JSON, batches, and
/// pre-encoded request bodies (the timed phase posts bytes built before timing started).
/// </summary>
internal sealed class BenchRpcClient : IDisposable
{
    private static readonly MediaTypeHeaderValue JsonType = new("application/json");
    private readonly HttpClient _http;
    private long _nextId;

    /// <summary>Creates a client for <paramref name="endpoint"/> keeping up to <paramref name="connections"/> connections open.</summary>
    public BenchRpcClient(Uri endpoint, int connections, TimeSpan requestTimeout)
    {
        Endpoint = endpoint;
        _http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = Math.Max(1, connections),
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            AutomaticDecompression = DecompressionMethods.None,
            UseProxy = false,
            ConnectTimeout = TimeSpan.FromSeconds(5),
        })
        {
            Timeout = requestTimeout,
        };
    }

    /// <summary>The JSON-RPC URL.</summary>
    public Uri Endpoint { get; }

    /// <summary>Posts a pre-encoded request and returns the response body.</summary>
    /// <exception cref="HttpRequestException">The node could not be reached or answered with an HTTP error and no JSON.</exception>
    public async Task<byte[]> PostAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        using var content = new ReadOnlyMemoryContent(body);
        content.Headers.ContentType = JsonType;
        using HttpResponseMessage response = await _http.PostAsync(Endpoint, content, cancellationToken).ConfigureAwait(false);
        byte[] bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode && (bytes.Length == 0 || (bytes[0] != (byte)'{' && bytes[0] != (byte)'[')))
        {
            throw new HttpRequestException($"HTTP {((int)response.StatusCode).ToString(CultureInfo.InvariantCulture)} {response.ReasonPhrase}", null, response.StatusCode);
        }

        return bytes;
    }

    /// <summary>Calls <paramref name="method"/> with <paramref name="paramsJson"/> (a JSON array) and returns its result.</summary>
    /// <exception cref="BenchRpcException">The node answered with an error.</exception>
    public async Task<JsonElement> CallAsync(string method, string paramsJson, CancellationToken cancellationToken)
    {
        JsonElement[] results = await BatchAsync([(method, paramsJson)], cancellationToken).ConfigureAwait(false);
        return results[0];
    }

    /// <summary>Sends calls as one batch and returns their results in order.</summary>
    /// <exception cref="BenchRpcException">The node answered any call with an error, or with the wrong shape.</exception>
    public async Task<JsonElement[]> BatchAsync(IReadOnlyList<(string Method, string ParamsJson)> calls, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(calls);
        long firstId = Interlocked.Add(ref _nextId, calls.Count) - calls.Count;
        var body = new StringBuilder(64 * calls.Count);
        body.Append('[');
        for (int i = 0; i < calls.Count; i++)
        {
            body.Append(i == 0 ? string.Empty : ",")
                .Append("{\"jsonrpc\":\"2.0\",\"id\":").Append((firstId + i).ToString(CultureInfo.InvariantCulture))
                .Append(",\"method\":\"").Append(calls[i].Method).Append("\",\"params\":").Append(calls[i].ParamsJson).Append('}');
        }

        body.Append(']');
        byte[] response = await PostAsync(Encoding.UTF8.GetBytes(body.ToString()), cancellationToken).ConfigureAwait(false);
        var results = new JsonElement[calls.Count];
        using JsonDocument document = ParseResponse(response);
        JsonElement root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Object)
        {
            throw new BenchRpcException($"{Endpoint} refused the batch: {DescribeError(root)}");
        }

        var seen = new bool[calls.Count];
        foreach (JsonElement item in root.EnumerateArray())
        {
            if (!item.TryGetProperty("id", out JsonElement idElement) || !idElement.TryGetInt64(out long id) || id < firstId || id >= firstId + calls.Count)
            {
                throw new BenchRpcException($"{Endpoint} answered with an unexpected id: {Truncate(item.GetRawText())}");
            }

            int index = (int)(id - firstId);
            if (item.TryGetProperty("error", out JsonElement error) && error.ValueKind != JsonValueKind.Null)
            {
                throw new BenchRpcException($"{calls[index].Method} on {Endpoint} failed: {DescribeError(item)}");
            }

            results[index] = item.TryGetProperty("result", out JsonElement result) ? result.Clone() : default;
            seen[index] = true;
        }

        int missing = Array.IndexOf(seen, false);
        if (missing >= 0)
        {
            throw new BenchRpcException($"{Endpoint} did not answer {calls[missing].Method} in a batch of {calls.Count.ToString(CultureInfo.InvariantCulture)}");
        }

        return results;
    }

    /// <summary>Releases the connections.</summary>
    public void Dispose() => _http.Dispose();

    /// <summary>The message of a JSON-RPC error object (<c>{"error":{"code":..,"message":..}}</c>), or the raw text.</summary>
    public static string DescribeError(JsonElement response)
    {
        if (response.ValueKind == JsonValueKind.Object && response.TryGetProperty("error", out JsonElement error) && error.ValueKind == JsonValueKind.Object)
        {
            string message = error.TryGetProperty("message", out JsonElement m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : Truncate(error.GetRawText());
            return error.TryGetProperty("code", out JsonElement code) && code.ValueKind == JsonValueKind.Number
                ? $"{message} ({code.GetRawText()})"
                : message;
        }

        return Truncate(response.GetRawText());
    }

    private JsonDocument ParseResponse(byte[] response)
    {
        try
        {
            return JsonDocument.Parse(response);
        }
        catch (JsonException e)
        {
            throw new BenchRpcException($"{Endpoint} answered with something that is not JSON: {Truncate(Encoding.UTF8.GetString(response))}", e);
        }
    }

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "...";
}
