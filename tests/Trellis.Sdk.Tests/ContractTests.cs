using System.Collections.Concurrent;
using System.Text.Json;
using Trellis.Core;
using Trellis.Crypto;
using Trellis.Ledger.Transactions;
using Trellis.Sdk.Abi;
using Trellis.Sdk.Rpc;
using Trellis.Sdk.Tests.Abi;

namespace Trellis.Sdk.Tests;

public sealed class ContractTests : IAsyncLifetime
{
    private static readonly Address Token = Address.Parse("0x3333333333333333333333333333333333333333");
    private static readonly Address Alice = Address.Parse("0x1111111111111111111111111111111111111111");

    private readonly ConcurrentQueue<VerifiedTransaction> _accepted = new();
    private FakeRpcServer _server = null!;
    private TrellisClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeRpcServer.StartAsync();
        _client = new TrellisClient(_server.Endpoint, new TrellisClientOptions { ReceiptPollInterval = TimeSpan.FromMilliseconds(20) });
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Theory]
    [InlineData("standard")]
    [InlineData("national")]
    public async Task Deploy_SendsBytecodeWithConstructorArgumentsAndBindsTheNewAddress(string suiteName)
    {
        ICryptoSuite suite = CryptoSuites.Get(suiteName);
        _server.Handler = SignerTests.Node(suite, _accepted, TrellisClientTests.ReceiptJson);
        using var signer = new Signer(_client, Wallet.Create(suite));
        Contract token = await Contract.DeployAsync(signer, ContractAbiTests.Erc20, new byte[] { 0x60, 0x80 }, [1_000_000]);
        Assert.Equal(Token, token.Address);
        VerifiedTransaction creation = Assert.Single(_accepted);
        Assert.True(creation.Transaction.IsContractCreation);
        Assert.Equal(
            "0x6080" + "00000000000000000000000000000000000000000000000000000000000f4240",
            Hex.Encode(creation.Transaction.Data.Span));
    }

    [Fact]
    public async Task CallAsync_EncodesSelectorAndArguments_AndConvertsTheResult()
    {
        _server.Handler = (_, _) => Task.FromResult(FakeReply.Result("\"0x00000000000000000000000000000000000000000000000000000000000003e8\""));
        var token = new Contract(_client, ContractAbiTests.Erc20, Token);
        Assert.Equal(new UInt256(1000), await token.CallAsync<UInt256>("balanceOf", Alice));
        Assert.Equal(1000UL, await token.CallAsync<ulong>("balanceOf", Alice));
        JsonElement call = _server.RequestsFor("eth_call")[0].GetProperty("params")[0];
        Assert.Equal("0x70a08231" + "0000000000000000000000001111111111111111111111111111111111111111", call.GetProperty("input").GetString());
        Assert.Equal(Token.ToLowerHex(), call.GetProperty("to").GetString());
        await Assert.ThrowsAsync<InvalidCastException>(() => token.CallAsync<byte>("balanceOf", Alice));
    }

    [Fact]
    public async Task CallAsync_DecodesStringsAndCustomErrors()
    {
        var abi = ContractAbi.Parse("""
            [{"type":"function","name":"name","stateMutability":"view","inputs":[],"outputs":[{"name":"","type":"string"}]},
             {"type":"function","name":"withdraw","stateMutability":"view","inputs":[{"name":"amount","type":"uint256"}],"outputs":[]},
             {"type":"error","name":"InsufficientBalance","inputs":[{"name":"available","type":"uint256"},{"name":"required","type":"uint256"}]}]
            """);
        string revert = Hex.Encode(abi.GetError("InsufficientBalance").Encode(3, 10));
        _server.Handler = (_, p) => Task.FromResult(p[0].GetProperty("input").GetString()!.StartsWith(Hex.Encode(abi.GetFunction("name").Selector), StringComparison.Ordinal)
            ? FakeReply.Result("\"" + Hex.Encode(AbiEncoder.Encode(AbiType.String, "Trellis Bench Token")) + "\"")
            : FakeReply.Error(3, "execution reverted", "\"" + revert + "\""));
        var contract = new Contract(_client, abi, Token);
        Assert.Equal("Trellis Bench Token", await contract.CallAsync<string>("name"));
        var e = await Assert.ThrowsAsync<TrellisRpcException>(() => contract.CallAsync<object[]>("withdraw", 10));
        Assert.Equal(RevertReasonKind.Custom, e.Revert!.Kind);
        Assert.Equal("InsufficientBalance(3, 10)", e.Revert.ToString());
        Assert.Contains("InsufficientBalance", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_SendsTheCallAndDecodesEventsFromTheReceipt()
    {
        _server.Handler = SignerTests.Node(CryptoSuites.Standard, _accepted, TrellisClientTests.ReceiptJson);
        using var signer = new Signer(_client, Wallet.Create(CryptoSuites.Standard));
        var token = new Contract(_client, ContractAbiTests.Erc20, Token, signer);
        TransactionReceipt receipt = await token.SendAsync("transfer", Alice, 250);
        Assert.True(receipt.Succeeded);
        VerifiedTransaction tx = Assert.Single(_accepted);
        Assert.Equal("0xa9059cbb", Hex.Encode(tx.Transaction.Data.Span[..4]));
        DecodedEvent transfer = Assert.Single(token.DecodeEvents(receipt));
        Assert.Equal("Transfer", transfer.Event.Name);
        Assert.Equal(Address.Zero, transfer["from"]);
        Assert.Equal(Alice, transfer["to"]);
        Assert.Equal(new UInt256(1_000_000), transfer["value"]);
        await Assert.ThrowsAsync<InvalidOperationException>(() => new Contract(_client, ContractAbiTests.Erc20, Token).SendAsync("transfer", Alice, 1));
    }

    [Fact]
    public async Task SubscribeAsync_FiltersByAddressAndTopicAndDeliversDecodedEvents()
    {
        var token = new Contract(_client, ContractAbiTests.Erc20, Token);
        var got = new TaskCompletionSource<DecodedEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using Subscription subscription = await token.SubscribeAsync("Transfer", (e, _) =>
        {
            got.TrySetResult(e);
            return Task.CompletedTask;
        }, [null, Alice]);
        using JsonDocument receipt = JsonDocument.Parse(TrellisClientTests.ReceiptJson);
        await _server.PushAsync(receipt.RootElement.GetProperty("logs")[0].GetRawText());
        DecodedEvent transfer = await got.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(Alice, transfer["to"]);
        JsonElement filter = _server.WebSocketRequests.First().GetProperty("params")[1];
        Assert.Equal(Token.ToLowerHex(), filter.GetProperty("address").GetString());
        JsonElement topics = filter.GetProperty("topics");
        Assert.Equal("0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef", topics[0].GetString());
        Assert.Equal(JsonValueKind.Null, topics[1].ValueKind);
        Assert.Equal("0x0000000000000000000000001111111111111111111111111111111111111111", topics[2].GetString());
    }
}
