using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Trellis.Core;
using Trellis.Sdk.Abi;
using Trellis.Sdk.Rpc;

namespace Trellis.Sdk;

/// <summary>
/// A client of a Trellis node's Ethereum JSON-RPC API: requests over HTTP, subscriptions over WebSocket. Every
/// request has a timeout (<see cref="TrellisClientOptions.RequestTimeout"/>) and honours cancellation; node errors
/// surface as <see cref="TrellisRpcException"/> with the code, message and data (revert data decoded).
/// Thread-safe: one client can serve many concurrent callers.
/// </summary>
public sealed class TrellisClient : IDisposable
{
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private long _nextId;

    /// <summary>Connects to <paramref name="endpoint"/> (e.g. <c>http://127.0.0.1:8545/</c>) with a client of its own.</summary>
    public TrellisClient(Uri endpoint, TrellisClientOptions? options = null)
        : this(new HttpClient { Timeout = Timeout.InfiniteTimeSpan }, endpoint, options, ownsHttp: true)
    {
    }

    /// <summary>Connects through a caller-owned <see cref="HttpClient"/> (not disposed by this client).</summary>
    public TrellisClient(HttpClient httpClient, Uri endpoint, TrellisClientOptions? options = null)
        : this(httpClient, endpoint, options, ownsHttp: false)
    {
    }

    private TrellisClient(HttpClient httpClient, Uri endpoint, TrellisClientOptions? options, bool ownsHttp)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(endpoint);
        if (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException($"the JSON-RPC endpoint must be http:// or https://, got \"{endpoint}\"", nameof(endpoint));
        }

        _http = httpClient;
        _ownsHttp = ownsHttp;
        Endpoint = endpoint;
        Options = options ?? new TrellisClientOptions();
        WebSocketEndpoint = Options.WebSocketEndpoint
            ?? new UriBuilder(endpoint) { Scheme = endpoint.Scheme == Uri.UriSchemeHttps ? "wss" : "ws" }.Uri;
    }

    /// <summary>The HTTP JSON-RPC endpoint.</summary>
    public Uri Endpoint { get; }

    /// <summary>The WebSocket endpoint used for subscriptions.</summary>
    public Uri WebSocketEndpoint { get; }

    /// <summary>The settings.</summary>
    public TrellisClientOptions Options { get; }

    /// <summary>Sends one JSON-RPC request and returns its <c>result</c> (a detached copy).</summary>
    /// <exception cref="TrellisRpcException">The node answered with an error, or the answer is not valid JSON-RPC.</exception>
    /// <exception cref="TimeoutException">No answer within the request timeout.</exception>
    /// <exception cref="HttpRequestException">The node could not be reached.</exception>
    public async Task<JsonElement> RequestAsync(string method, JsonArray parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(parameters);
        long id = Interlocked.Increment(ref _nextId);
        var request = new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["id"] = id,
            ["method"] = method,
            ["params"] = parameters.DeepClone(),
        };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Options.RequestTimeout);
        try
        {
            using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(request.ToJsonString()));
            content.Headers.ContentType = JsonContentType;
            using HttpResponseMessage response = await _http.PostAsync(Endpoint, content, timeout.Token).ConfigureAwait(false);
            byte[] body = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(body);
            }
            catch (JsonException e)
            {
                string excerpt = Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 200)));
                throw new TrellisRpcException($"{method}: HTTP {(int)response.StatusCode} from {Endpoint} is not JSON-RPC: {excerpt}", e);
            }

            using (document)
            {
                JsonElement root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("id", out JsonElement answerId)
                    || answerId.ValueKind != JsonValueKind.Number || !answerId.TryGetInt64(out long number) || number != id)
                {
                    if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out _))
                    {
                        // An error without our id (e.g. a parse error or rate limit answered with id null) is still the node's error.
                        return ReadResult(root, method).Clone();
                    }

                    throw new TrellisRpcException($"{method}: the response does not carry request id {id}: {Excerpt(root)}");
                }

                return ReadResult(root, method).Clone();
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"{method} got no answer from {Endpoint} within {Options.RequestTimeout.TotalSeconds} s");
        }
    }

    /// <summary><c>eth_chainId</c>: the chain id every signature must commit to.</summary>
    public async Task<ulong> GetChainIdAsync(CancellationToken cancellationToken = default) =>
        RpcJson.ReadULong(await RequestAsync("eth_chainId", [], cancellationToken).ConfigureAwait(false), "result");

    /// <summary><c>eth_blockNumber</c>: the latest block number.</summary>
    public async Task<ulong> GetBlockNumberAsync(CancellationToken cancellationToken = default) =>
        RpcJson.ReadULong(await RequestAsync("eth_blockNumber", [], cancellationToken).ConfigureAwait(false), "result");

    /// <summary><c>eth_gasPrice</c>: the gas price the node suggests (zero on a fee-less consortium chain).</summary>
    public async Task<UInt256> GetGasPriceAsync(CancellationToken cancellationToken = default) =>
        RpcJson.ReadUInt256(await RequestAsync("eth_gasPrice", [], cancellationToken).ConfigureAwait(false), "result");

    /// <summary><c>eth_getBalance</c> at a block (<c>latest</c> by default).</summary>
    public async Task<UInt256> GetBalanceAsync(Address address, string block = "latest", CancellationToken cancellationToken = default) =>
        RpcJson.ReadUInt256(await RequestAsync("eth_getBalance", [address.ToLowerHex(), block], cancellationToken).ConfigureAwait(false), "result");

    /// <summary><c>eth_getTransactionCount</c>: the next nonce, counting pool transactions by default (<c>pending</c>).</summary>
    public async Task<ulong> GetTransactionCountAsync(Address address, string block = "pending", CancellationToken cancellationToken = default) =>
        RpcJson.ReadULong(await RequestAsync("eth_getTransactionCount", [address.ToLowerHex(), block], cancellationToken).ConfigureAwait(false), "result");

    /// <summary><c>eth_getCode</c>: a contract's deployed code (empty for an account without code).</summary>
    public async Task<byte[]> GetCodeAsync(Address address, string block = "latest", CancellationToken cancellationToken = default) =>
        RpcJson.ReadData(await RequestAsync("eth_getCode", [address.ToLowerHex(), block], cancellationToken).ConfigureAwait(false), "result");

    /// <summary><c>eth_call</c>: executes without a transaction and returns the output.</summary>
    /// <exception cref="TrellisRpcException">The call reverted (<see cref="TrellisRpcException.Revert"/> holds the reason) or failed.</exception>
    public async Task<byte[]> CallAsync(CallRequest call, string block = "latest", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        return RpcJson.ReadData(await RequestAsync("eth_call", [call.ToJson(), block], cancellationToken).ConfigureAwait(false), "result");
    }

    /// <summary><c>eth_estimateGas</c>: the gas the transaction needs.</summary>
    /// <exception cref="TrellisRpcException">Execution reverted (with the decoded reason) or failed.</exception>
    public async Task<ulong> EstimateGasAsync(CallRequest call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        return RpcJson.ReadULong(await RequestAsync("eth_estimateGas", [call.ToJson()], cancellationToken).ConfigureAwait(false), "result");
    }

    /// <summary><c>eth_sendRawTransaction</c>: submits a signed transaction and returns its hash.</summary>
    public async Task<Hash256> SendRawTransactionAsync(ReadOnlyMemory<byte> signedTransaction, CancellationToken cancellationToken = default) =>
        RpcJson.ReadHash(await RequestAsync("eth_sendRawTransaction", [Hex.Encode(signedTransaction.Span)], cancellationToken).ConfigureAwait(false), "result");

    /// <summary><c>eth_getTransactionReceipt</c>: the receipt, or null while the transaction is not in a block.</summary>
    public async Task<TransactionReceipt?> GetTransactionReceiptAsync(Hash256 transactionHash, CancellationToken cancellationToken = default)
    {
        JsonElement result = await RequestAsync("eth_getTransactionReceipt", [transactionHash.ToString()], cancellationToken).ConfigureAwait(false);
        return result.ValueKind == JsonValueKind.Null ? null : TransactionReceipt.FromJson(result);
    }

    /// <summary>
    /// <c>trellis_getBlockCertificate</c>: the round and signers of committed block <paramref name="number"/>'s
    /// consensus certificate, or null for genesis, a solo chain or a block the node does not have.
    /// </summary>
    public async Task<BlockCertificate?> GetBlockCertificateAsync(ulong number, CancellationToken cancellationToken = default)
    {
        JsonElement result = await RequestAsync("trellis_getBlockCertificate", [RpcJson.Quantity(number)], cancellationToken).ConfigureAwait(false);
        return result.ValueKind == JsonValueKind.Null ? null : BlockCertificate.FromJson(result);
    }

    /// <summary><c>eth_getLogs</c>: the logs matching a filter.</summary>
    public async Task<IReadOnlyList<LogEntry>> GetLogsAsync(LogFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        JsonElement result = await RequestAsync("eth_getLogs", [filter.ToJson(forSubscription: false)], cancellationToken).ConfigureAwait(false);
        if (result.ValueKind != JsonValueKind.Array)
        {
            throw RpcJson.Malformed("result", result, "is not an array of logs");
        }

        var logs = new List<LogEntry>(result.GetArrayLength());
        foreach (JsonElement log in result.EnumerateArray())
        {
            logs.Add(LogEntry.FromJson(log));
        }

        return logs;
    }

    /// <summary>Polls for a transaction's receipt until it is included or <paramref name="timeout"/> passes.</summary>
    /// <exception cref="TimeoutException">No receipt within the timeout.</exception>
    public async Task<TransactionReceipt> WaitForReceiptAsync(Hash256 transactionHash, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            TransactionReceipt? receipt = await GetTransactionReceiptAsync(transactionHash, cancellationToken).ConfigureAwait(false);
            if (receipt is not null)
            {
                return receipt;
            }

            TimeSpan left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"transaction {transactionHash} has no receipt after {timeout.TotalSeconds} s");
            }

            await Task.Delay(left < Options.ReceiptPollInterval ? left : Options.ReceiptPollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Subscribes to logs matching <paramref name="filter"/> (<c>eth_subscribe</c> <c>logs</c>) over WebSocket.</summary>
    public Task<Subscription> SubscribeLogsAsync(LogFilter filter, Func<LogEntry, CancellationToken, Task> handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(handler);
        JsonElement options = JsonSerializer.SerializeToElement(filter.ToJson(forSubscription: true));
        return Subscription.StartAsync(WebSocketEndpoint, "logs", options, (result, token) => handler(LogEntry.FromJson(result), token), Options, cancellationToken);
    }

    /// <summary>Subscribes to new block headers (<c>eth_subscribe</c> <c>newHeads</c>) over WebSocket.</summary>
    public Task<Subscription> SubscribeNewHeadsAsync(Func<BlockHeader, CancellationToken, Task> handler, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return Subscription.StartAsync(WebSocketEndpoint, "newHeads", null, (result, token) => handler(BlockHeader.FromJson(result), token), Options, cancellationToken);
    }

    /// <summary>Releases the HTTP client if this client created it.</summary>
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    internal static JsonElement ReadResult(JsonElement root, string method)
    {
        if (root.TryGetProperty("error", out JsonElement error) && error.ValueKind != JsonValueKind.Null)
        {
            throw ToException(error, method);
        }

        return root.TryGetProperty("result", out JsonElement result)
            ? result
            : throw new TrellisRpcException($"{method}: the response has neither result nor error: {Excerpt(root)}");
    }

    private static TrellisRpcException ToException(JsonElement error, string method)
    {
        if (error.ValueKind != JsonValueKind.Object
            || !error.TryGetProperty("code", out JsonElement codeJson) || codeJson.ValueKind != JsonValueKind.Number || !codeJson.TryGetInt32(out int code)
            || !error.TryGetProperty("message", out JsonElement messageJson) || messageJson.ValueKind != JsonValueKind.String)
        {
            return new TrellisRpcException($"{method}: the error object is malformed: {Excerpt(error)}");
        }

        string? data = null;
        RevertReason? revert = null;
        if (error.TryGetProperty("data", out JsonElement dataJson) && dataJson.ValueKind != JsonValueKind.Null)
        {
            data = dataJson.ValueKind == JsonValueKind.String ? dataJson.GetString() : dataJson.GetRawText();
            if (dataJson.ValueKind == JsonValueKind.String && data!.StartsWith("0x", StringComparison.Ordinal) && Hex.TryDecode(data, out byte[] bytes, out _))
            {
                RevertReason reason = RevertReason.Decode(bytes);
                if (code == TrellisRpcException.ExecutionReverted || reason.Kind is RevertReasonKind.Error or RevertReasonKind.Panic)
                {
                    revert = reason;
                }
            }
        }

        return new TrellisRpcException(code, messageJson.GetString()!, data, revert, method);
    }

    private static string Excerpt(JsonElement element)
    {
        string text = element.GetRawText();
        return text.Length > 200 ? text[..200] + "..." : text;
    }
}
