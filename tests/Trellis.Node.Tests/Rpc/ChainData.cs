using Trellis.Core;
using Trellis.Node.Rpc;

namespace Trellis.Node.Tests.Rpc;

/// <summary>
/// Known transactions and a small chain. The legacy transaction is the signed example of EIP-155 (nonce 9,
/// 20 gwei, 21000 gas, 1 ether to 0x3535...35, chain 1, v = 37), with the hash and sender published for it.
/// </summary>
internal static class ChainData
{
    public static readonly Hash256 Eip155Hash = Hash256.Parse("0x33469b22e9f636356c4160a87eb19df52b7412e8eac32a4a55ffe88ea8350788");
    public static readonly Address Eip155Sender = Address.Parse("0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F");
    public static readonly Address Eip155To = Address.Parse("0x3535353535353535353535353535353535353535");
    public static readonly Hash256 TypedHash = Hash256.Parse("0x" + new string('a', 64));
    public static readonly Address Contract = Address.Parse("0x" + new string('c', 40));
    public static readonly Hash256 TransferTopic = Hash256.Parse("0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef");
    public static readonly Hash256 OtherTopic = Hash256.Parse("0x" + new string('0', 63) + "7");

    public static RpcTransaction Eip155(ulong? block = 1, Hash256? blockHash = null) => new()
    {
        Hash = Eip155Hash,
        Type = 0,
        ChainId = 1,
        Nonce = 9,
        From = Eip155Sender,
        To = Eip155To,
        Value = UInt256.Parse("1000000000000000000"),
        Gas = 21000,
        GasPrice = new UInt256(20_000_000_000),
        Input = [],
        V = new UInt256(37),
        R = UInt256.Parse("0x28ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276"),
        S = UInt256.Parse("0x67cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83"),
        BlockNumber = block,
        BlockHash = block is null ? null : blockHash ?? BlockHash(1),
        TransactionIndex = block is null ? null : 0,
    };

    public static RpcTransaction Eip1559() => new()
    {
        Hash = TypedHash,
        Type = 2,
        ChainId = 1,
        Nonce = 0,
        From = Eip155Sender,
        To = Contract,
        Value = UInt256.Zero,
        Gas = 100_000,
        GasPrice = new UInt256(1_100_000_000),
        MaxFeePerGas = new UInt256(2_000_000_000),
        MaxPriorityFeePerGas = new UInt256(100_000_000),
        Input = [0xa9, 0x05, 0x9c, 0xbb],
        AccessList = [new RpcAccessListEntry(Contract, [Hash256.Zero])],
        V = UInt256.One,
        R = new UInt256(5),
        S = new UInt256(6),
        BlockNumber = 1,
        BlockHash = BlockHash(1),
        TransactionIndex = 1,
    };

    public static Hash256 BlockHash(ulong number)
    {
        Span<byte> bytes = stackalloc byte[32];
        bytes.Fill(0x11);
        bytes[31] = (byte)number;
        return new Hash256(bytes);
    }

    public static RpcLog Log(ulong block, Hash256 transaction, ulong transactionIndex, ulong logIndex, Address address, params Hash256[] topics) => new()
    {
        Address = address,
        Topics = topics,
        Data = [0x01, 0x02],
        BlockNumber = block,
        BlockHash = BlockHash(block),
        TransactionHash = transaction,
        TransactionIndex = transactionIndex,
        LogIndex = logIndex,
    };

    public static RpcBlock Block(ulong number, params RpcTransaction[] transactions) => new()
    {
        Number = number,
        Hash = BlockHash(number),
        ParentHash = number == 0 ? Hash256.Zero : BlockHash(number - 1),
        LogsBloom = new byte[256],
        TransactionsRoot = Hash256.Parse("0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421"),
        StateRoot = Hash256.Parse("0x" + new string('5', 64)),
        ReceiptsRoot = Hash256.Parse("0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421"),
        Miner = Address.Zero,
        ExtraData = [0x74, 0x72],
        Size = 0x220,
        GasLimit = 30_000_000,
        GasUsed = 21000UL * (ulong)transactions.Length,
        Timestamp = 1_700_000_000 + number,
        BaseFeePerGas = new UInt256(1_000_000_000),
        Transactions = transactions,
    };

    public static RpcReceipt Receipt(RpcTransaction transaction, ulong cumulative, params RpcLog[] logs) => new()
    {
        TransactionHash = transaction.Hash,
        TransactionIndex = transaction.TransactionIndex!.Value,
        BlockHash = transaction.BlockHash!.Value,
        BlockNumber = transaction.BlockNumber!.Value,
        From = transaction.From,
        To = transaction.To,
        CumulativeGasUsed = cumulative,
        GasUsed = 21000,
        EffectiveGasPrice = transaction.GasPrice,
        Succeeded = true,
        LogsBloom = new byte[256],
        Logs = logs,
        Type = transaction.Type,
    };

    /// <summary>Genesis and block 1 holding the EIP-155 example and a 1559 transaction that logged a Transfer.</summary>
    public static InMemoryEthBackend NewBackend()
    {
        var backend = new InMemoryEthBackend();
        backend.AddBlock(Block(0), [], announce: false);
        RpcTransaction legacy = Eip155();
        RpcTransaction typed = Eip1559();
        backend.AddBlock(Block(1, legacy, typed),
            [Receipt(legacy, 21000), Receipt(typed, 42000, Log(1, TypedHash, 1, 0, Contract, TransferTopic, OtherTopic))], announce: false);
        return backend;
    }
}
