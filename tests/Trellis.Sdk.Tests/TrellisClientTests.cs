using System.Text.Json;
using Trellis.Core;
using Trellis.Sdk.Abi;
using Trellis.Sdk.Rpc;

namespace Trellis.Sdk.Tests;

public sealed class TrellisClientTests : IAsyncLifetime
{
    internal const string ReceiptJson = """
        {"transactionHash":"0x88df016429689c079f3b2f6ad39fa052532c56795b733da78a91ebe6a713944b",
         "blockHash":"0x1d59ff54b1eb26b013ce3cb5fc9dab3705b415a67127a003c3e61eb445bb8df2","blockNumber":"0x5",
         "transactionIndex":"0x0","from":"0x1111111111111111111111111111111111111111","to":null,
         "contractAddress":"0x3333333333333333333333333333333333333333","gasUsed":"0x5208","cumulativeGasUsed":"0x5208",
         "effectiveGasPrice":"0x0","status":"0x1","type":"0x2","logsBloom":"0x00",
         "logs":[{"address":"0x3333333333333333333333333333333333333333",
           "topics":["0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef",
                     "0x0000000000000000000000000000000000000000000000000000000000000000",
                     "0x0000000000000000000000001111111111111111111111111111111111111111"],
           "data":"0x00000000000000000000000000000000000000000000000000000000000f4240",
           "blockNumber":"0x5","blockHash":"0x1d59ff54b1eb26b013ce3cb5fc9dab3705b415a67127a003c3e61eb445bb8df2",
           "transactionHash":"0x88df016429689c079f3b2f6ad39fa052532c56795b733da78a91ebe6a713944b",
           "transactionIndex":"0x0","logIndex":"0x0","removed":false}]}
        """;

    private FakeRpcServer _server = null!;
    private TrellisClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeRpcServer.StartAsync();
        _client = new TrellisClient(_server.Endpoint, new TrellisClientOptions { RequestTimeout = TimeSpan.FromSeconds(5), ReceiptPollInterval = TimeSpan.FromMilliseconds(20) });
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task GetChainId_SendsJsonRpc2RequestAndParsesQuantity()
    {
        _server.Handler = (_, _) => Task.FromResult(FakeReply.Result("\"0x539\""));
        Assert.Equal(1337UL, await _client.GetChainIdAsync());
        JsonElement request = Assert.Single(_server.Requests);
        Assert.Equal("2.0", request.GetProperty("jsonrpc").GetString());
        Assert.Equal("eth_chainId", request.GetProperty("method").GetString());
        Assert.Equal(JsonValueKind.Number, request.GetProperty("id").ValueKind);
        Assert.Equal(0, request.GetProperty("params").GetArrayLength());
    }

    [Fact]
    public async Task AccountQueries_SendAddressAndBlockTag()
    {
        _server.Handler = (method, _) => Task.FromResult(method switch
        {
            "eth_getBalance" => FakeReply.Result("\"0xde0b6b3a7640000\""),
            "eth_getTransactionCount" => FakeReply.Quantity(7),
            "eth_getCode" => FakeReply.Result("\"0x6080\""),
            _ => FakeReply.Quantity(42),
        });
        var address = Address.Parse("0xabcdef0123456789abcdef0123456789abcdef01");
        Assert.Equal(UInt256.Parse("1000000000000000000"), await _client.GetBalanceAsync(address));
        Assert.Equal(7UL, await _client.GetTransactionCountAsync(address));
        Assert.Equal(new byte[] { 0x60, 0x80 }, await _client.GetCodeAsync(address));
        Assert.Equal(42UL, await _client.GetBlockNumberAsync());
        JsonElement balance = _server.RequestsFor("eth_getBalance")[0].GetProperty("params");
        Assert.Equal("0xabcdef0123456789abcdef0123456789abcdef01", balance[0].GetString());
        Assert.Equal("latest", balance[1].GetString());
        Assert.Equal("pending", _server.RequestsFor("eth_getTransactionCount")[0].GetProperty("params")[1].GetString());
    }

    [Fact]
    public async Task Call_SendsTransactionObjectWithInput()
    {
        _server.Handler = (_, _) => Task.FromResult(FakeReply.Result("\"0x0000000000000000000000000000000000000000000000000000000000000001\""));
        var to = Address.Parse("0x3333333333333333333333333333333333333333");
        byte[] output = await _client.CallAsync(new CallRequest { To = to, Data = new byte[] { 0x18, 0x16, 0x0d, 0xdd } });
        Assert.Equal(32, output.Length);
        JsonElement call = _server.RequestsFor("eth_call")[0].GetProperty("params");
        Assert.Equal("0x3333333333333333333333333333333333333333", call[0].GetProperty("to").GetString());
        Assert.Equal("0x18160ddd", call[0].GetProperty("input").GetString());
        Assert.False(call[0].TryGetProperty("value", out _));
        Assert.Equal("latest", call[1].GetString());
    }

    [Fact]
    public async Task NodeError_BecomesTrellisRpcExceptionWithCodeMessageAndData()
    {
        _server.Handler = (_, _) => Task.FromResult(FakeReply.Error(-32602, "invalid argument 0: hex string has odd length", "\"detail\""));
        var e = await Assert.ThrowsAsync<TrellisRpcException>(() => _client.GetBlockNumberAsync());
        Assert.Equal(-32602, e.Code);
        Assert.Equal("invalid argument 0: hex string has odd length", e.RpcMessage);
        Assert.Equal("detail", e.ErrorData);
        Assert.Equal("eth_blockNumber", e.Method);
        Assert.False(e.IsRevert);
        Assert.Contains("eth_blockNumber", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevertError_DecodesErrorStringData()
    {
        string data = "\"0x08c379a0"
            + "0000000000000000000000000000000000000000000000000000000000000020"
            + "000000000000000000000000000000000000000000000000000000000000001a"
            + "4e6f7420656e6f7567682045746865722070726f76696465642e000000000000\"";
        _server.Handler = (_, _) => Task.FromResult(FakeReply.Error(3, "execution reverted: Not enough Ether provided.", data));
        var e = await Assert.ThrowsAsync<TrellisRpcException>(() => _client.CallAsync(new CallRequest { To = Address.Zero }));
        Assert.True(e.IsRevert);
        Assert.Equal(RevertReasonKind.Error, e.Revert!.Kind);
        Assert.Equal("Not enough Ether provided.", e.Revert.Message);
    }

    [Theory]
    [InlineData("oops, not json", 500)]
    [InlineData("[1,2,3]", 200)]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":999999,\"result\":\"0x1\"}", 200)]
    [InlineData("{\"jsonrpc\":\"2.0\",\"error\":{\"code\":\"x\"}}", 200)]
    public async Task MalformedResponses_AreReportedAsTrellisRpcException(string body, int status)
    {
        _server.Handler = (_, _) => Task.FromResult(FakeReply.Raw(body, status));
        var e = await Assert.ThrowsAsync<TrellisRpcException>(() => _client.GetBlockNumberAsync());
        Assert.Equal(TrellisRpcException.MalformedResponse, e.Code);
    }

    [Theory]
    [InlineData("\"0xZZ\"")]
    [InlineData("\"12\"")]
    [InlineData("12")]
    [InlineData("\"0x10000000000000000\"")]
    public async Task MalformedQuantity_NamesTheFieldAndValue(string result)
    {
        _server.Handler = (_, _) => Task.FromResult(FakeReply.Result(result));
        var e = await Assert.ThrowsAsync<TrellisRpcException>(() => _client.GetBlockNumberAsync());
        Assert.Contains("\"result\"", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SlowNode_TimesOutWithTimeoutException()
    {
        _server.Handler = async (_, _) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(3));
            return FakeReply.Quantity(1);
        };
        using var client = new TrellisClient(_server.Endpoint, new TrellisClientOptions { RequestTimeout = TimeSpan.FromMilliseconds(200) });
        var e = await Assert.ThrowsAsync<TimeoutException>(() => client.GetBlockNumberAsync());
        Assert.Contains("eth_blockNumber", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_IsHonoured()
    {
        _server.Handler = async (_, _) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(3));
            return FakeReply.Quantity(1);
        };
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _client.GetBlockNumberAsync(cancel.Token));
    }

    [Fact]
    public async Task WaitForReceipt_PollsUntilTheReceiptAppears()
    {
        int polls = 0;
        _server.Handler = (_, _) => Task.FromResult(Interlocked.Increment(ref polls) < 3 ? FakeReply.Result("null") : FakeReply.Result(ReceiptJson));
        Hash256 hash = Hash256.Parse("0x88df016429689c079f3b2f6ad39fa052532c56795b733da78a91ebe6a713944b");
        TransactionReceipt receipt = await _client.WaitForReceiptAsync(hash, TimeSpan.FromSeconds(5));
        Assert.Equal(3, polls);
        Assert.True(receipt.Succeeded);
        Assert.Equal(5UL, receipt.BlockNumber);
        Assert.Equal(21000UL, receipt.GasUsed);
        Assert.Null(receipt.To);
        Assert.Equal(Address.Parse("0x3333333333333333333333333333333333333333"), receipt.ContractAddress);
        LogEntry log = Assert.Single(receipt.Logs);
        Assert.Equal(3, log.Topics.Count);
        Assert.Equal(0UL, log.LogIndex);
        Assert.Equal(hash.ToString(), _server.Requests.First().GetProperty("params")[0].GetString());
    }

    [Fact]
    public async Task WaitForReceipt_TimesOutWhenNeverIncluded()
    {
        _server.Handler = (_, _) => Task.FromResult(FakeReply.Result("null"));
        var e = await Assert.ThrowsAsync<TimeoutException>(() => _client.WaitForReceiptAsync(Hash256.Zero, TimeSpan.FromMilliseconds(150)));
        Assert.Contains(Hash256.Zero.ToString(), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetLogs_SendsFilterAndParsesLogs()
    {
        using JsonDocument receipt = JsonDocument.Parse(ReceiptJson);
        string logs = receipt.RootElement.GetProperty("logs").GetRawText();
        _server.Handler = (_, _) => Task.FromResult(FakeReply.Result(logs));
        var filter = new LogFilter
        {
            FromBlock = LogFilter.Block(1),
            ToBlock = "latest",
            Addresses = [Address.Parse("0x3333333333333333333333333333333333333333")],
            Topics = [AbiSignature.Hash("Transfer(address,address,uint256)"), null],
        };
        LogEntry log = Assert.Single(await _client.GetLogsAsync(filter));
        Assert.Equal(new UInt256(1_000_000), UInt256.FromBigEndian(log.Data));
        JsonElement sent = _server.RequestsFor("eth_getLogs")[0].GetProperty("params")[0];
        Assert.Equal("0x1", sent.GetProperty("fromBlock").GetString());
        Assert.Equal("0x3333333333333333333333333333333333333333", sent.GetProperty("address").GetString());
        Assert.Equal(JsonValueKind.Null, sent.GetProperty("topics")[1].ValueKind);
    }

    [Fact]
    public async Task SubscribeLogs_DeliversNotificationsInOrderAndUnsubscribesOnDispose()
    {
        var received = new List<LogEntry>();
        var two = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var filter = new LogFilter { Addresses = [Address.Parse("0x3333333333333333333333333333333333333333")] };
        await using (Subscription subscription = await _client.SubscribeLogsAsync(filter, (log, _) =>
        {
            received.Add(log);
            if (received.Count == 2)
            {
                two.TrySetResult();
            }

            return Task.CompletedTask;
        }))
        {
            Assert.Equal("0x1", subscription.Id);
            using JsonDocument receipt = JsonDocument.Parse(ReceiptJson);
            string log = receipt.RootElement.GetProperty("logs")[0].GetRawText();
            await _server.PushAsync(log);
            await _server.PushAsync(log.Replace("\"logIndex\":\"0x0\"", "\"logIndex\":\"0x1\"", StringComparison.Ordinal));
            await two.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }

        await _server.Unsubscribed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([0UL, 1UL], received.Select(l => l.LogIndex!.Value));
        JsonElement subscribe = _server.WebSocketRequests.First();
        Assert.Equal("eth_subscribe", subscribe.GetProperty("method").GetString());
        Assert.Equal("logs", subscribe.GetProperty("params")[0].GetString());
        Assert.Equal("0x3333333333333333333333333333333333333333", subscribe.GetProperty("params")[1].GetProperty("address").GetString());
        JsonElement unsubscribe = _server.WebSocketRequests.Last();
        Assert.Equal("eth_unsubscribe", unsubscribe.GetProperty("method").GetString());
        Assert.Equal("0x1", unsubscribe.GetProperty("params")[0].GetString());
    }

    [Fact]
    public async Task SubscribeNewHeads_ParsesHeaders_AndMalformedNotificationFaultsCompletion()
    {
        var header = new TaskCompletionSource<BlockHeader>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using Subscription subscription = await _client.SubscribeNewHeadsAsync((h, _) =>
        {
            header.TrySetResult(h);
            return Task.CompletedTask;
        });
        await _server.PushAsync("""
            {"number":"0x1b4","hash":"0xdc0818cf78f21a8e70579cb46a43643f78291264dda342ae31049421c82d21ae",
             "parentHash":"0xe99e022112df268087ea7eafaf4790497fd21dbeeb6bd7a1721df161a6657a54","timestamp":"0x55ba467c",
             "gasLimit":"0x1388","gasUsed":"0x0"}
            """);
        BlockHeader h = await header.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(436UL, h.Number);
        Assert.Equal(1438271100UL, h.Timestamp);
        Assert.Equal("newHeads", Assert.Single(_server.WebSocketRequests).GetProperty("params")[0].GetString());

        await _server.PushAsync("""{"number":"not hex"}""");
        var e = await Assert.ThrowsAsync<TrellisRpcException>(() => subscription.Completion.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("number", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_RejectsNonHttpEndpoint()
    {
        Assert.Throws<ArgumentException>(() => new TrellisClient(new Uri("ftp://127.0.0.1/")));
        using var client = new TrellisClient(new Uri("https://node.example:8545/rpc"));
        Assert.Equal("wss://node.example:8545/rpc", client.WebSocketEndpoint.ToString());
    }
}
