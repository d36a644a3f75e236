using System.Text.Json;
using Trellis.Core;
using Trellis.Node.JsonRpc;
using Trellis.Node.Rpc;

namespace Trellis.Node.Tests.Rpc;

public class EthRpcServiceTests
{
    private const string Sender = "0x9d8a62f656a8d1615c1294fd71e9cfb3e4855a4f";
    private const string Block1Hash = "0x1111111111111111111111111111111111111111111111111111111111111101";

    private static string[] Names(JsonElement obj) => [.. obj.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task SimpleMethods_AnswerFromTheBackend()
    {
        await using var host = await RpcTestHost.StartAsync();
        var c = host.Client;
        Assert.Equal("0x1", (await c.ResultAsync("eth_chainId")).GetString());
        Assert.Equal("0x1", (await c.ResultAsync("eth_blockNumber")).GetString());
        Assert.Equal("1", (await c.ResultAsync("net_version")).GetString());
        Assert.True((await c.ResultAsync("net_listening")).GetBoolean());
        Assert.Equal("0x3", (await c.ResultAsync("net_peerCount")).GetString());
        Assert.Equal("[]", (await c.ResultAsync("eth_accounts")).GetRawText());
        Assert.False((await c.ResultAsync("eth_syncing")).GetBoolean());
        Assert.Equal("0x3b9aca00", (await c.ResultAsync("eth_gasPrice")).GetString());
        Assert.Equal("0x5f5e100", (await c.ResultAsync("eth_maxPriorityFeePerGas")).GetString());
        Assert.StartsWith("Trellis/", (await c.ResultAsync("web3_clientVersion")).GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonRpcErrorCodes.InvalidParams, (await c.ErrorAsync("eth_chainId", "[1]")).GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Syncing_ShowsProgressWhileCatchingUp()
    {
        await using var host = await RpcTestHost.StartAsync();
        host.Backend.Sync = new SyncStatus(0, 1, 0x100);
        JsonElement result = await host.Client.ResultAsync("eth_syncing");
        Assert.Equal("{\"startingBlock\":\"0x0\",\"currentBlock\":\"0x1\",\"highestBlock\":\"0x100\"}", result.GetRawText());
    }

    [Fact]
    public async Task Web3Sha3_IsKeccak256()
    {
        await using var host = await RpcTestHost.StartAsync();
        // The example of the Ethereum JSON-RPC documentation: keccak256("hello world").
        JsonElement result = await host.Client.ResultAsync("web3_sha3", "[\"0x68656c6c6f20776f726c64\"]");
        Assert.Equal("0x47173285a8d7341e5e972fc677286384f802f8ef42a5ec5f03bbfa254cb01fad", result.GetString());
    }

    [Fact]
    public async Task GetBlockByNumber_HashesOnly_HasGethsHeaderFields()
    {
        await using var host = await RpcTestHost.StartAsync();
        JsonElement block = await host.Client.ResultAsync("eth_getBlockByNumber", "[\"0x1\", false]");
        Assert.Equal(
            ["baseFeePerGas", "difficulty", "extraData", "gasLimit", "gasUsed", "hash", "logsBloom", "miner", "mixHash", "nonce", "number",
             "parentHash", "receiptsRoot", "sha3Uncles", "size", "stateRoot", "timestamp", "transactions", "transactionsRoot", "uncles"],
            Names(block));
        Assert.Equal("0x1", block.GetProperty("number").GetString());
        Assert.Equal(Block1Hash, block.GetProperty("hash").GetString());
        Assert.Equal("0x0000000000000000", block.GetProperty("nonce").GetString());
        Assert.Equal("0x0", block.GetProperty("difficulty").GetString());
        Assert.Equal("0x1c9c380", block.GetProperty("gasLimit").GetString());
        Assert.Equal("0xa410", block.GetProperty("gasUsed").GetString());
        Assert.Equal("0x6553f101", block.GetProperty("timestamp").GetString());
        Assert.Equal("0x3b9aca00", block.GetProperty("baseFeePerGas").GetString());
        Assert.Equal("0x7472", block.GetProperty("extraData").GetString());
        Assert.Equal("0x0000000000000000000000000000000000000000", block.GetProperty("miner").GetString());
        Assert.Equal("0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347", block.GetProperty("sha3Uncles").GetString());
        Assert.Equal(2 + 512, block.GetProperty("logsBloom").GetString()!.Length);
        Assert.Equal("[]", block.GetProperty("uncles").GetRawText());
        Assert.Equal(
            $"[\"{ChainData.Eip155Hash}\",\"{ChainData.TypedHash}\"]",
            block.GetProperty("transactions").GetRawText());
    }

    [Fact]
    public async Task GetBlockByNumber_FullTransactions_ShowsLegacyFieldsOfTheEip155Example()
    {
        await using var host = await RpcTestHost.StartAsync();
        JsonElement block = await host.Client.ResultAsync("eth_getBlockByNumber", "[\"latest\", true]");
        JsonElement legacy = block.GetProperty("transactions")[0];
        Assert.Equal(
            ["blockHash", "blockNumber", "chainId", "from", "gas", "gasPrice", "hash", "input", "nonce", "r", "s", "to", "transactionIndex", "type", "v", "value"],
            Names(legacy));
        Assert.Equal(Block1Hash, legacy.GetProperty("blockHash").GetString());
        Assert.Equal("0x1", legacy.GetProperty("blockNumber").GetString());
        Assert.Equal(Sender, legacy.GetProperty("from").GetString());
        Assert.Equal("0x5208", legacy.GetProperty("gas").GetString());
        Assert.Equal("0x4a817c800", legacy.GetProperty("gasPrice").GetString());
        Assert.Equal("0x33469b22e9f636356c4160a87eb19df52b7412e8eac32a4a55ffe88ea8350788", legacy.GetProperty("hash").GetString());
        Assert.Equal("0x", legacy.GetProperty("input").GetString());
        Assert.Equal("0x9", legacy.GetProperty("nonce").GetString());
        Assert.Equal("0x3535353535353535353535353535353535353535", legacy.GetProperty("to").GetString());
        Assert.Equal("0x0", legacy.GetProperty("transactionIndex").GetString());
        Assert.Equal("0xde0b6b3a7640000", legacy.GetProperty("value").GetString());
        Assert.Equal("0x0", legacy.GetProperty("type").GetString());
        Assert.Equal("0x1", legacy.GetProperty("chainId").GetString());
        Assert.Equal("0x25", legacy.GetProperty("v").GetString());
        Assert.Equal("0x28ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276", legacy.GetProperty("r").GetString());
        Assert.Equal("0x67cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83", legacy.GetProperty("s").GetString());
    }

    [Fact]
    public async Task GetBlockByNumber_FullTransactions_Shows1559Fields()
    {
        await using var host = await RpcTestHost.StartAsync();
        JsonElement block = await host.Client.ResultAsync("eth_getBlockByNumber", "[\"0x1\", true]");
        JsonElement typed = block.GetProperty("transactions")[1];
        Assert.Equal(
            ["accessList", "blockHash", "blockNumber", "chainId", "from", "gas", "gasPrice", "hash", "input", "maxFeePerGas", "maxPriorityFeePerGas",
             "nonce", "r", "s", "to", "transactionIndex", "type", "v", "value", "yParity"],
            Names(typed));
        Assert.Equal("0x2", typed.GetProperty("type").GetString());
        Assert.Equal("0x77359400", typed.GetProperty("maxFeePerGas").GetString());
        Assert.Equal("0x5f5e100", typed.GetProperty("maxPriorityFeePerGas").GetString());
        Assert.Equal("0x4190ab00", typed.GetProperty("gasPrice").GetString());
        Assert.Equal("0x1", typed.GetProperty("yParity").GetString());
        Assert.Equal("0x1", typed.GetProperty("v").GetString());
        Assert.Equal("0xa9059cbb", typed.GetProperty("input").GetString());
        Assert.Equal(
            $"[{{\"address\":\"0x{new string('c', 40)}\",\"storageKeys\":[\"0x{new string('0', 64)}\"]}}]",
            typed.GetProperty("accessList").GetRawText());
    }

    [Theory]
    [InlineData("\"latest\"", "0x1")]
    [InlineData("\"pending\"", "0x1")]
    [InlineData("\"safe\"", "0x1")]
    [InlineData("\"finalized\"", "0x1")]
    [InlineData("\"earliest\"", "0x0")]
    [InlineData("\"0x0\"", "0x0")]
    public async Task GetBlockByNumber_ResolvesTags(string tag, string number)
    {
        await using var host = await RpcTestHost.StartAsync();
        JsonElement block = await host.Client.ResultAsync("eth_getBlockByNumber", $"[{tag}, false]");
        Assert.Equal(number, block.GetProperty("number").GetString());
    }

    [Fact]
    public async Task UnknownBlocksAndTransactions_AreNull()
    {
        await using var host = await RpcTestHost.StartAsync();
        var c = host.Client;
        string unknown = "\"0x" + new string('9', 64) + "\"";
        Assert.Equal(JsonValueKind.Null, (await c.ResultAsync("eth_getBlockByNumber", "[\"0x5\", false]")).ValueKind);
        Assert.Equal(JsonValueKind.Null, (await c.ResultAsync("eth_getBlockByHash", $"[{unknown}, false]")).ValueKind);
        Assert.Equal(JsonValueKind.Null, (await c.ResultAsync("eth_getTransactionByHash", $"[{unknown}]")).ValueKind);
        Assert.Equal(JsonValueKind.Null, (await c.ResultAsync("eth_getTransactionReceipt", $"[{unknown}]")).ValueKind);
        Assert.Equal(JsonValueKind.Null, (await c.ResultAsync("eth_getBlockReceipts", "[\"0x7\"]")).ValueKind);
        Assert.Equal(JsonValueKind.Null, (await c.ResultAsync("eth_getBlockTransactionCountByNumber", "[\"0x7\"]")).ValueKind);
        Assert.Equal(JsonValueKind.Null, (await c.ResultAsync("eth_getTransactionByBlockNumberAndIndex", "[\"0x1\", \"0x2\"]")).ValueKind);
    }

    [Fact]
    public async Task BlockLookups_ByHashAndIndex()
    {
        await using var host = await RpcTestHost.StartAsync();
        var c = host.Client;
        Assert.Equal("0x1", (await c.ResultAsync("eth_getBlockByHash", $"[\"{Block1Hash}\", false]")).GetProperty("number").GetString());
        Assert.Equal("0x2", (await c.ResultAsync("eth_getBlockTransactionCountByHash", $"[\"{Block1Hash}\"]")).GetString());
        Assert.Equal("0x2", (await c.ResultAsync("eth_getBlockTransactionCountByNumber", "[\"latest\"]")).GetString());
        Assert.Equal("0x0", (await c.ResultAsync("eth_getBlockTransactionCountByNumber", "[\"earliest\"]")).GetString());
        Assert.Equal(ChainData.TypedHash.ToString(),
            (await c.ResultAsync("eth_getTransactionByBlockHashAndIndex", $"[\"{Block1Hash}\", \"0x1\"]")).GetProperty("hash").GetString());
        Assert.Equal(ChainData.Eip155Hash.ToString(),
            (await c.ResultAsync("eth_getTransactionByBlockNumberAndIndex", "[\"0x1\", \"0x0\"]")).GetProperty("hash").GetString());
    }

    [Fact]
    public async Task GetTransactionByHash_MinedAndPending()
    {
        await using var host = await RpcTestHost.StartAsync();
        JsonElement mined = await host.Client.ResultAsync("eth_getTransactionByHash", $"[\"{ChainData.Eip155Hash}\"]");
        Assert.Equal("0x1", mined.GetProperty("blockNumber").GetString());

        RpcTransaction pending = ChainData.Eip1559() with { Hash = Hash256.Parse("0x" + new string('b', 64)), BlockHash = null, BlockNumber = null, TransactionIndex = null };
        host.Backend.AddPending(pending);
        JsonElement result = await host.Client.ResultAsync("eth_getTransactionByHash", $"[\"{pending.Hash}\"]");
        Assert.Equal(JsonValueKind.Null, result.GetProperty("blockHash").ValueKind);
        Assert.Equal(JsonValueKind.Null, result.GetProperty("blockNumber").ValueKind);
        Assert.Equal(JsonValueKind.Null, result.GetProperty("transactionIndex").ValueKind);
    }

    [Fact]
    public async Task GetTransactionReceipt_HasGethsFieldsAndLogPositions()
    {
        await using var host = await RpcTestHost.StartAsync();
        JsonElement receipt = await host.Client.ResultAsync("eth_getTransactionReceipt", $"[\"{ChainData.TypedHash}\"]");
        Assert.Equal(
            ["blockHash", "blockNumber", "contractAddress", "cumulativeGasUsed", "effectiveGasPrice", "from", "gasUsed", "logs", "logsBloom",
             "status", "to", "transactionHash", "transactionIndex", "type"],
            Names(receipt));
        Assert.Equal("0x1", receipt.GetProperty("status").GetString());
        Assert.Equal("0xa410", receipt.GetProperty("cumulativeGasUsed").GetString());
        Assert.Equal("0x5208", receipt.GetProperty("gasUsed").GetString());
        Assert.Equal("0x4190ab00", receipt.GetProperty("effectiveGasPrice").GetString());
        Assert.Equal(JsonValueKind.Null, receipt.GetProperty("contractAddress").ValueKind);
        Assert.Equal("0x2", receipt.GetProperty("type").GetString());
        Assert.Equal("0x1", receipt.GetProperty("transactionIndex").GetString());
        JsonElement log = receipt.GetProperty("logs")[0];
        Assert.Equal(
            ["address", "blockHash", "blockNumber", "data", "logIndex", "removed", "topics", "transactionHash", "transactionIndex"],
            Names(log));
        Assert.Equal("0x0", log.GetProperty("logIndex").GetString());
        Assert.Equal("0x1", log.GetProperty("transactionIndex").GetString());
        Assert.Equal(Block1Hash, log.GetProperty("blockHash").GetString());
        Assert.Equal("0x0102", log.GetProperty("data").GetString());
        Assert.False(log.GetProperty("removed").GetBoolean());
        Assert.Equal(ChainData.TransferTopic.ToString(), log.GetProperty("topics")[0].GetString());
    }

    [Fact]
    public async Task GetBlockReceipts_ByNumberTagAndEip1898Hash()
    {
        await using var host = await RpcTestHost.StartAsync();
        Assert.Equal(2, (await host.Client.ResultAsync("eth_getBlockReceipts", "[\"0x1\"]")).GetArrayLength());
        Assert.Equal(2, (await host.Client.ResultAsync("eth_getBlockReceipts", "[\"latest\"]")).GetArrayLength());
        Assert.Equal(2, (await host.Client.ResultAsync("eth_getBlockReceipts", $"[{{\"blockHash\":\"{Block1Hash}\"}}]")).GetArrayLength());
        Assert.Equal(0, (await host.Client.ResultAsync("eth_getBlockReceipts", "[\"0x0\"]")).GetArrayLength());
    }

    [Fact]
    public async Task AccountState_AtTagsNumbersAndPending()
    {
        var backend = ChainData.NewBackend();
        Address account = ChainData.Eip155Sender;
        backend.Accounts[account] = (UInt256.Parse("1000000000000000000"), 10, [0x60, 0x00], new() { [UInt256.One] = new UInt256(0xabcd) });
        backend.PendingNonces[account] = 12;
        await using var host = await RpcTestHost.StartAsync(backend: backend);
        var c = host.Client;
        Assert.Equal("0xde0b6b3a7640000", (await c.ResultAsync("eth_getBalance", $"[\"{Sender}\", \"latest\"]")).GetString());
        Assert.Equal("0xde0b6b3a7640000", (await c.ResultAsync("eth_getBalance", $"[\"{Sender}\"]")).GetString());
        Assert.Equal("0x0", (await c.ResultAsync("eth_getBalance", $"[\"0x{new string('1', 40)}\", \"0x1\"]")).GetString());
        Assert.Equal("0x6000", (await c.ResultAsync("eth_getCode", $"[\"{Sender}\", {{\"blockNumber\":\"0x1\"}}]")).GetString());
        Assert.Equal("0xa", (await c.ResultAsync("eth_getTransactionCount", $"[\"{Sender}\", \"latest\"]")).GetString());
        Assert.Equal("0xc", (await c.ResultAsync("eth_getTransactionCount", $"[\"{Sender}\", \"pending\"]")).GetString());
        string word = "0x" + new string('0', 60) + "abcd";
        Assert.Equal(word, (await c.ResultAsync("eth_getStorageAt", $"[\"{Sender}\", \"0x1\", \"latest\"]")).GetString());
        Assert.Equal(word, (await c.ResultAsync("eth_getStorageAt", $"[\"{Sender}\", \"0x{new string('0', 63)}1\"]")).GetString());
        Assert.Equal("0x" + new string('0', 64), (await c.ResultAsync("eth_getStorageAt", $"[\"{Sender}\", \"0x2\"]")).GetString());
    }

    [Fact]
    public async Task AccountState_ErrorsNameTheProblem()
    {
        await using var host = await RpcTestHost.StartAsync();
        var c = host.Client;
        JsonElement future = await c.ErrorAsync("eth_getBalance", $"[\"{Sender}\", \"0x9\"]");
        Assert.Equal(JsonRpcErrorCodes.ResourceNotFound, future.GetProperty("code").GetInt32());
        Assert.Equal("block 9 not found: the head is 1", future.GetProperty("message").GetString());
        JsonElement unknownHash = await c.ErrorAsync("eth_getBalance", $"[\"{Sender}\", {{\"blockHash\":\"0x{new string('9', 64)}\"}}]");
        Assert.Equal(JsonRpcErrorCodes.ResourceNotFound, unknownHash.GetProperty("code").GetInt32());
        JsonElement badSlot = await c.ErrorAsync("eth_getStorageAt", $"[\"{Sender}\", 1]");
        Assert.Equal(JsonRpcErrorCodes.InvalidParams, badSlot.GetProperty("code").GetInt32());
        Assert.StartsWith("params[1]:", badSlot.GetProperty("message").GetString(), StringComparison.Ordinal);
        JsonElement badAddress = await c.ErrorAsync("eth_getCode", "[\"0x12\"]");
        Assert.Equal("params[0]: expected a 20-byte address, got \"0x12\"", badAddress.GetProperty("message").GetString());
        JsonElement badTag = await c.ErrorAsync("eth_getBalance", $"[\"{Sender}\", \"newest\"]");
        Assert.Equal(JsonRpcErrorCodes.InvalidParams, badTag.GetProperty("code").GetInt32());
        JsonElement badFlag = await c.ErrorAsync("eth_getBlockByNumber", "[\"0x1\", \"yes\"]");
        Assert.Equal("params[1]: expected a boolean, got \"yes\"", badFlag.GetProperty("message").GetString());
    }

    [Fact]
    public async Task SendRawTransaction_ReturnsTheHashOfTheSignedBytes()
    {
        await using var host = await RpcTestHost.StartAsync();
        // The signed EIP-155 example; its published hash is keccak256 of these bytes.
        string raw = "0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83";
        JsonElement hash = await host.Client.ResultAsync("eth_sendRawTransaction", $"[\"{raw}\"]");
        Assert.Equal("0x33469b22e9f636356c4160a87eb19df52b7412e8eac32a4a55ffe88ea8350788", hash.GetString());
    }

    [Fact]
    public async Task SendRawTransaction_PoolRejectionIsVerbatimWithTransactionRejected()
    {
        await using var host = await RpcTestHost.StartAsync();
        host.Backend.Send = _ => SendTransactionResult.Rejected("nonce too low: next nonce 5, tx nonce 4");
        JsonElement error = await host.Client.ErrorAsync("eth_sendRawTransaction", "[\"0x01\"]");
        Assert.Equal(JsonRpcErrorCodes.TransactionRejected, error.GetProperty("code").GetInt32());
        Assert.Equal("nonce too low: next nonce 5, tx nonce 4", error.GetProperty("message").GetString());

        host.Backend.Send = _ => SendTransactionResult.Invalid("rlp: expected list, got string");
        Assert.Equal(JsonRpcErrorCodes.InvalidInput, (await host.Client.ErrorAsync("eth_sendRawTransaction", "[\"0x01\"]")).GetProperty("code").GetInt32());
        Assert.Equal(JsonRpcErrorCodes.InvalidInput, (await host.Client.ErrorAsync("eth_sendRawTransaction", "[\"0x\"]")).GetProperty("code").GetInt32());
        Assert.Equal(JsonRpcErrorCodes.InvalidParams, (await host.Client.ErrorAsync("eth_sendRawTransaction", "[\"0x0\"]")).GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task SendRawTransaction_InABatchAnswersEachCallAsItWouldAloneAndSubmitsInOrder()
    {
        await using var host = await RpcTestHost.StartAsync();
        var sent = new List<string>();
        host.Backend.Send = raw =>
        {
            lock (sent)
            {
                sent.Add(Convert.ToHexStringLower(raw));
            }

            return raw[0] == 1 ? SendTransactionResult.Rejected("nonce too low: next nonce 5, tx nonce 4") : SendTransactionResult.Accepted(Keccak256.Hash(raw));
        };
        string[] calls =
        [
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_sendRawTransaction\",\"params\":[\"0x02aa\"]}",
            "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"eth_sendRawTransaction\",\"params\":[\"0x0\"]}",
            "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"eth_sendRawTransaction\",\"params\":[\"0x01\"]}",
            "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"eth_sendRawTransaction\",\"params\":[]}",
            "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"eth_sendRawTransaction\",\"params\":[\"0X02BB\"]}",
            "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"eth_sendRawTransaction\",\"params\":[\"\\u0030x02cc\"]}",
            "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"eth_sendRawTransaction\",\"params\":[\"0x\"]}",
            "{\"jsonrpc\":\"2.0\",\"method\":\"eth_sendRawTransaction\",\"params\":[\"0x02dd\"]}",
            "{\"jsonrpc\":\"1.0\",\"id\":9,\"method\":\"eth_sendRawTransaction\",\"params\":[\"0x02ee\"]}",
            "{\"jsonrpc\":\"2.0\",\"id\":10,\"method\":\"eth_sendRawTransaction\",\"params\":[\"0x02ff\"]}",
        ];
        var alone = new List<string>();
        foreach (string call in calls)
        {
            (_, string body) = await host.Client.PostRawAsync(call);
            alone.Add(body);
        }

        List<string> sentAlone = [.. sent];
        sent.Clear();

        (_, string batch) = await host.Client.PostRawAsync("[" + string.Join(",", calls) + "]");

        using JsonDocument answers = JsonDocument.Parse(batch);
        string[] expected = [.. alone.Where(b => b.Length > 0)];
        Assert.Equal(expected, answers.RootElement.EnumerateArray().Select(a => a.GetRawText()));
        Assert.Equal(sentAlone, sent);
        Assert.Equal(["02aa", "01", "02bb", "02cc", "02dd", "02ff"], sent);
        Assert.Equal("0x" + Convert.ToHexStringLower(Keccak256.Hash([0x02, 0xaa]).ToArray()), answers.RootElement[0].GetProperty("result").GetString());
        Assert.Equal(JsonRpcErrorCodes.InvalidParams, answers.RootElement[1].GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal("nonce too low: next nonce 5, tx nonce 4", answers.RootElement[2].GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(JsonRpcErrorCodes.InvalidRequest, answers.RootElement[7].GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Call_ReturnsOutputAndPassesTheCallObject()
    {
        await using var host = await RpcTestHost.StartAsync();
        CallRequest? seen = null;
        ulong seenBlock = 99;
        host.Backend.Call = (call, block) =>
        {
            seen = call;
            seenBlock = block;
            return CallResult.Success([0x00, 0x2a], 25000);
        };
        JsonElement output = await host.Client.ResultAsync("eth_call",
            $"[{{\"from\":\"{Sender}\",\"to\":\"0x{new string('c', 40)}\",\"gas\":\"0x7530\",\"value\":\"0x1\",\"data\":\"0x70a08231\"}}, \"0x0\"]");
        Assert.Equal("0x002a", output.GetString());
        Assert.NotNull(seen);
        Assert.Equal(ChainData.Eip155Sender, seen.From);
        Assert.Equal(ChainData.Contract, seen.To);
        Assert.Equal(30000UL, seen.Gas);
        Assert.Equal(UInt256.One, seen.Value);
        Assert.Equal([0x70, 0xa0, 0x82, 0x31], seen.Input);
        Assert.Equal(0UL, seenBlock);
        Assert.Equal("0x61a8", (await host.Client.ResultAsync("eth_estimateGas", $"[{{\"to\":\"0x{new string('c', 40)}\"}}]")).GetString());
    }

    [Fact]
    public async Task Call_RevertGetsCode3WithReasonAndData()
    {
        await using var host = await RpcTestHost.StartAsync();
        // Error("Not enough Ether provided.") as the Solidity documentation encodes it.
        string revert = "0x08c379a0"
            + "0000000000000000000000000000000000000000000000000000000000000020"
            + "000000000000000000000000000000000000000000000000000000000000001a"
            + "4e6f7420656e6f7567682045746865722070726f76696465642e000000000000";
        host.Backend.Call = (_, _) => CallResult.Reverted(Convert.FromHexString(revert[2..]), 100);
        foreach (string method in new[] { "eth_call", "eth_estimateGas" })
        {
            JsonElement error = await host.Client.ErrorAsync(method, $"[{{\"to\":\"{Sender}\"}}, \"latest\"]");
            Assert.Equal(3, error.GetProperty("code").GetInt32());
            Assert.Equal("execution reverted: Not enough Ether provided.", error.GetProperty("message").GetString());
            Assert.Equal(revert, error.GetProperty("data").GetString());
        }

        host.Backend.Call = (_, _) => CallResult.Reverted([0xde, 0xad], 100);
        JsonElement custom = await host.Client.ErrorAsync("eth_call", $"[{{\"to\":\"{Sender}\"}}]");
        Assert.Equal("execution reverted", custom.GetProperty("message").GetString());
        Assert.Equal("0xdead", custom.GetProperty("data").GetString());
    }

    [Fact]
    public async Task Call_FailureAndBadCallObjects()
    {
        await using var host = await RpcTestHost.StartAsync();
        host.Backend.Call = (_, _) => CallResult.Failed("out of gas: gas required exceeds allowance (30000)");
        JsonElement failed = await host.Client.ErrorAsync("eth_call", $"[{{\"to\":\"{Sender}\"}}]");
        Assert.Equal(JsonRpcErrorCodes.InvalidInput, failed.GetProperty("code").GetInt32());
        Assert.Equal("out of gas: gas required exceeds allowance (30000)", failed.GetProperty("message").GetString());

        JsonElement mismatch = await host.Client.ErrorAsync("eth_call", "[{\"data\":\"0x01\",\"input\":\"0x02\"}]");
        Assert.Equal(JsonRpcErrorCodes.InvalidParams, mismatch.GetProperty("code").GetInt32());
        JsonElement badTo = await host.Client.ErrorAsync("eth_call", "[{\"to\":\"0x1234\"}]");
        Assert.Equal("params[0].to: expected a 20-byte address, got \"0x1234\"", badTo.GetProperty("message").GetString());
        JsonElement badGas = await host.Client.ErrorAsync("eth_call", "[{\"gas\":30000}]");
        Assert.StartsWith("params[0].gas: expected a hex quantity", badGas.GetProperty("message").GetString(), StringComparison.Ordinal);
        JsonElement notObject = await host.Client.ErrorAsync("eth_call", "[\"0x01\"]");
        Assert.Equal("params[0]: expected an object, got \"0x01\"", notObject.GetProperty("message").GetString());
        JsonElement future = await host.Client.ErrorAsync("eth_call", $"[{{\"to\":\"{Sender}\"}}, \"0x5\"]");
        Assert.Equal(JsonRpcErrorCodes.ResourceNotFound, future.GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task FeeHistory_ComputesGasWeightedRewardPercentiles()
    {
        var backend = ChainData.NewBackend();
        backend.Fees[0] = new FeeHistoryBlock { BaseFeePerGas = new UInt256(1000), NextBaseFeePerGas = new UInt256(875), GasUsed = 0, GasLimit = 30_000_000, Tips = [] };
        backend.Fees[1] = new FeeHistoryBlock
        {
            BaseFeePerGas = new UInt256(875),
            NextBaseFeePerGas = new UInt256(900),
            GasUsed = 84000,
            GasLimit = 168000,
            Tips = [new TransactionTip(new UInt256(5), 21000), new TransactionTip(new UInt256(1), 21000), new TransactionTip(new UInt256(3), 42000)],
        };
        await using var host = await RpcTestHost.StartAsync(backend: backend);
        JsonElement history = await host.Client.ResultAsync("eth_feeHistory", "[\"0x2\", \"latest\", [0, 50, 100]]");
        Assert.Equal("0x0", history.GetProperty("oldestBlock").GetString());
        Assert.Equal("[\"0x3e8\",\"0x36b\",\"0x384\"]", history.GetProperty("baseFeePerGas").GetRawText());
        Assert.Equal(0.0, history.GetProperty("gasUsedRatio")[0].GetDouble());
        Assert.Equal(0.5, history.GetProperty("gasUsedRatio")[1].GetDouble());
        Assert.Equal("[[\"0x0\",\"0x0\",\"0x0\"],[\"0x1\",\"0x3\",\"0x5\"]]", history.GetProperty("reward").GetRawText());

        JsonElement clamped = await host.Client.ResultAsync("eth_feeHistory", "[10, \"0x1\"]");
        Assert.Equal("0x0", clamped.GetProperty("oldestBlock").GetString());
        Assert.False(clamped.TryGetProperty("reward", out _));

        JsonElement badPercentiles = await host.Client.ErrorAsync("eth_feeHistory", "[\"0x1\", \"latest\", [50, 10]]");
        Assert.Equal(JsonRpcErrorCodes.InvalidParams, badPercentiles.GetProperty("code").GetInt32());
        Assert.StartsWith("params[2][1]:", badPercentiles.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void DecodeRevertReason_RejectsTruncatedAndLyingPayloads()
    {
        byte[] good = Convert.FromHexString("08c379a0"
            + "0000000000000000000000000000000000000000000000000000000000000020"
            + "0000000000000000000000000000000000000000000000000000000000000002"
            + "6869000000000000000000000000000000000000000000000000000000000000");
        Assert.Equal("hi", EthRpcService.DecodeRevertReason(good));
        Assert.Null(EthRpcService.DecodeRevertReason(good.AsSpan(0, 40)));
        byte[] hugeLength = (byte[])good.Clone();
        hugeLength[4 + 32] = 0xff;
        Assert.Null(EthRpcService.DecodeRevertReason(hugeLength));
        byte[] hugeOffset = (byte[])good.Clone();
        hugeOffset[4] = 0xff;
        Assert.Null(EthRpcService.DecodeRevertReason(hugeOffset));
    }
}
