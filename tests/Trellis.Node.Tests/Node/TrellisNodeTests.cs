using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Trellis.Core;
using Trellis.Node.Tests.JsonRpc;
using Trellis.Node.Tests.Rpc;

namespace Trellis.Node.Tests.Node;

public sealed class TrellisNodeTests : IDisposable
{
    private readonly NodeFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task Node_AnswersTheChainAndCommitsASentTransferWithItsReceipt()
    {
        await using TrellisNode node = await TrellisNode.StartAsync(_fixture.Config);
        using var client = new TestRpcClient(node.RpcAddress);

        Assert.Equal("0x7a69", (await client.ResultAsync("eth_chainId")).GetString());
        Assert.Equal("0x0", (await client.ResultAsync("eth_blockNumber")).GetString());
        Address recipient = Address.Parse("0x000000000000000000000000000000000000beef");
        string hash = (await client.ResultAsync("eth_sendRawTransaction", $"[\"{_fixture.Transfer(0, 0, recipient, new UInt256(1000))}\"]")).GetString()!;

        JsonElement receipt = await WaitForReceiptAsync(client, hash);
        Assert.Equal("0x1", receipt.GetProperty("status").GetString());
        Assert.Equal("0x5208", receipt.GetProperty("gasUsed").GetString());
        Assert.Equal("0x1", receipt.GetProperty("blockNumber").GetString());
        Assert.Equal(_fixture.Addresses[0].ToLowerHex(), receipt.GetProperty("from").GetString());
        Assert.Equal("0x1", (await client.ResultAsync("eth_blockNumber")).GetString());
        Assert.Equal("0x3e8", (await client.ResultAsync("eth_getBalance", $"[\"{recipient.ToLowerHex()}\", \"latest\"]")).GetString());
        Assert.Equal("0x0", (await client.ResultAsync("eth_getBalance", $"[\"{recipient.ToLowerHex()}\", \"0x0\"]")).GetString());
        Assert.Equal("0x1", (await client.ResultAsync("eth_getTransactionCount", $"[\"{_fixture.Addresses[0].ToLowerHex()}\", \"latest\"]")).GetString());

        JsonElement transaction = await client.ResultAsync("eth_getTransactionByHash", $"[\"{hash}\"]");
        Assert.Equal("0x1", transaction.GetProperty("blockNumber").GetString());
        Assert.Equal("0x3e8", transaction.GetProperty("value").GetString());
        JsonElement block = await client.ResultAsync("eth_getBlockByNumber", "[\"latest\", true]");
        Assert.Equal(hash, block.GetProperty("transactions")[0].GetProperty("hash").GetString());
        Assert.Equal(receipt.GetProperty("blockHash").GetString(), block.GetProperty("hash").GetString());
        Assert.Equal("0x0", block.GetProperty("baseFeePerGas").GetString());
        JsonElement receipts = await client.ResultAsync("eth_getBlockReceipts", "[\"0x1\"]");
        Assert.Equal(hash, receipts[0].GetProperty("transactionHash").GetString());
    }

    [Fact]
    public async Task SendRawTransaction_AnswersGarbageAndStaleNoncesWithTheStandardCodes()
    {
        await using TrellisNode node = await TrellisNode.StartAsync(_fixture.Config);
        using var client = new TestRpcClient(node.RpcAddress);
        string transfer = _fixture.Transfer(0, 0, _fixture.Addresses[1], UInt256.One);
        string hash = (await client.ResultAsync("eth_sendRawTransaction", $"[\"{transfer}\"]")).GetString()!;
        await WaitForReceiptAsync(client, hash);

        JsonElement garbage = await client.ErrorAsync("eth_sendRawTransaction", "[\"0x02c0ff\"]");
        JsonElement replay = await client.ErrorAsync("eth_sendRawTransaction", $"[\"{transfer}\"]");
        JsonElement otherChain = await client.ErrorAsync("eth_sendRawTransaction", $"[\"{_fixture.Transfer(0, 1, _fixture.Addresses[1], UInt256.One, chainId: 1)}\"]");

        Assert.Equal(-32000, garbage.GetProperty("code").GetInt32());
        Assert.Equal(-32003, replay.GetProperty("code").GetInt32());
        Assert.Contains("nonce too low", replay.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("chain", otherChain.GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("0x1", (await client.ResultAsync("eth_blockNumber")).GetString());
    }

    [Fact]
    public async Task Call_ReturnsTheOutputOrTheRevertData()
    {
        await using TrellisNode node = await TrellisNode.StartAsync(_fixture.Config);
        using var client = new TestRpcClient(node.RpcAddress);

        string output = (await client.ResultAsync("eth_call", $"[{{\"to\":\"{NodeFixture.Returns42.ToLowerHex()}\"}}, \"latest\"]")).GetString()!;
        JsonElement revert = await client.ErrorAsync("eth_call", $"[{{\"to\":\"{NodeFixture.RevertsAb.ToLowerHex()}\"}}, \"latest\"]");

        Assert.Equal("0x" + new string('0', 62) + "2a", output);
        Assert.Equal(3, revert.GetProperty("code").GetInt32());
        Assert.Equal("0xab", revert.GetProperty("data").GetString());
    }

    [Fact]
    public async Task Call_LeavesNoTraceInTheState()
    {
        await using TrellisNode node = await TrellisNode.StartAsync(_fixture.Config);
        using var client = new TestRpcClient(node.RpcAddress);
        string slot = $"[\"{NodeFixture.WritesSlot.ToLowerHex()}\", \"0x0\", \"latest\"]";

        await client.ResultAsync("eth_call", $"[{{\"from\":\"{_fixture.Addresses[0].ToLowerHex()}\",\"to\":\"{NodeFixture.WritesSlot.ToLowerHex()}\"}}, \"latest\"]");

        Assert.Equal("0x" + new string('0', 64), (await client.ResultAsync("eth_getStorageAt", slot)).GetString());
        Assert.Equal("0x0", (await client.ResultAsync("eth_getTransactionCount", $"[\"{_fixture.Addresses[0].ToLowerHex()}\", \"latest\"]")).GetString());
    }

    [Fact]
    public async Task EstimateGas_IsTheLeastGasLimitWithWhichTheCallSucceeds()
    {
        await using TrellisNode node = await TrellisNode.StartAsync(_fixture.Config);
        using var client = new TestRpcClient(node.RpcAddress);
        string from = _fixture.Addresses[0].ToLowerHex();
        string to = NodeFixture.WritesSlot.ToLowerHex();

        string transfer = (await client.ResultAsync("eth_estimateGas", $"[{{\"from\":\"{from}\",\"to\":\"{_fixture.Addresses[1].ToLowerHex()}\",\"value\":\"0x1\"}}]")).GetString()!;
        ulong estimate = ulong.Parse(((await client.ResultAsync("eth_estimateGas", $"[{{\"from\":\"{from}\",\"to\":\"{to}\"}}]")).GetString()!)[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        JsonElement enough = await client.CallAsync("eth_call", $"[{{\"from\":\"{from}\",\"to\":\"{to}\",\"gas\":\"0x{estimate:x}\"}}, \"latest\"]");
        JsonElement tooLittle = await client.CallAsync("eth_call", $"[{{\"from\":\"{from}\",\"to\":\"{to}\",\"gas\":\"0x{estimate - 1:x}\"}}, \"latest\"]");
        JsonElement reverts = await client.ErrorAsync("eth_estimateGas", $"[{{\"from\":\"{from}\",\"to\":\"{NodeFixture.RevertsAb.ToLowerHex()}\"}}]");

        Assert.Equal("0x5208", transfer);

        // A cold SSTORE of a fresh slot costs 22,100 beyond the 21,000 base (EIP-2929, EIP-2200), plus pushes.
        Assert.InRange(estimate, 21_000UL + 22_100UL, 21_000UL + 22_100UL + 100UL);
        Assert.True(enough.TryGetProperty("result", out _), enough.ToString());
        Assert.True(tooLittle.TryGetProperty("error", out _), tooLittle.ToString());
        Assert.Equal(3, reverts.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Logs_OfACommittedCallAreFoundByAddressAndReachABlockFilter()
    {
        await using TrellisNode node = await TrellisNode.StartAsync(_fixture.Config);
        using var client = new TestRpcClient(node.RpcAddress);
        string filter = (await client.ResultAsync("eth_newBlockFilter")).GetString()!;

        string hash = (await client.ResultAsync("eth_sendRawTransaction", $"[\"{_fixture.Sign(1, 0, NodeFixture.EmitsLog, UInt256.Zero, 100_000)}\"]")).GetString()!;
        JsonElement receipt = await WaitForReceiptAsync(client, hash);
        JsonElement logs = await client.ResultAsync("eth_getLogs", $"[{{\"fromBlock\":\"0x0\",\"address\":\"{NodeFixture.EmitsLog.ToLowerHex()}\"}}]");

        JsonElement log = Assert.Single(logs.EnumerateArray());
        Assert.Equal(hash, log.GetProperty("transactionHash").GetString());
        Assert.Equal("0x" + new string('0', 62) + "aa", log.GetProperty("data").GetString());
        Assert.Equal(receipt.GetProperty("logs")[0].GetProperty("logIndex").GetString(), log.GetProperty("logIndex").GetString());
        JsonElement changes = await Eventually.MatchAsync(() => client.ResultAsync("eth_getFilterChanges", $"[\"{filter}\"]"), c => c.GetArrayLength() > 0, "the new block in the filter");
        Assert.Equal(receipt.GetProperty("blockHash").GetString(), changes[0].GetString());
    }

    [Fact]
    public async Task Node_RestartsAtItsLastCommittedBlockWithItsReceipts()
    {
        string hash;
        await using (TrellisNode node = await TrellisNode.StartAsync(_fixture.Config))
        {
            using var client = new TestRpcClient(node.RpcAddress);
            hash = (await client.ResultAsync("eth_sendRawTransaction", $"[\"{_fixture.Transfer(2, 0, _fixture.Addresses[0], UInt256.One)}\"]")).GetString()!;
            await WaitForReceiptAsync(client, hash);
        }

        await using (TrellisNode again = await TrellisNode.StartAsync(_fixture.Config))
        {
            using var client = new TestRpcClient(again.RpcAddress);
            Assert.Equal("0x1", (await client.ResultAsync("eth_blockNumber")).GetString());
            Assert.Equal("0x1", (await client.ResultAsync("eth_getTransactionReceipt", $"[\"{hash}\"]")).GetProperty("status").GetString());
            string next = (await client.ResultAsync("eth_sendRawTransaction", $"[\"{_fixture.Transfer(2, 1, _fixture.Addresses[0], UInt256.One)}\"]")).GetString()!;
            Assert.Equal("0x2", (await WaitForReceiptAsync(client, next)).GetProperty("blockNumber").GetString());
        }

        Assert.True(File.Exists(Path.Combine(_fixture.Config.DataDir, "chain.db")));
        Assert.Equal(File.ReadAllText(_fixture.GenesisFile), File.ReadAllText(Path.Combine(_fixture.Config.DataDir, "genesis.json")));
    }

    [Fact]
    public async Task StartAsync_NamesARpcPortAlreadyInUse()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        NodeConfig config = new() { DataDir = _fixture.Config.DataDir, GenesisFile = _fixture.GenesisFile, RpcPort = port };

        var error = await Assert.ThrowsAsync<NodeStartException>(() => TrellisNode.StartAsync(config));

        Assert.Contains($"http://127.0.0.1:{port}", error.Message, StringComparison.Ordinal);

        // Nothing was left open: the same data directory starts afterwards.
        await using TrellisNode node = await TrellisNode.StartAsync(_fixture.Config);
    }

    [Fact]
    public async Task StartAsync_RefusesADataDirectoryOfAnotherChain()
    {
        await (await TrellisNode.StartAsync(_fixture.Config)).DisposeAsync();
        using var other = new NodeFixture(chainId: 777);
        NodeConfig config = new() { DataDir = _fixture.Config.DataDir, GenesisFile = other.GenesisFile, RpcPort = 0 };

        var error = await Assert.ThrowsAsync<NodeStartException>(() => TrellisNode.StartAsync(config));

        Assert.Contains(_fixture.Config.DataDir, error.Message, StringComparison.Ordinal);
        Assert.Contains("31337", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_NamesABrokenGenesisFile()
    {
        File.WriteAllText(_fixture.GenesisFile, "{ \"chainId\": ");

        var error = await Assert.ThrowsAsync<NodeStartException>(() => TrellisNode.StartAsync(_fixture.Config));

        Assert.Contains(_fixture.GenesisFile, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_NamesADatabaseThatIsNotSqlite()
    {
        Directory.CreateDirectory(_fixture.Config.DataDir);
        File.WriteAllText(_fixture.Config.DatabasePath, new string('x', 8192));

        var error = await Assert.ThrowsAsync<NodeStartException>(() => TrellisNode.StartAsync(_fixture.Config));

        Assert.Contains(_fixture.Config.DatabasePath, error.Message, StringComparison.Ordinal);
    }

    private static Task<JsonElement> WaitForReceiptAsync(TestRpcClient client, string hash) =>
        Eventually.MatchAsync(() => client.ResultAsync("eth_getTransactionReceipt", $"[\"{hash}\"]"), r => r.ValueKind == JsonValueKind.Object, $"the receipt of {hash}", 20);
}
