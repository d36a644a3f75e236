using System.Collections.Concurrent;
using System.Text.Json;
using Trellis.Core;
using Trellis.Crypto;
using Trellis.Ledger.Transactions;

namespace Trellis.Sdk.Tests;

public sealed class SignerTests : IAsyncLifetime
{
    private const ulong ChainId = 1337;

    private FakeRpcServer _server = null!;
    private TrellisClient _client = null!;

    /// <summary>Transactions the fake node accepted, checked by the ledger's own validator.</summary>
    public ConcurrentQueue<VerifiedTransaction> Accepted { get; } = new();

    public async Task InitializeAsync()
    {
        _server = await FakeRpcServer.StartAsync();
        _client = new TrellisClient(_server.Endpoint);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    /// <summary>A node that validates raw transactions in <paramref name="suite"/> with the ledger's validator.</summary>
    internal static Func<string, JsonElement, Task<FakeReply>> Node(ICryptoSuite suite, ConcurrentQueue<VerifiedTransaction> accepted, string? receiptJson = null) =>
        (method, parameters) => Task.FromResult(method switch
        {
            "eth_chainId" => FakeReply.Quantity(ChainId),
            "eth_estimateGas" => FakeReply.Quantity(50_000),
            "eth_gasPrice" => FakeReply.Quantity(0),
            "eth_getTransactionCount" => FakeReply.Quantity(5),
            "eth_sendRawTransaction" => Accept(suite, accepted, parameters[0].GetString()!),
            "eth_getTransactionReceipt" => FakeReply.Result(receiptJson ?? "null"),
            _ => FakeReply.Error(-32601, $"the method {method} does not exist/is not available"),
        });

    private static FakeReply Accept(ICryptoSuite suite, ConcurrentQueue<VerifiedTransaction> accepted, string raw)
    {
        var validator = new TransactionValidator(suite, ChainId);
        TxValidation validation = validator.DecodeAndValidate(Hex.Decode(raw), out VerifiedTransaction? verified);
        if (!validation.IsValid)
        {
            return FakeReply.Error(-32003, validation.ToString());
        }

        accepted.Enqueue(verified!);
        return FakeReply.Result($"\"{verified!.Hash}\"");
    }

    [Fact]
    public async Task StandardSuite_SignsEip1559TransactionsTheLedgerAccepts()
    {
        _server.Handler = Node(CryptoSuites.Standard, Accepted);
        var wallet = Wallet.Create(CryptoSuites.Standard);
        using var signer = new Signer(_client, wallet);
        var to = Address.Parse("0x3333333333333333333333333333333333333333");
        Hash256 hash = await signer.SendTransactionAsync(to, new byte[] { 1, 2, 3 }, new UInt256(9));
        VerifiedTransaction tx = Assert.Single(Accepted);
        Assert.Equal(hash, tx.Hash);
        Assert.Equal(wallet.Address, tx.Sender);
        Assert.Equal(TxType.DynamicFee, tx.Transaction.Type);
        Assert.Equal(ChainId, tx.Transaction.ChainId);
        Assert.Equal(5UL, tx.Transaction.Nonce);
        Assert.Equal(60_000UL, tx.Transaction.GasLimit); // 50 000 estimated + 20 % headroom
        Assert.Equal(to, tx.Transaction.To);
        Assert.Equal(new UInt256(9), tx.Transaction.Value);
        JsonElement estimate = _server.RequestsFor("eth_estimateGas")[0].GetProperty("params")[0];
        Assert.Equal(wallet.Address.ToLowerHex(), estimate.GetProperty("from").GetString());
        Assert.Equal("0x010203", estimate.GetProperty("input").GetString());
    }

    [Fact]
    public async Task NationalSuite_SignsTheNativeEnvelopeWithSm2()
    {
        _server.Handler = Node(CryptoSuites.National, Accepted);
        var wallet = Wallet.Create(CryptoSuites.National);
        using var signer = new Signer(_client, wallet);
        await signer.SendTransactionAsync(Address.Zero, ReadOnlyMemory<byte>.Empty, gasLimit: 21_000);
        VerifiedTransaction tx = Assert.Single(Accepted);
        Assert.Equal(TxType.Native, tx.Transaction.Type);
        Assert.Equal(wallet.Address, tx.Sender);
        Assert.Equal(21_000UL, tx.Transaction.GasLimit);
        Assert.Empty(_server.RequestsFor("eth_estimateGas"));
        Assert.Throws<ArgumentException>(() => new Signer(_client, wallet, new SignerOptions { TransactionType = TxType.DynamicFee }));
    }

    [Fact]
    public async Task Nonces_AreCountedLocallyAfterTheFirstQuery_AndRefetchedAfterAFailedSend()
    {
        _server.Handler = Node(CryptoSuites.Standard, Accepted);
        using var signer = new Signer(_client, Wallet.Create(CryptoSuites.Standard), new SignerOptions { TransactionType = TxType.Legacy });
        await signer.SendTransactionAsync(Address.Zero, ReadOnlyMemory<byte>.Empty, gasLimit: 21_000);
        await signer.SendTransactionAsync(Address.Zero, ReadOnlyMemory<byte>.Empty, gasLimit: 21_000);
        await signer.SendTransactionAsync(Address.Zero, ReadOnlyMemory<byte>.Empty, gasLimit: 21_000);
        Assert.Equal([5UL, 6UL, 7UL], Accepted.Select(t => t.Transaction.Nonce));
        Assert.All(Accepted, t => Assert.Equal(TxType.Legacy, t.Transaction.Type));
        Assert.Single(_server.RequestsFor("eth_getTransactionCount"));
        Assert.Single(_server.RequestsFor("eth_chainId"));

        Func<string, JsonElement, Task<FakeReply>> node = _server.Handler;
        _server.Handler = (method, p) => method == "eth_sendRawTransaction"
            ? Task.FromResult(FakeReply.Error(-32003, "nonce too low"))
            : node(method, p);
        var e = await Assert.ThrowsAsync<TrellisRpcException>(() => signer.SendTransactionAsync(Address.Zero, ReadOnlyMemory<byte>.Empty, gasLimit: 21_000));
        Assert.Equal(-32003, e.Code);
        _server.Handler = node;
        await signer.SendTransactionAsync(Address.Zero, ReadOnlyMemory<byte>.Empty, gasLimit: 21_000);
        Assert.Equal(2, _server.RequestsFor("eth_getTransactionCount").Count);
        Assert.Equal(5UL, Accepted.Last().Transaction.Nonce);
    }

    [Fact]
    public async Task RevertingEstimate_FailsBeforeSigningWithTheDecodedReason()
    {
        _server.Handler = (method, p) => method == "eth_estimateGas"
            ? Task.FromResult(FakeReply.Error(3, "execution reverted", "\"0x4e487b710000000000000000000000000000000000000000000000000000000000000011\""))
            : Node(CryptoSuites.Standard, Accepted)(method, p);
        using var signer = new Signer(_client, Wallet.Create(CryptoSuites.Standard));
        var e = await Assert.ThrowsAsync<TrellisRpcException>(() => signer.SendTransactionAsync(Address.Zero, new byte[] { 1 }));
        Assert.Equal(new UInt256(0x11), e.Revert!.PanicCode);
        Assert.Empty(_server.RequestsFor("eth_sendRawTransaction"));
    }

    [Fact]
    public void Wallet_FromHex_DerivesTheKnownAddress()
    {
        // The well-known development key 0x4c0883a6... of the Ethereum web3 documentation and its address.
        Wallet wallet = Wallet.FromHex(CryptoSuites.Standard, "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318");
        Assert.Equal("0x2c7536e3605d9c16a7a3d7b1898e529396a65c23", wallet.Address.ToLowerHex());
        Assert.DoesNotContain("4c0883", wallet.ToString(), StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new Wallet(CryptoSuites.National, wallet.PrivateKey));
    }
}
