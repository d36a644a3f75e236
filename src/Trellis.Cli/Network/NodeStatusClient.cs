using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Trellis.Cli.Network;

/// <summary>
/// Asks nodes how they are over JSON-RPC: <c>trellis_status</c> (contracts2.md D), falling back to
/// <c>eth_blockNumber</c> for a node without it; and counts the transactions of new blocks for the TPS column.
/// </summary>
internal sealed class NodeStatusClient : IDisposable
{
    /// <summary>The largest response read; a status is a few hundred bytes.</summary>
    private const int MaxResponseBytes = 1024 * 1024;

    private readonly HttpClient _http;

    public NodeStatusClient(TimeSpan timeout)
    {
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
        {
            Timeout = timeout,
            MaxResponseContentBufferSize = MaxResponseBytes,
        };
    }

    /// <summary>Asks every node at once.</summary>
    public async Task<NodeStatus[]> QueryAllAsync(IReadOnlyList<NetworkNode> nodes, CancellationToken cancellationToken)
    {
        var tasks = new Task<NodeStatus>[nodes.Count];
        for (int i = 0; i < nodes.Count; i++)
        {
            tasks[i] = QueryAsync(nodes[i], cancellationToken);
        }

        return await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    /// <summary>Asks one node; never throws for a node that is down or answers nonsense.</summary>
    public async Task<NodeStatus> QueryAsync(NetworkNode node, CancellationToken cancellationToken)
    {
        try
        {
            JsonElement? status = await CallAsync(node.Rpc, "trellis_status", cancellationToken).ConfigureAwait(false);
            if (status is { ValueKind: JsonValueKind.Object } s)
            {
                ulong? height = s.TryGetProperty("height", out JsonElement h) && h.ValueKind == JsonValueKind.String && TryParseQuantity(h.GetString()!, out ulong value) ? value : null;
                string? role = s.TryGetProperty("role", out JsonElement r) && r.ValueKind == JsonValueKind.String ? Clean(r.GetString()!) : null;
                int? peers = s.TryGetProperty("peers", out JsonElement p) && p.ValueKind == JsonValueKind.Number && p.TryGetInt32(out int count) ? count : null;
                bool? syncing = s.TryGetProperty("syncing", out JsonElement y) && y.ValueKind is JsonValueKind.True or JsonValueKind.False ? y.GetBoolean() : null;
                return new NodeStatus(node.Name, node.RpcText, true, height, role, peers, syncing, null);
            }

            // No trellis_status (an older node): the height alone still tells whether it is alive and moving.
            JsonElement? number = await CallAsync(node.Rpc, "eth_blockNumber", cancellationToken).ConfigureAwait(false);
            ulong? fallback = number is { ValueKind: JsonValueKind.String } n && TryParseQuantity(n.GetString()!, out ulong v) ? v : null;
            return new NodeStatus(node.Name, node.RpcText, true, fallback, null, null, null, fallback is null ? "eth_blockNumber gave no height" : null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or IOException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            return new NodeStatus(node.Name, node.RpcText, false, null, null, null, null, Describe(e));
        }
    }

    /// <summary>True once the node answers <c>eth_chainId</c>.</summary>
    public async Task<bool> AnswersAsync(NetworkNode node, CancellationToken cancellationToken)
    {
        try
        {
            return await CallAsync(node.Rpc, "eth_chainId", cancellationToken).ConfigureAwait(false) is { ValueKind: JsonValueKind.String };
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or IOException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>
    /// The number of transactions in blocks <paramref name="first"/>..<paramref name="last"/> of a node, by one batch
    /// request; null when the node does not answer.
    /// </summary>
    public async Task<long?> CountTransactionsAsync(NetworkNode node, ulong first, ulong last, CancellationToken cancellationToken)
    {
        if (last < first)
        {
            return 0;
        }

        var body = new StringBuilder("[");
        for (ulong height = first; height <= last; height++)
        {
            if (height != first)
            {
                body.Append(',');
            }

            body.Append(CultureInfo.InvariantCulture, $"{{\"jsonrpc\":\"2.0\",\"id\":{height},\"method\":\"eth_getBlockTransactionCountByNumber\",\"params\":[\"0x{height:x}\"]}}");
        }

        body.Append(']');
        try
        {
            using JsonDocument document = await PostAsync(node.Rpc, body.ToString(), cancellationToken).ConfigureAwait(false);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            long total = 0;
            foreach (JsonElement item in document.RootElement.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("result", out JsonElement result) && result.ValueKind == JsonValueKind.String && TryParseQuantity(result.GetString()!, out ulong count))
                {
                    total += (long)Math.Min(count, int.MaxValue);
                }
            }

            return total;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or IOException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    public void Dispose() => _http.Dispose();

    /// <summary>Parses a 0x-prefixed hex quantity.</summary>
    public static bool TryParseQuantity(string text, out ulong value)
    {
        value = 0;
        return text.Length is > 2 and <= 18 && text.StartsWith("0x", StringComparison.Ordinal)
            && ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }

    private async Task<JsonElement?> CallAsync(Uri rpc, string method, CancellationToken cancellationToken)
    {
        using JsonDocument document = await PostAsync(rpc, $"{{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"{method}\",\"params\":[]}}", cancellationToken).ConfigureAwait(false);
        JsonElement root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("result", out JsonElement result))
        {
            return result.Clone();
        }

        // An error object (method not found, ...) is an answer without a result.
        return null;
    }

    private async Task<JsonDocument> PostAsync(Uri rpc, string body, CancellationToken cancellationToken)
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using HttpResponseMessage response = await _http.PostAsync(rpc, content, cancellationToken).ConfigureAwait(false);
        byte[] bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 16 });
    }

    // A hostile or broken node must not be able to paint the terminal: keep printable characters only.
    private static string Clean(string text)
    {
        var builder = new StringBuilder(Math.Min(text.Length, 24));
        foreach (char c in text)
        {
            if (builder.Length == 24)
            {
                break;
            }

            if (!char.IsControl(c))
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    private static string Describe(Exception e) => e switch
    {
        TaskCanceledException => "no answer in time",
        HttpRequestException { InnerException: System.Net.Sockets.SocketException s } => s.SocketErrorCode == System.Net.Sockets.SocketError.ConnectionRefused ? "connection refused" : s.Message,
        JsonException => "answered something that is not JSON-RPC",
        _ => e.Message,
    };
}
