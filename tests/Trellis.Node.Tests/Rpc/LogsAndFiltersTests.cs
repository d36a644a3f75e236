using System.Text.Json;
using Trellis.Core;
using Trellis.Node.JsonRpc;
using Trellis.Node.Rpc;

namespace Trellis.Node.Tests.Rpc;

public class LogsAndFiltersTests
{
    private static readonly string Contract = ChainData.Contract.ToLowerHex();
    private static readonly string Transfer = ChainData.TransferTopic.ToString();
    private static readonly string Other = ChainData.OtherTopic.ToString();

    /// <summary>Block 2: two logs from the contract (Transfer, then Other) and one from another address.</summary>
    private static RpcBlock AddBlock2(InMemoryEthBackend backend)
    {
        RpcTransaction tx = ChainData.Eip1559() with { Hash = Hash256.Parse("0x" + new string('e', 64)), BlockNumber = 2, BlockHash = ChainData.BlockHash(2), TransactionIndex = 0 };
        RpcBlock block = ChainData.Block(2, tx);
        Address elsewhere = Address.Parse("0x" + new string('d', 40));
        backend.AddBlock(block, [ChainData.Receipt(tx, 21000,
            ChainData.Log(2, tx.Hash, 0, 0, ChainData.Contract, ChainData.TransferTopic),
            ChainData.Log(2, tx.Hash, 0, 1, ChainData.Contract, ChainData.OtherTopic, ChainData.TransferTopic),
            ChainData.Log(2, tx.Hash, 0, 2, elsewhere, ChainData.TransferTopic))]);
        return block;
    }

    private static string[] LogIndexes(JsonElement logs) =>
        [.. logs.EnumerateArray().Select(l => $"{l.GetProperty("blockNumber").GetString()}/{l.GetProperty("logIndex").GetString()}")];

    [Theory]
    [InlineData("{\"fromBlock\":\"0x0\",\"toBlock\":\"latest\"}", new[] { "0x1/0x0", "0x2/0x0", "0x2/0x1", "0x2/0x2" })]
    [InlineData("{\"fromBlock\":\"0x2\",\"address\":\"CONTRACT\"}", new[] { "0x2/0x0", "0x2/0x1" })]
    [InlineData("{\"fromBlock\":\"earliest\",\"address\":[\"CONTRACT\"],\"topics\":[\"TRANSFER\"]}", new[] { "0x1/0x0", "0x2/0x0" })]
    [InlineData("{\"fromBlock\":\"0x1\",\"topics\":[[\"TRANSFER\",\"OTHER\"]]}", new[] { "0x1/0x0", "0x2/0x0", "0x2/0x1", "0x2/0x2" })]
    [InlineData("{\"fromBlock\":\"0x1\",\"topics\":[null,\"TRANSFER\"]}", new[] { "0x2/0x1" })]
    [InlineData("{\"fromBlock\":\"0x1\",\"topics\":[null,null]}", new[] { "0x1/0x0", "0x2/0x1" })]
    [InlineData("{\"fromBlock\":\"0x1\",\"topics\":[\"OTHER\"]}", new[] { "0x2/0x1" })]
    [InlineData("{}", new[] { "0x2/0x0", "0x2/0x1", "0x2/0x2" })]
    [InlineData("{\"blockHash\":\"0x1111111111111111111111111111111111111111111111111111111111111101\"}", new[] { "0x1/0x0" })]
    [InlineData("{\"fromBlock\":\"0x9\"}", new string[0])]
    public async Task GetLogs_FiltersByRangeAddressAndTopics(string filter, string[] expected)
    {
        var backend = ChainData.NewBackend();
        AddBlock2(backend);
        await using var host = await RpcTestHost.StartAsync(backend: backend);
        string json = filter.Replace("CONTRACT", Contract, StringComparison.Ordinal).Replace("TRANSFER", Transfer, StringComparison.Ordinal).Replace("OTHER", Other, StringComparison.Ordinal);
        JsonElement logs = await host.Client.ResultAsync("eth_getLogs", $"[{json}]");
        Assert.Equal(expected, LogIndexes(logs));
    }

    [Theory]
    [InlineData("{\"blockHash\":\"0x1111111111111111111111111111111111111111111111111111111111111101\",\"fromBlock\":\"0x1\"}", JsonRpcErrorCodes.InvalidParams, "blockHash cannot be combined")]
    [InlineData("{\"fromBlock\":\"0x1\",\"toBlock\":\"0x0\"}", JsonRpcErrorCodes.InvalidParams, "fromBlock 1 is after toBlock 0")]
    [InlineData("{\"topics\":[null,null,null,null,null]}", JsonRpcErrorCodes.InvalidParams, "5 topic positions exceed the maximum of 4")]
    [InlineData("{\"address\":\"0x12\"}", JsonRpcErrorCodes.InvalidParams, "params[0].address: expected a 20-byte address")]
    [InlineData("{\"address\":[\"0x12\"]}", JsonRpcErrorCodes.InvalidParams, "params[0].address[0]: expected a 20-byte address")]
    [InlineData("{\"topics\":[[\"0x12\"]]}", JsonRpcErrorCodes.InvalidParams, "params[0].topics[0][0]: expected a 32-byte hash")]
    [InlineData("{\"topics\":\"0x12\"}", JsonRpcErrorCodes.InvalidParams, "params[0].topics: expected an array of topics")]
    [InlineData("{\"fromBlock\":{\"blockHash\":\"0x1111111111111111111111111111111111111111111111111111111111111101\"}}", JsonRpcErrorCodes.InvalidParams, "params[0].fromBlock")]
    [InlineData("{\"blockHash\":\"0x9999999999999999999999999999999999999999999999999999999999999999\"}", JsonRpcErrorCodes.ResourceNotFound, "not found")]
    public async Task GetLogs_RejectsBadFilters(string filter, int code, string message)
    {
        await using var host = await RpcTestHost.StartAsync();
        JsonElement error = await host.Client.ErrorAsync("eth_getLogs", $"[{filter}]");
        Assert.Equal(code, error.GetProperty("code").GetInt32());
        Assert.Contains(message, error.GetProperty("message").GetString()!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetLogs_EnforcesRangeAndResultLimits()
    {
        var backend = ChainData.NewBackend();
        AddBlock2(backend);
        await using var host = await RpcTestHost.StartAsync(new EthRpcOptions { MaxLogBlockRange = 2, MaxLogResults = 3 }, backend: backend);
        JsonElement range = await host.Client.ErrorAsync("eth_getLogs", "[{\"fromBlock\":\"0x0\",\"toBlock\":\"0x2\"}]");
        Assert.Equal(JsonRpcErrorCodes.LimitExceeded, range.GetProperty("code").GetInt32());
        Assert.Equal("block range 0..2 spans 3 blocks; the limit is 2", range.GetProperty("message").GetString());
        JsonElement results = await host.Client.ErrorAsync("eth_getLogs", "[{\"fromBlock\":\"0x1\",\"toBlock\":\"0x2\"}]");
        Assert.Equal(JsonRpcErrorCodes.LimitExceeded, results.GetProperty("code").GetInt32());
        Assert.Equal(3, (await host.Client.ResultAsync("eth_getLogs", "[{\"fromBlock\":\"0x2\"}]")).GetArrayLength());
    }

    [Fact]
    public async Task BlockFilter_DeliversNewBlockHashesOnceEach()
    {
        await using var host = await RpcTestHost.StartAsync();
        string id = (await host.Client.ResultAsync("eth_newBlockFilter")).GetString()!;
        Assert.Matches("^0x[0-9a-f]{32}$", id);
        Assert.Equal(0, (await host.Client.ResultAsync("eth_getFilterChanges", $"[\"{id}\"]")).GetArrayLength());
        RpcBlock block = AddBlock2(host.Backend);
        JsonElement changes = await Eventually.MatchAsync(() => host.Client.ResultAsync("eth_getFilterChanges", $"[\"{id}\"]"), c => c.GetArrayLength() > 0, "the block hash");
        Assert.Equal($"[\"{block.Hash}\"]", changes.GetRawText());
        Assert.Equal(0, (await host.Client.ResultAsync("eth_getFilterChanges", $"[\"{id}\"]")).GetArrayLength());
    }

    [Fact]
    public async Task LogFilter_DeliversOnlyMatchingNewLogs_AndGetFilterLogsQueriesHistory()
    {
        await using var host = await RpcTestHost.StartAsync();
        string id = (await host.Client.ResultAsync("eth_newFilter", $"[{{\"fromBlock\":\"0x1\",\"address\":\"{Contract}\",\"topics\":[\"{Transfer}\"]}}]")).GetString()!;
        AddBlock2(host.Backend);
        JsonElement changes = await Eventually.MatchAsync(() => host.Client.ResultAsync("eth_getFilterChanges", $"[\"{id}\"]"), c => c.GetArrayLength() > 0, "the matching log");
        Assert.Equal(["0x2/0x0"], LogIndexes(changes));
        JsonElement all = await host.Client.ResultAsync("eth_getFilterLogs", $"[\"{id}\"]");
        Assert.Equal(["0x1/0x0", "0x2/0x0"], LogIndexes(all));
    }

    [Fact]
    public async Task LogFilter_WithAPastToBlock_GetsNothingNew()
    {
        await using var host = await RpcTestHost.StartAsync();
        string bounded = (await host.Client.ResultAsync("eth_newFilter", "[{\"fromBlock\":\"0x0\",\"toBlock\":\"0x1\"}]")).GetString()!;
        string open = (await host.Client.ResultAsync("eth_newFilter", "[{}]")).GetString()!;
        AddBlock2(host.Backend);
        await Eventually.MatchAsync(() => host.Client.ResultAsync("eth_getFilterChanges", $"[\"{open}\"]"), c => c.GetArrayLength() > 0, "the open filter's logs");
        Assert.Equal(0, (await host.Client.ResultAsync("eth_getFilterChanges", $"[\"{bounded}\"]")).GetArrayLength());
    }

    [Fact]
    public async Task PendingTransactionFilter_DeliversPoolHashes()
    {
        await using var host = await RpcTestHost.StartAsync();
        string id = (await host.Client.ResultAsync("eth_newPendingTransactionFilter")).GetString()!;
        Hash256 hash = Hash256.Parse("0x" + new string('f', 64));
        host.Backend.AddPending(ChainData.Eip1559() with { Hash = hash, BlockHash = null, BlockNumber = null, TransactionIndex = null });
        JsonElement changes = await Eventually.MatchAsync(() => host.Client.ResultAsync("eth_getFilterChanges", $"[\"{id}\"]"), c => c.GetArrayLength() > 0, "the pending hash");
        Assert.Equal($"[\"{hash}\"]", changes.GetRawText());
    }

    [Fact]
    public async Task UninstallFilter_RemovesItOnce()
    {
        await using var host = await RpcTestHost.StartAsync();
        string id = (await host.Client.ResultAsync("eth_newBlockFilter")).GetString()!;
        Assert.True((await host.Client.ResultAsync("eth_uninstallFilter", $"[\"{id}\"]")).GetBoolean());
        Assert.False((await host.Client.ResultAsync("eth_uninstallFilter", $"[\"{id}\"]")).GetBoolean());
        JsonElement error = await host.Client.ErrorAsync("eth_getFilterChanges", $"[\"{id}\"]");
        Assert.Equal(JsonRpcErrorCodes.InvalidInput, error.GetProperty("code").GetInt32());
        Assert.StartsWith("filter not found", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Filter_ExpiresAfterFiveIdleMinutes_ButPollingKeepsItAlive()
    {
        var time = new ManualTimeProvider();
        await using var host = await RpcTestHost.StartAsync(time: time);
        string kept = (await host.Client.ResultAsync("eth_newBlockFilter")).GetString()!;
        string idle = (await host.Client.ResultAsync("eth_newBlockFilter")).GetString()!;
        time.Advance(TimeSpan.FromMinutes(4));
        await host.Client.ResultAsync("eth_getFilterChanges", $"[\"{kept}\"]");
        time.Advance(TimeSpan.FromMinutes(2));
        await host.Client.ResultAsync("eth_getFilterChanges", $"[\"{kept}\"]");
        Assert.StartsWith("filter not found", (await host.Client.ErrorAsync("eth_getFilterChanges", $"[\"{idle}\"]")).GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, host.Service.FilterCount);
    }

    [Fact]
    public async Task Filters_AreLimitedInNumber()
    {
        await using var host = await RpcTestHost.StartAsync(new EthRpcOptions { MaxFilters = 2 });
        await host.Client.ResultAsync("eth_newBlockFilter");
        await host.Client.ResultAsync("eth_newBlockFilter");
        Assert.Equal(JsonRpcErrorCodes.LimitExceeded, (await host.Client.ErrorAsync("eth_newBlockFilter")).GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task GetFilterLogs_OnABlockFilter_IsInvalidInput()
    {
        await using var host = await RpcTestHost.StartAsync();
        string id = (await host.Client.ResultAsync("eth_newBlockFilter")).GetString()!;
        Assert.Equal(JsonRpcErrorCodes.InvalidInput, (await host.Client.ErrorAsync("eth_getFilterLogs", $"[\"{id}\"]")).GetProperty("code").GetInt32());
    }

    [Fact]
    public void Criteria_FollowGethTopicSemantics()
    {
        RpcLog log = ChainData.Log(1, Hash256.Zero, 0, 0, ChainData.Contract, ChainData.TransferTopic);
        Assert.True(LogFilterCriteria.All.Matches(log));
        Assert.True(new LogFilterCriteria([], [null]).Matches(log));
        // A filter naming more positions than the log has topics never matches, even with wildcards (as in geth).
        Assert.False(new LogFilterCriteria([], [null, null]).Matches(log));
        Assert.False(new LogFilterCriteria([Address.Zero], []).Matches(log));
        Assert.True(new LogFilterCriteria([Address.Zero, ChainData.Contract], [[ChainData.OtherTopic, ChainData.TransferTopic]]).Matches(log));
    }
}
