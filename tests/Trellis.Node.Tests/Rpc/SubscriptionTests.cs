using System.Net.WebSockets;
using System.Text.Json;
using Trellis.Core;
using Trellis.Node.JsonRpc;
using Trellis.Node.Rpc;
using Trellis.Node.Tests.JsonRpc;

namespace Trellis.Node.Tests.Rpc;

public class SubscriptionTests
{
    private static RpcBlock NextBlock(InMemoryEthBackend backend, params RpcLog[] logs)
    {
        ulong number = backend.HeadNumber + 1;
        RpcTransaction tx = ChainData.Eip1559() with
        {
            Hash = Keccak256.Hash([(byte)number]),
            BlockNumber = number,
            BlockHash = ChainData.BlockHash(number),
            TransactionIndex = 0,
        };
        RpcBlock block = ChainData.Block(number, tx);
        backend.AddBlock(block, [ChainData.Receipt(tx, 21000, logs)]);
        return block;
    }

    private static JsonElement Notification(JsonElement? message, string subscription)
    {
        Assert.NotNull(message);
        JsonElement m = message.Value;
        Assert.Equal("2.0", m.GetProperty("jsonrpc").GetString());
        Assert.Equal("eth_subscription", m.GetProperty("method").GetString());
        Assert.False(m.TryGetProperty("id", out _));
        Assert.Equal(subscription, m.GetProperty("params").GetProperty("subscription").GetString());
        return m.GetProperty("params").GetProperty("result");
    }

    [Fact]
    public async Task WebSocket_AnswersCallsAndBatches()
    {
        await using var host = await RpcTestHost.StartAsync();
        using ClientWebSocket socket = await host.Client.ConnectAsync();
        JsonElement response = await socket.CallAsync("eth_chainId", "[]", id: 42);
        Assert.Equal(42, response.GetProperty("id").GetInt32());
        Assert.Equal("0x1", response.GetProperty("result").GetString());

        await socket.SendTextAsync("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_blockNumber\"},{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"nope\"}]");
        JsonElement? batch = await socket.ReceiveJsonAsync();
        Assert.Equal(2, batch!.Value.GetArrayLength());
        Assert.Equal(JsonRpcErrorCodes.MethodNotFound, batch.Value[1].GetProperty("error").GetProperty("code").GetInt32());

        await socket.SendTextAsync("{not json");
        JsonElement? parseError = await socket.ReceiveJsonAsync();
        Assert.Equal(JsonRpcErrorCodes.ParseError, parseError!.Value.GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task NewHeads_DeliversEachNewHeader()
    {
        await using var host = await RpcTestHost.StartAsync();
        using ClientWebSocket socket = await host.Client.ConnectAsync();
        string id = (await socket.CallAsync("eth_subscribe", "[\"newHeads\"]")).GetProperty("result").GetString()!;
        Assert.Matches("^0x[0-9a-f]{32}$", id);
        RpcBlock block = NextBlock(host.Backend);
        JsonElement header = Notification(await socket.ReceiveJsonAsync(), id);
        Assert.Equal("0x2", header.GetProperty("number").GetString());
        Assert.Equal(block.Hash.ToString(), header.GetProperty("hash").GetString());
        Assert.Equal(block.ParentHash.ToString(), header.GetProperty("parentHash").GetString());
        Assert.False(header.TryGetProperty("transactions", out _));
        NextBlock(host.Backend);
        Assert.Equal("0x3", Notification(await socket.ReceiveJsonAsync(), id).GetProperty("number").GetString());
    }

    [Fact]
    public async Task Logs_DeliversOneNotificationPerMatchingLog()
    {
        await using var host = await RpcTestHost.StartAsync();
        using ClientWebSocket socket = await host.Client.ConnectAsync();
        string id = (await socket.CallAsync("eth_subscribe", $"[\"logs\", {{\"address\":\"{ChainData.Contract.ToLowerHex()}\",\"topics\":[\"{ChainData.TransferTopic}\"]}}]"))
            .GetProperty("result").GetString()!;
        Hash256 tx = Keccak256.Hash([2]);
        NextBlock(host.Backend,
            ChainData.Log(2, tx, 0, 0, ChainData.Contract, ChainData.TransferTopic),
            ChainData.Log(2, tx, 0, 1, ChainData.Contract, ChainData.OtherTopic),
            ChainData.Log(2, tx, 0, 2, Address.Zero, ChainData.TransferTopic),
            ChainData.Log(2, tx, 0, 3, ChainData.Contract, ChainData.TransferTopic, ChainData.OtherTopic));
        Assert.Equal("0x0", Notification(await socket.ReceiveJsonAsync(), id).GetProperty("logIndex").GetString());
        JsonElement second = Notification(await socket.ReceiveJsonAsync(), id);
        Assert.Equal("0x3", second.GetProperty("logIndex").GetString());
        Assert.False(second.GetProperty("removed").GetBoolean());
    }

    [Fact]
    public async Task NewPendingTransactions_DeliversHashesOrFullTransactions()
    {
        await using var host = await RpcTestHost.StartAsync();
        using ClientWebSocket socket = await host.Client.ConnectAsync();
        string hashes = (await socket.CallAsync("eth_subscribe", "[\"newPendingTransactions\"]", 1)).GetProperty("result").GetString()!;
        string full = (await socket.CallAsync("eth_subscribe", "[\"newPendingTransactions\", true]", 2)).GetProperty("result").GetString()!;
        Hash256 hash = Hash256.Parse("0x" + new string('f', 64));
        host.Backend.AddPending(ChainData.Eip1559() with { Hash = hash, BlockHash = null, BlockNumber = null, TransactionIndex = null });
        var received = new Dictionary<string, JsonElement>();
        for (int i = 0; i < 2; i++)
        {
            JsonElement message = (await socket.ReceiveJsonAsync())!.Value;
            received[message.GetProperty("params").GetProperty("subscription").GetString()!] = message.GetProperty("params").GetProperty("result");
        }

        Assert.Equal(hash.ToString(), received[hashes].GetString());
        Assert.Equal(hash.ToString(), received[full].GetProperty("hash").GetString());
        Assert.Equal(JsonValueKind.Null, received[full].GetProperty("blockNumber").ValueKind);
    }

    [Fact]
    public async Task Unsubscribe_StopsDeliveryAndOnlyWorksOnTheOwnConnection()
    {
        await using var host = await RpcTestHost.StartAsync();
        using ClientWebSocket socket = await host.Client.ConnectAsync();
        using ClientWebSocket other = await host.Client.ConnectAsync();
        string first = (await socket.CallAsync("eth_subscribe", "[\"newHeads\"]", 1)).GetProperty("result").GetString()!;
        string second = (await socket.CallAsync("eth_subscribe", "[\"newHeads\"]", 2)).GetProperty("result").GetString()!;
        Assert.False((await other.CallAsync("eth_unsubscribe", $"[\"{first}\"]")).GetProperty("result").GetBoolean());
        Assert.True((await socket.CallAsync("eth_unsubscribe", $"[\"{first}\"]", 3)).GetProperty("result").GetBoolean());
        Assert.False((await socket.CallAsync("eth_unsubscribe", $"[\"{first}\"]", 4)).GetProperty("result").GetBoolean());
        NextBlock(host.Backend);
        Notification(await socket.ReceiveJsonAsync(), second);
        NextBlock(host.Backend);
        // Only the remaining subscription speaks: the next message is again for the second one.
        Notification(await socket.ReceiveJsonAsync(), second);
    }

    [Fact]
    public async Task ClosingTheConnection_RemovesItsSubscriptions()
    {
        await using var host = await RpcTestHost.StartAsync();
        using (ClientWebSocket socket = await host.Client.ConnectAsync())
        {
            await socket.CallAsync("eth_subscribe", "[\"newHeads\"]");
            await socket.CallAsync("eth_subscribe", "[\"logs\"]", 2);
            Assert.Equal(2, host.Service.SubscriptionCount);
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
        }

        await Eventually.MatchAsync(() => Task.FromResult(host.Service.SubscriptionCount), n => n == 0, "subscriptions to be removed");
    }

    [Fact]
    public async Task Subscribe_OverHttpOrWithBadArguments_IsRejected()
    {
        await using var host = await RpcTestHost.StartAsync();
        JsonElement http = await host.Client.ErrorAsync("eth_subscribe", "[\"newHeads\"]");
        Assert.Equal(JsonRpcErrorCodes.MethodNotFound, http.GetProperty("code").GetInt32());
        Assert.StartsWith("notifications not supported", http.GetProperty("message").GetString(), StringComparison.Ordinal);

        using ClientWebSocket socket = await host.Client.ConnectAsync();
        JsonElement unknown = await socket.CallAsync("eth_subscribe", "[\"syncing2\"]");
        Assert.Equal(JsonRpcErrorCodes.InvalidParams, unknown.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Contains("unknown subscription type \"syncing2\"", unknown.GetProperty("error").GetProperty("message").GetString()!, StringComparison.Ordinal);
        JsonElement badFilter = await socket.CallAsync("eth_subscribe", "[\"logs\", {\"address\":7}]");
        Assert.Equal(JsonRpcErrorCodes.InvalidParams, badFilter.GetProperty("error").GetProperty("code").GetInt32());
        JsonElement withRange = await socket.CallAsync("eth_subscribe", "[\"logs\", {\"fromBlock\":\"0x1\"}]");
        Assert.Equal(JsonRpcErrorCodes.InvalidParams, withRange.GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Subscriptions_AreLimitedPerConnection()
    {
        await using var host = await RpcTestHost.StartAsync(new EthRpcOptions { MaxSubscriptionsPerConnection = 1 });
        using ClientWebSocket socket = await host.Client.ConnectAsync();
        Assert.True((await socket.CallAsync("eth_subscribe", "[\"newHeads\"]")).TryGetProperty("result", out _));
        JsonElement over = await socket.CallAsync("eth_subscribe", "[\"newHeads\"]", 2);
        Assert.Equal(JsonRpcErrorCodes.LimitExceeded, over.GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task SlowSubscriber_IsDisconnectedWithoutBlockingOthers()
    {
        await using var host = await RpcTestHost.StartAsync(rpcOptions: new JsonRpcOptions { WebSocketSendQueueCapacity = 4 });
        using ClientWebSocket slow = await host.Client.ConnectAsync();
        using ClientWebSocket fast = await host.Client.ConnectAsync();
        string fastId = (await fast.CallAsync("eth_subscribe", "[\"logs\"]")).GetProperty("result").GetString()!;
        await slow.CallAsync("eth_subscribe", "[\"logs\"]");

        // The slow client stops reading; each block carries a large log, so socket buffers and then its queue fill.
        var big = new byte[256 * 1024];
        const int blocks = 60;
        for (int i = 0; i < blocks; i++)
        {
            ulong number = host.Backend.HeadNumber + 1;
            RpcLog log = ChainData.Log(number, Keccak256.Hash([(byte)number]), 0, 0, ChainData.Contract) with { Data = big };
            NextBlock(host.Backend, log);
            Notification(await fast.ReceiveJsonAsync(), fastId);
        }

        await Eventually.MatchAsync(() => Task.FromResult(host.Service.SubscriptionCount), n => n == 1, "the slow subscriber to be dropped");

        // The slow client sees its connection end once it reads what was already delivered.
        bool ended = false;
        try
        {
            for (int i = 0; i < blocks + 1 && !ended; i++)
            {
                ended = await slow.ReceiveJsonAsync() is null;
            }
        }
        catch (WebSocketException)
        {
            ended = true;
        }

        Assert.True(ended, "the slow client was never disconnected");
    }

    [Fact]
    public async Task OversizedWebSocketMessage_GetsLimitErrorAndClose()
    {
        await using var host = await RpcTestHost.StartAsync(rpcOptions: new JsonRpcOptions { MaxRequestBodyBytes = 1000 });
        using ClientWebSocket socket = await host.Client.ConnectAsync();
        await socket.SendTextAsync($"{{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\",\"params\":[\"{new string('x', 3000)}\"]}}");
        JsonElement? error = await socket.ReceiveJsonAsync();
        Assert.Equal(JsonRpcErrorCodes.LimitExceeded, error!.Value.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Null(await socket.ReceiveJsonAsync());
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, socket.CloseStatus);
    }
}
