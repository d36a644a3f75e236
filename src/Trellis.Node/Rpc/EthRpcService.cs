using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Trellis.Core;
using Trellis.Node.JsonRpc;

namespace Trellis.Node.Rpc;

/// <summary>
/// The eth_, net_ and web3_ methods over an <see cref="IEthBackend"/>, with polling filters and WebSocket
/// subscriptions. <see cref="Register"/> adds the methods to a registry; <see cref="Start"/> begins delivering
/// the backend's events to filters and subscribers.
/// </summary>
public sealed partial class EthRpcService : IAsyncDisposable
{
    private readonly IEthBackend _backend;
    private readonly EthRpcOptions _options;
    private readonly FilterManager _filters;
    private readonly SubscriptionManager _subscriptions;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private Task _eventLoops = Task.CompletedTask;

    /// <summary>Creates the service over <paramref name="backend"/>.</summary>
    public EthRpcService(IEthBackend backend, EthRpcOptions? options = null, TimeProvider? time = null, ILogger<EthRpcService>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(backend);
        _backend = backend;
        _options = options ?? new EthRpcOptions();
        _filters = new FilterManager(_options, time ?? TimeProvider.System);
        _subscriptions = new SubscriptionManager(_options.MaxSubscriptionsPerConnection);
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>Installed filters (expired ones are dropped lazily).</summary>
    public int FilterCount => _filters.Count;

    /// <summary>Live subscriptions over all connections.</summary>
    public int SubscriptionCount => _subscriptions.Count;

    /// <summary>Starts reading the backend's event channels; call once.</summary>
    public void Start()
    {
        CancellationToken token = _stopping.Token;
        _eventLoops = Task.WhenAll(
            Task.Run(() => PumpBlocksAsync(token), token),
            Task.Run(() => PumpPendingAsync(token), token));
    }

    /// <summary>Stops the event loops.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _eventLoops.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping is the point.
        }

        _stopping.Dispose();
    }

    /// <summary>Adds every method of this service to <paramref name="registry"/>.</summary>
    public void Register(JsonRpcMethodRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.Add("web3_clientVersion", (_, p, w) => { p.RequireCount(0, 0); w.WriteStringValue(_options.ClientVersion); });
        registry.Add("web3_sha3", (_, p, w) => { p.RequireCount(1, 1); EthJsonWriter.WriteHash(w, Keccak256.Hash(p.GetData(0))); });
        registry.Add("net_version", (_, p, w) => { p.RequireCount(0, 0); w.WriteStringValue(_backend.ChainId.ToString(System.Globalization.CultureInfo.InvariantCulture)); });
        registry.Add("net_listening", (_, p, w) => { p.RequireCount(0, 0); w.WriteBooleanValue(true); });
        registry.Add("net_peerCount", (_, p, w) => { p.RequireCount(0, 0); EthJsonWriter.WriteQuantity(w, (ulong)Math.Max(0, _backend.PeerCount)); });
        registry.Add("eth_chainId", (_, p, w) => { p.RequireCount(0, 0); EthJsonWriter.WriteQuantity(w, _backend.ChainId); });
        registry.Add("eth_blockNumber", (_, p, w) => { p.RequireCount(0, 0); EthJsonWriter.WriteQuantity(w, _backend.HeadNumber); });
        registry.Add("eth_accounts", (_, p, w) => { p.RequireCount(0, 0); w.WriteStartArray(); w.WriteEndArray(); });
        registry.Add("eth_syncing", Syncing);
        registry.Add("eth_gasPrice", (_, p, w) => { p.RequireCount(0, 0); EthJsonWriter.WriteQuantity(w, _backend.GetGasPrice()); });
        registry.Add("eth_maxPriorityFeePerGas", (_, p, w) => { p.RequireCount(0, 0); EthJsonWriter.WriteQuantity(w, _backend.GetMaxPriorityFeePerGas()); });
        registry.Add("eth_feeHistory", FeeHistory);

        registry.Add("eth_getBlockByNumber", GetBlockByNumber);
        registry.Add("eth_getBlockByHash", GetBlockByHash);
        registry.Add("eth_getBlockTransactionCountByNumber", GetBlockTransactionCountByNumber);
        registry.Add("eth_getBlockTransactionCountByHash", GetBlockTransactionCountByHash);
        registry.Add("eth_getTransactionByHash", GetTransactionByHash);
        registry.Add("eth_getTransactionByBlockHashAndIndex", GetTransactionByBlockHashAndIndex);
        registry.Add("eth_getTransactionByBlockNumberAndIndex", GetTransactionByBlockNumberAndIndex);
        registry.Add("eth_getTransactionReceipt", GetTransactionReceipt);
        registry.Add("eth_getBlockReceipts", GetBlockReceipts);

        registry.Add("eth_getBalance", (_, p, w) => { p.RequireCount(1, 2); EthJsonWriter.WriteQuantity(w, StateAt(p, 1).GetBalance(p.GetAddress(0))); });
        registry.Add("eth_getCode", (_, p, w) => { p.RequireCount(1, 2); EthJsonWriter.WriteData(w, StateAt(p, 1).GetCode(p.GetAddress(0))); });
        registry.Add("eth_getStorageAt", GetStorageAt);
        registry.Add("eth_getTransactionCount", GetTransactionCount);

        registry.Add("eth_sendRawTransaction", SendRawTransactionAsync);
        registry.AddBatchPreparer("eth_sendRawTransaction", PrepareSendRawTransactionsAsync);
        registry.Add("eth_call", CallAsync);
        registry.Add("eth_estimateGas", EstimateGasAsync);

        registry.Add("eth_getLogs", GetLogs);
        registry.Add("eth_newFilter", NewFilter);
        registry.Add("eth_newBlockFilter", (_, p, w) => { p.RequireCount(0, 0); w.WriteStringValue(_filters.Install(FilterKind.Blocks, null)); });
        registry.Add("eth_newPendingTransactionFilter", (_, p, w) => { p.RequireCount(0, 0); w.WriteStringValue(_filters.Install(FilterKind.PendingTransactions, null)); });
        registry.Add("eth_getFilterChanges", GetFilterChanges);
        registry.Add("eth_getFilterLogs", GetFilterLogs);
        registry.Add("eth_uninstallFilter", (_, p, w) => { p.RequireCount(1, 1); w.WriteBooleanValue(_filters.Uninstall(p.GetString(0))); });
        registry.Add("eth_subscribe", Subscribe);
        registry.Add("eth_unsubscribe", Unsubscribe);
    }

    private void Syncing(JsonRpcCallContext context, JsonRpcParams p, Utf8JsonWriter w)
    {
        p.RequireCount(0, 0);
        if (_backend.GetSyncStatus() is not { } status)
        {
            w.WriteBooleanValue(false);
            return;
        }

        w.WriteStartObject();
        w.WritePropertyName("startingBlock"u8);
        EthJsonWriter.WriteQuantity(w, status.StartingBlock);
        w.WritePropertyName("currentBlock"u8);
        EthJsonWriter.WriteQuantity(w, status.CurrentBlock);
        w.WritePropertyName("highestBlock"u8);
        EthJsonWriter.WriteQuantity(w, status.HighestBlock);
        w.WriteEndObject();
    }

    private void GetBlockByNumber(JsonRpcCallContext context, JsonRpcParams p, Utf8JsonWriter w)
    {
        p.RequireCount(1, 2);
        BlockParameter block = p.GetBlockParameter(0, allowHash: false);
        bool full = p.GetBoolean(1, false);
        WriteBlockOrNull(w, _backend.GetBlock(ResolveNumber(block, mustExist: false)), full);
    }

    private void GetBlockByHash(JsonRpcCallContext context, JsonRpcParams p, Utf8JsonWriter w)
    {
        p.RequireCount(1, 2);
        Hash256 hash = p.GetHash(0);
        bool full = p.GetBoolean(1, false);
        WriteBlockOrNull(w, _backend.GetBlock(hash), full);
    }

    private void GetBlockTransactionCountByNumber(JsonRpcCallContext context, JsonRpcParams p, Utf8JsonWriter w)
    {
        p.RequireCount(1, 1);
        WriteCountOrNull(w, _backend.GetBlock(ResolveNumber(p.GetBlockParameter(0, allowHash: false), mustExist: false)));
    }

    private void GetBlockTransactionCountByHash(JsonRpcCallContext context, JsonRpcParams p, Utf8JsonWriter w)
    {
        p.RequireCount(1, 1);
        WriteCountOrNull(w, _backend.GetBlock(p.GetHash(0)));
    }

    private void GetTransactionByHash(JsonRpcCallContext context, JsonRpcParams p, Utf8JsonWriter w)
    {
        p.RequireCount(1, 1);
        WriteTransactionOrNull(w, _backend.GetTransaction(p.GetHash(0)));
    }

    private void GetTransactionByBlockHashAndIndex(JsonRpcCallContext context, JsonRpcParams p, Utf8JsonWriter w)
    {
        p.RequireCount(2, 2);
        RpcBlock? block = _backend.GetBlock(p.GetHash(0));
        ulong index = p.GetUInt64(1);
        WriteTransactionOrNull(w, block is not null && index < (ulong)block.Transactions.Count ? block.Transactions[(int)index] : null);
    }

    private void GetTransactionByBlockNumberAndIndex(JsonRpcCallContext context, JsonRpcParams p, Utf8JsonWriter w)
    {
        p.RequireCount(2, 2);
        RpcBlock? block = _backend.GetBlock(ResolveNumber(p.GetBlockParameter(0, allowHash: false), mustExist: false));
        ulong index = p.GetUInt64(1);
        WriteTransactionOrNull(w, block is not null && index < (ulong)block.Transactions.Count ? block.Transactions[(int)index] : null);
    }

    private void GetTransactionReceipt(JsonRpcCallContext context, JsonRpcParams p, Utf8JsonWriter w)
    {
        p.RequireCount(1, 1);
        if (_backend.GetReceipt(p.GetHash(0)) is { } receipt)
        {
            EthJsonWriter.WriteReceipt(w, receipt);
        }
        else
        {
            w.WriteNullValue();
        }
    }

    private void GetBlockReceipts(JsonRpcCallContext context, JsonRpcParams p, Utf8JsonWriter w)
    {
        p.RequireCount(1, 1);
        BlockParameter block = p.GetBlockParameter(0);
        ulong? number = block.Tag == BlockTag.Hash ? _backend.GetBlockNumber(block.Hash) : ResolveNumber(block, mustExist: false);
        IReadOnlyList<RpcReceipt>? receipts = number is { } n ? _backend.GetBlockReceipts(n) : null;
        if (receipts is null)
        {
            w.WriteNullValue();
            return;
        }

        w.WriteStartArray();
        foreach (RpcReceipt receipt in receipts)
        {
            EthJsonWriter.WriteReceipt(w, receipt);
        }

        w.WriteEndArray();
    }

    private void GetStorageAt(JsonRpcCallContext context, JsonRpcParams p, Utf8JsonWriter w)
    {
        p.RequireCount(2, 3);
        Address address = p.GetAddress(0);
        UInt256 slot = ReadStorageSlot(p[1], JsonRpcParams.Path(1));
        UInt256 value = StateAt(p, 2).GetStorage(address, slot);
        Span<byte> word = stackalloc byte[32];
        value.WriteBigEndian(word);
        EthJsonWriter.WriteData(w, word);
    }

    private void GetTransactionCount(JsonRpcCallContext context, JsonRpcParams p, Utf8JsonWriter w)
    {
        p.RequireCount(1, 2);
        Address address = p.GetAddress(0);
        BlockParameter block = p.GetBlockParameter(1, BlockParameter.Latest);
        ulong nonce = block.Tag == BlockTag.Pending ? _backend.GetPendingNonce(address) : StateAt(block).GetNonce(address);
        EthJsonWriter.WriteQuantity(w, nonce);
    }

    private async ValueTask SendRawTransactionAsync(JsonRpcCallContext context, JsonRpcParams p, Utf8JsonWriter w)
    {
        // In a batch, consecutive sends were admitted together by PrepareSendRawTransactionsAsync.
        SendTransactionResult result = context.Prepared as SendTransactionResult
            ?? await _backend.SendRawTransactionAsync(ReadRawTransaction(p), context.CancellationToken).ConfigureAwait(false);
        if (result.Hash is { } hash)
        {
            EthJsonWriter.WriteHash(w, hash);
            return;
        }

        throw new JsonRpcException(result.ErrorCode == 0 ? JsonRpcErrorCodes.TransactionRejected : result.ErrorCode, result.Error ?? "transaction rejected");
    }

    // Admits a run of eth_sendRawTransaction calls as one batch; calls with bad parameters are left to the handler,
    // which reports them exactly as it would alone.
    private async ValueTask<object?[]> PrepareSendRawTransactionsAsync(JsonRpcCallContext context, IReadOnlyList<JsonRpcParams> calls)
    {
        var prepared = new object?[calls.Count];
        var raws = new List<ReadOnlyMemory<byte>>(calls.Count);
        var positions = new List<int>(calls.Count);
        for (int i = 0; i < calls.Count; i++)
        {
            byte[] raw;
            try
            {
                raw = ReadRawTransaction(calls[i]);
            }
            catch (JsonRpcException)
            {
                continue;
            }

            raws.Add(raw);
            positions.Add(i);
        }

        if (raws.Count > 0)
        {
            SendTransactionResult[] results = await _backend.SendRawTransactionsAsync(raws, context.CancellationToken).ConfigureAwait(false);
            for (int j = 0; j < results.Length && j < positions.Count; j++)
            {
                prepared[positions[j]] = results[j];
            }
        }

        return prepared;
    }

    private static byte[] ReadRawTransaction(JsonRpcParams p)
    {
        p.RequireCount(1, 1);
        byte[] raw = p.GetData(0);
        if (raw.Length == 0)
        {
            throw new JsonRpcException(JsonRpcErrorCodes.InvalidInput, "params[0]: an empty byte string is not a transaction");
        }

        return raw;
    }

    private async ValueTask CallAsync(JsonRpcCallContext context, JsonRpcParams p, Utf8JsonWriter w)
    {
        p.RequireCount(1, 2);
        CallRequest call = ReadCallRequest(p.GetObject(0), JsonRpcParams.Path(0));
        ulong number = ResolveNumber(p.GetBlockParameter(1, BlockParameter.Latest), mustExist: true);
        CallResult result = await _backend.CallAsync(call, number, context.CancellationToken).ConfigureAwait(false);
        ThrowIfNotSuccess(result);
        EthJsonWriter.WriteData(w, result.Output);
    }

    private async ValueTask EstimateGasAsync(JsonRpcCallContext context, JsonRpcParams p, Utf8JsonWriter w)
    {
        p.RequireCount(1, 2);
        CallRequest call = ReadCallRequest(p.GetObject(0), JsonRpcParams.Path(0));
        ulong number = ResolveNumber(p.GetBlockParameter(1, BlockParameter.Latest), mustExist: true);
        CallResult result = await _backend.EstimateGasAsync(call, number, context.CancellationToken).ConfigureAwait(false);
        ThrowIfNotSuccess(result);
        EthJsonWriter.WriteQuantity(w, result.GasUsed);
    }

    private void FeeHistory(JsonRpcCallContext context, JsonRpcParams p, Utf8JsonWriter w)
    {
        p.RequireCount(2, 3);
        JsonElement countElement = p[0];
        ulong requested = countElement.ValueKind == JsonValueKind.Number
            ? (countElement.TryGetUInt64(out ulong n) ? n : throw JsonRpcValue.Invalid(JsonRpcParams.Path(0), "a block count", countElement))
            : p.GetUInt64(0);
        ulong newest = ResolveNumber(p.GetBlockParameter(1, allowHash: false), mustExist: true);
        double[] percentiles = p.Has(2) ? ReadPercentiles(p[2], JsonRpcParams.Path(2)) : [];
        ulong count = Math.Min(Math.Min(requested, (ulong)_options.MaxFeeHistoryBlocks), newest + 1);
        ulong oldest = newest + 1 - count;

        var blocks = new FeeHistoryBlock[count];
        for (ulong i = 0; i < count; i++)
        {
            blocks[i] = _backend.GetFeeHistoryBlock(oldest + i)
                ?? throw new JsonRpcException(JsonRpcErrorCodes.ResourceNotFound, $"fee data of block {oldest + i} not found");
        }

        w.WriteStartObject();
        w.WritePropertyName("oldestBlock"u8);
        EthJsonWriter.WriteQuantity(w, count == 0 ? 0 : oldest);
        w.WriteStartArray("baseFeePerGas"u8);
        foreach (FeeHistoryBlock block in blocks)
        {
            EthJsonWriter.WriteQuantity(w, block.BaseFeePerGas);
        }

        if (count > 0)
        {
            EthJsonWriter.WriteQuantity(w, blocks[^1].NextBaseFeePerGas);
        }

        w.WriteEndArray();
        w.WriteStartArray("gasUsedRatio"u8);
        foreach (FeeHistoryBlock block in blocks)
        {
            w.WriteNumberValue(block.GasLimit == 0 ? 0.0 : (double)block.GasUsed / block.GasLimit);
        }

        w.WriteEndArray();
        if (percentiles.Length > 0)
        {
            w.WriteStartArray("reward"u8);
            foreach (FeeHistoryBlock block in blocks)
            {
                w.WriteStartArray();
                foreach (UInt256 reward in Rewards(block, percentiles))
                {
                    EthJsonWriter.WriteQuantity(w, reward);
                }

                w.WriteEndArray();
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    private void GetLogs(JsonRpcCallContext context, JsonRpcParams p, Utf8JsonWriter w)
    {
        p.RequireCount(1, 1);
        LogFilterRequest request = LogFilterRequest.Parse(p.GetObject(0), JsonRpcParams.Path(0));
        WriteLogs(w, QueryLogs(request));
    }

    private void NewFilter(JsonRpcCallContext context, JsonRpcParams p, Utf8JsonWriter w)
    {
        p.RequireCount(1, 1);
        LogFilterRequest request = LogFilterRequest.Parse(p.GetObject(0), JsonRpcParams.Path(0));
        w.WriteStringValue(_filters.Install(FilterKind.Logs, request));
    }

    private void GetFilterChanges(JsonRpcCallContext context, JsonRpcParams p, Utf8JsonWriter w)
    {
        p.RequireCount(1, 1);
        FindFilter(p.GetString(0)).WriteChanges(w, _filters.Now);
    }

    private void GetFilterLogs(JsonRpcCallContext context, JsonRpcParams p, Utf8JsonWriter w)
    {
        p.RequireCount(1, 1);
        string id = p.GetString(0);
        InstalledFilter filter = FindFilter(id);
        if (filter.Kind != FilterKind.Logs)
        {
            throw new JsonRpcException(JsonRpcErrorCodes.InvalidInput, $"filter {id} is not a log filter");
        }

        filter.Touch(_filters.Now);
        WriteLogs(w, QueryLogs(filter.LogFilter!));
    }

    private void Subscribe(JsonRpcCallContext context, JsonRpcParams p, Utf8JsonWriter w)
    {
        if (context.Connection is not { } connection)
        {
            throw new JsonRpcException(JsonRpcErrorCodes.MethodNotFound, "notifications not supported: eth_subscribe needs a WebSocket connection");
        }

        p.RequireCount(1, 2);
        string kind = p.GetString(0);
        string id = kind switch
        {
            "newHeads" => WithoutOptions(p, kind, () => _subscriptions.Add(connection, SubscriptionKind.NewHeads, null, false)),
            "logs" => _subscriptions.Add(connection, SubscriptionKind.Logs,
                p.Has(1) ? LogFilterRequest.Parse(p.GetObject(1), JsonRpcParams.Path(1), allowRange: false).Criteria : LogFilterCriteria.All, false),
            "newPendingTransactions" => _subscriptions.Add(connection, SubscriptionKind.NewPendingTransactions, null, p.GetBoolean(1, false)),
            _ => throw JsonRpcException.InvalidParams(
                $"params[0]: unknown subscription type \"{Truncate(kind)}\"; expected newHeads, logs or newPendingTransactions"),
        };
        w.WriteStringValue(id);
    }

    private void Unsubscribe(JsonRpcCallContext context, JsonRpcParams p, Utf8JsonWriter w)
    {
        if (context.Connection is not { } connection)
        {
            throw new JsonRpcException(JsonRpcErrorCodes.MethodNotFound, "notifications not supported: eth_unsubscribe needs a WebSocket connection");
        }

        p.RequireCount(1, 1);
        w.WriteBooleanValue(_subscriptions.Remove(connection, p.GetString(0)));
    }

    private static string WithoutOptions(JsonRpcParams p, string kind, Func<string> add) =>
        p.Has(1) ? throw JsonRpcException.InvalidParams($"params[1]: a {kind} subscription takes no options") : add();

    private InstalledFilter FindFilter(string id) =>
        _filters.TryGet(id, out InstalledFilter filter)
            ? filter
            : throw new JsonRpcException(JsonRpcErrorCodes.InvalidInput, $"filter not found: {Truncate(id)} (never installed, uninstalled, or idle for over {_options.FilterTimeout.TotalMinutes} minutes)");

    private IReadOnlyList<RpcLog> QueryLogs(LogFilterRequest request)
    {
        LogQuery query;
        if (request.BlockHash is { } hash)
        {
            ulong number = _backend.GetBlockNumber(hash)
                ?? throw new JsonRpcException(JsonRpcErrorCodes.ResourceNotFound, $"block {hash} not found");
            query = new LogQuery(number, number, hash, request.Criteria);
        }
        else
        {
            ulong head = _backend.HeadNumber;
            ulong from = ResolveNumber(request.FromBlock, mustExist: false);
            ulong to = Math.Min(ResolveNumber(request.ToBlock, mustExist: false), head);
            if (from > head)
            {
                return [];
            }

            if (from > to)
            {
                throw JsonRpcException.InvalidParams($"params[0]: fromBlock {from} is after toBlock {to}");
            }

            if (to - from >= _options.MaxLogBlockRange)
            {
                throw new JsonRpcException(JsonRpcErrorCodes.LimitExceeded,
                    $"block range {from}..{to} spans {to - from + 1} blocks; the limit is {_options.MaxLogBlockRange}");
            }

            query = new LogQuery(from, to, null, request.Criteria);
        }

        IReadOnlyList<RpcLog> logs = _backend.GetLogs(query);
        if (logs.Count > _options.MaxLogResults)
        {
            throw new JsonRpcException(JsonRpcErrorCodes.LimitExceeded,
                $"query returned {logs.Count} logs; the limit is {_options.MaxLogResults}: narrow the block range or the addresses and topics");
        }

        return logs;
    }

    private static void WriteLogs(Utf8JsonWriter w, IReadOnlyList<RpcLog> logs)
    {
        w.WriteStartArray();
        foreach (RpcLog log in logs)
        {
            EthJsonWriter.WriteLog(w, log);
        }

        w.WriteEndArray();
    }

    /// <summary>Resolves a tag to a block number; with <paramref name="mustExist"/>, a number past the head is -32001.</summary>
    private ulong ResolveNumber(BlockParameter block, bool mustExist)
    {
        ulong head = _backend.HeadNumber;
        ulong number = block.Tag switch
        {
            BlockTag.Number => block.Number,
            BlockTag.Earliest => 0,
            BlockTag.Safe => _backend.SafeNumber,
            BlockTag.Finalized => _backend.FinalizedNumber,
            BlockTag.Hash => _backend.GetBlockNumber(block.Hash)
                ?? throw new JsonRpcException(JsonRpcErrorCodes.ResourceNotFound, $"block {block.Hash} not found"),
            _ => head,
        };
        if (mustExist && number > head)
        {
            throw new JsonRpcException(JsonRpcErrorCodes.ResourceNotFound, $"block {number} not found: the head is {head}");
        }

        return number;
    }

    private IEthStateView StateAt(JsonRpcParams p, int index) => StateAt(p.GetBlockParameter(index, BlockParameter.Latest));

    private IEthStateView StateAt(BlockParameter block)
    {
        ulong number = ResolveNumber(block, mustExist: true);
        return _backend.GetState(number)
            ?? throw new JsonRpcException(JsonRpcErrorCodes.ResourceUnavailable, $"state of block {number} is not available");
    }

    private static void WriteBlockOrNull(Utf8JsonWriter w, RpcBlock? block, bool full)
    {
        if (block is null)
        {
            w.WriteNullValue();
        }
        else
        {
            EthJsonWriter.WriteBlock(w, block, full);
        }
    }

    private static void WriteCountOrNull(Utf8JsonWriter w, RpcBlock? block)
    {
        if (block is null)
        {
            w.WriteNullValue();
        }
        else
        {
            EthJsonWriter.WriteQuantity(w, (ulong)block.Transactions.Count);
        }
    }

    private static void WriteTransactionOrNull(Utf8JsonWriter w, RpcTransaction? transaction)
    {
        if (transaction is null)
        {
            w.WriteNullValue();
        }
        else
        {
            EthJsonWriter.WriteTransaction(w, transaction);
        }
    }

    private static void ThrowIfNotSuccess(CallResult result)
    {
        switch (result.Status)
        {
            case CallStatus.Success:
                return;
            case CallStatus.Reverted:
                string? reason = DecodeRevertReason(result.Output);
                throw new JsonRpcException(JsonRpcErrorCodes.ExecutionReverted,
                    reason is null ? "execution reverted" : "execution reverted: " + reason, Hex.Encode(result.Output));
            default:
                throw new JsonRpcException(JsonRpcErrorCodes.InvalidInput, result.Error ?? "execution failed");
        }
    }

    /// <summary>Decodes Solidity's <c>Error(string)</c> revert payload (selector 0x08c379a0), or null.</summary>
    internal static string? DecodeRevertReason(ReadOnlySpan<byte> output)
    {
        if (output.Length < 4 + 64 || BinaryPrimitives.ReadUInt32BigEndian(output) != 0x08c379a0)
        {
            return null;
        }

        ReadOnlySpan<byte> body = output[4..];
        UInt256 offset = UInt256.FromBigEndian(body[..32]);
        if (!offset.FitsInUlong || offset.U0 > (ulong)body.Length - 32)
        {
            return null;
        }

        int start = (int)offset.U0;
        UInt256 length = UInt256.FromBigEndian(body.Slice(start, 32));
        if (!length.FitsInUlong || length.U0 > (ulong)(body.Length - start - 32))
        {
            return null;
        }

        try
        {
            return new UTF8Encoding(false, true).GetString(body.Slice(start + 32, (int)length.U0));
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private static CallRequest ReadCallRequest(JsonElement element, string path)
    {
        byte[]? input = null;
        if (element.TryGetProperty("input", out JsonElement inputElement) && inputElement.ValueKind != JsonValueKind.Null)
        {
            input = JsonRpcValue.ReadData(inputElement, path + ".input");
        }

        if (element.TryGetProperty("data", out JsonElement dataElement) && dataElement.ValueKind != JsonValueKind.Null)
        {
            byte[] data = JsonRpcValue.ReadData(dataElement, path + ".data");
            if (input is not null && !input.AsSpan().SequenceEqual(data))
            {
                throw JsonRpcException.InvalidParams($"{path}: both \"data\" and \"input\" are set and differ; use \"input\"");
            }

            input = data;
        }

        return new CallRequest
        {
            From = Optional(element, "from", path, JsonRpcValue.ReadAddress),
            To = Optional(element, "to", path, JsonRpcValue.ReadAddress),
            Gas = Optional(element, "gas", path, JsonRpcValue.ReadUInt64),
            GasPrice = Optional(element, "gasPrice", path, JsonRpcValue.ReadUInt256),
            MaxFeePerGas = Optional(element, "maxFeePerGas", path, JsonRpcValue.ReadUInt256),
            MaxPriorityFeePerGas = Optional(element, "maxPriorityFeePerGas", path, JsonRpcValue.ReadUInt256),
            Value = Optional(element, "value", path, JsonRpcValue.ReadUInt256),
            Nonce = Optional(element, "nonce", path, JsonRpcValue.ReadUInt64),
            Input = input,
            AccessList = element.TryGetProperty("accessList", out JsonElement list) && list.ValueKind != JsonValueKind.Null
                ? ReadAccessList(list, path + ".accessList")
                : null,
        };
    }

    private static T? Optional<T>(JsonElement element, string name, string path, Func<JsonElement, string, T> read)
        where T : struct =>
        element.TryGetProperty(name, out JsonElement value) && value.ValueKind != JsonValueKind.Null ? read(value, path + "." + name) : null;

    private static List<RpcAccessListEntry> ReadAccessList(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw JsonRpcValue.Invalid(path, "an access list array", element);
        }

        var entries = new List<RpcAccessListEntry>(element.GetArrayLength());
        int i = 0;
        foreach (JsonElement entry in element.EnumerateArray())
        {
            string entryPath = $"{path}[{i++}]";
            if (entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty("address", out JsonElement address))
            {
                throw JsonRpcValue.Invalid(entryPath, "an object with address and storageKeys", entry);
            }

            var keys = new List<Hash256>();
            if (entry.TryGetProperty("storageKeys", out JsonElement keysElement) && keysElement.ValueKind != JsonValueKind.Null)
            {
                if (keysElement.ValueKind != JsonValueKind.Array)
                {
                    throw JsonRpcValue.Invalid(entryPath + ".storageKeys", "an array of 32-byte keys", keysElement);
                }

                int j = 0;
                foreach (JsonElement key in keysElement.EnumerateArray())
                {
                    keys.Add(JsonRpcValue.ReadHash(key, $"{entryPath}.storageKeys[{j++}]"));
                }
            }

            entries.Add(new RpcAccessListEntry(JsonRpcValue.ReadAddress(address, entryPath + ".address"), keys));
        }

        return entries;
    }

    /// <summary>A storage slot: a quantity, or (as web3 clients send) 32-byte hex with leading zeros.</summary>
    private static UInt256 ReadStorageSlot(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.String)
        {
            throw JsonRpcValue.Invalid(path, "a storage slot (hex quantity or 32-byte hex)", element);
        }

        string text = element.GetString()!;
        if (text.Length is < 3 or > 66 || text[0] != '0' || text[1] is not ('x' or 'X') || !UInt256.TryParse("0x" + text[2..], out UInt256 slot))
        {
            throw JsonRpcValue.Invalid(path, "a storage slot (hex quantity or 32-byte hex)", element);
        }

        return slot;
    }

    private double[] ReadPercentiles(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw JsonRpcValue.Invalid(path, "an array of reward percentiles", element);
        }

        int length = element.GetArrayLength();
        if (length > _options.MaxFeeHistoryPercentiles)
        {
            throw new JsonRpcException(JsonRpcErrorCodes.LimitExceeded, $"{path}: {length} percentiles exceed the limit of {_options.MaxFeeHistoryPercentiles}");
        }

        var result = new double[length];
        int i = 0;
        foreach (JsonElement item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetDouble(out double value) || value < 0 || value > 100 || (i > 0 && value < result[i - 1]))
            {
                throw JsonRpcValue.Invalid($"{path}[{i}]", "a percentile from 0 to 100, not below the one before", item);
            }

            result[i++] = value;
        }

        return result;
    }

    /// <summary>
    /// The effective tip at each gas-weighted percentile, as geth computes it: transactions sorted by tip, and
    /// the first whose cumulative gas reaches the percentile of the block's gas used.
    /// </summary>
    private static UInt256[] Rewards(FeeHistoryBlock block, double[] percentiles)
    {
        var rewards = new UInt256[percentiles.Length];
        if (block.Tips.Count == 0)
        {
            return rewards;
        }

        var tips = block.Tips.ToArray();
        Array.Sort(tips, static (a, b) => a.EffectiveTip.CompareTo(b.EffectiveTip));
        int index = 0;
        double cumulative = tips[0].GasUsed;
        for (int i = 0; i < percentiles.Length; i++)
        {
            double threshold = block.GasUsed * percentiles[i] / 100;
            while (cumulative < threshold && index < tips.Length - 1)
            {
                index++;
                cumulative += tips[index].GasUsed;
            }

            rewards[i] = tips[index].EffectiveTip;
        }

        return rewards;
    }

    private async Task PumpBlocksAsync(CancellationToken token)
    {
        await foreach (NewBlockEvent newBlock in _backend.NewBlocks.ReadAllAsync(token).ConfigureAwait(false))
        {
            try
            {
                _filters.OnNewBlock(newBlock);
                _subscriptions.OnNewBlock(newBlock);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogEventFailure(_logger, e, "new block");
            }
        }
    }

    private async Task PumpPendingAsync(CancellationToken token)
    {
        await foreach (Hash256 hash in _backend.NewPendingTransactions.ReadAllAsync(token).ConfigureAwait(false))
        {
            try
            {
                _filters.OnPendingTransaction(hash);
                _subscriptions.OnPendingTransaction(hash, _backend.GetTransaction);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogEventFailure(_logger, e, "pending transaction");
            }
        }
    }

    private static string Truncate(string text) => text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 77), "...");

    [LoggerMessage(Level = LogLevel.Error, Message = "delivering a {Event} event to filters and subscriptions failed")]
    private static partial void LogEventFailure(ILogger logger, Exception exception, string @event);
}
