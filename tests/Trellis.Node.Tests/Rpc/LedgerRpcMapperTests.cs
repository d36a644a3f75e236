using System.Buffers;
using System.Text.Json;
using Trellis.Core;
using Trellis.Crypto;
using Trellis.Ledger.Blocks;
using Trellis.Ledger.Transactions;
using Trellis.Node.Rpc;

namespace Trellis.Node.Tests.Rpc;

public class LedgerRpcMapperTests
{
    // The signed example transaction of EIP-155.
    private const string Eip155Raw = "f86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83";

    private static JsonElement Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return JsonDocument.Parse(buffer.WrittenMemory).RootElement;
    }

    [Fact]
    public void DecodedEip155Example_MapsToTheFieldsTheEipPublishes()
    {
        TransactionDecoder.TryDecode(Convert.FromHexString(Eip155Raw), out Transaction? transaction);
        Assert.NotNull(transaction);
        Hash256 hash = transaction.ComputeHash(CryptoSuites.Standard);
        Assert.Equal(ChainData.Eip155Hash, hash);

        RpcTransaction view = LedgerRpcMapper.ToRpc(transaction, hash, ChainData.Eip155Sender, ChainData.BlockHash(1), 1, 0);
        JsonElement json = Json(w => EthJsonWriter.WriteTransaction(w, view));
        Assert.Equal("0x4a817c800", json.GetProperty("gasPrice").GetString());
        Assert.Equal("0x5208", json.GetProperty("gas").GetString());
        Assert.Equal("0xde0b6b3a7640000", json.GetProperty("value").GetString());
        Assert.Equal("0x9", json.GetProperty("nonce").GetString());
        Assert.Equal("0x25", json.GetProperty("v").GetString());
        Assert.Equal("0x1", json.GetProperty("chainId").GetString());
        Assert.Equal("0x0", json.GetProperty("type").GetString());
        Assert.Equal("0x3535353535353535353535353535353535353535", json.GetProperty("to").GetString());
        Assert.False(json.TryGetProperty("accessList", out _));
        Assert.False(json.TryGetProperty("maxFeePerGas", out _));
    }

    [Fact]
    public void Receipt_GetsPerTransactionGasAndBlockWideLogIndexes()
    {
        RpcTransaction mined = ChainData.Eip1559();
        var receipt = new Receipt(TxType.DynamicFee, true, 63000,
            [new Log(ChainData.Contract, [ChainData.TransferTopic], [1]), new Log(ChainData.Contract, [], [])]);
        RpcReceipt view = LedgerRpcMapper.ToRpc(receipt, mined, previousCumulativeGasUsed: 21000, firstLogIndex: 3, effectiveGasPrice: new UInt256(7));
        Assert.Equal(42000UL, view.GasUsed);
        Assert.Equal([3UL, 4UL], view.Logs.Select(l => l.LogIndex));
        Assert.All(view.Logs, l => Assert.Equal(mined.Hash, l.TransactionHash));
        Assert.Equal((byte)2, view.Type);
        Assert.Throws<ArgumentException>(() => LedgerRpcMapper.ToRpc(receipt, mined, 70000, 0, UInt256.Zero));
        Assert.Throws<ArgumentException>(() => LedgerRpcMapper.ToRpc(receipt, mined with { BlockHash = null }, 0, 0, UInt256.Zero));
    }
}
