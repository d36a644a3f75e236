using Trellis.Core;
using Trellis.Crypto;
using Trellis.Evm;
using Trellis.Ledger.Blocks;
using Trellis.Ledger.Transactions;
using Trellis.Node.Rpc;

namespace Trellis.Node;

/// <summary>
/// Whole-block views for the backend, over <see cref="LedgerRpcMapper"/>'s per-item mapping. Trellis has no fee
/// burning, so every block's base fee is zero; it is shown (rather than omitted) so that ethers and web3 build
/// EIP-1559 transactions, which both suites accept.
/// </summary>
internal static class RpcMapper
{
    public static UInt256 EffectiveGasPrice(Transaction transaction) => LedgerRpcMapper.EffectiveGasPrice(transaction, UInt256.Zero);

    public static RpcTransaction ToTransaction(Transaction transaction, Hash256 hash, Address sender, Hash256? blockHash, ulong? blockNumber, ulong? index) =>
        LedgerRpcMapper.ToRpc(transaction, hash, sender, blockHash, blockNumber, index, UInt256.Zero);

    public static RpcBlock ToBlock(Block block, Hash256 hash, IReadOnlyList<Hash256> transactionHashes, IReadOnlyList<Address> senders) =>
        LedgerRpcMapper.ToRpc(block.Header, hash, (ulong)block.Encode().Length, ToTransactions(block, hash, transactionHashes, senders), UInt256.Zero);

    /// <summary>The receipts of a block with their block-wide log indexes.</summary>
    public static RpcReceipt[] ToReceipts(ICryptoSuite suite, Block block, Hash256 blockHash, IReadOnlyList<Hash256> transactionHashes, IReadOnlyList<Address> senders, IReadOnlyList<Receipt> receipts)
    {
        RpcTransaction[] transactions = ToTransactions(block, blockHash, transactionHashes, senders);
        var result = new RpcReceipt[receipts.Count];
        ulong previousGas = 0;
        ulong logIndex = 0;
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = ToReceipt(suite, block.Transactions[i], transactions[i], receipts[i], previousGas, logIndex);
            previousGas = receipts[i].CumulativeGasUsed;
            logIndex += (ulong)receipts[i].Logs.Count;
        }

        return result;
    }

    public static RpcReceipt ToReceipt(ICryptoSuite suite, Transaction transaction, RpcTransaction view, Receipt receipt, ulong previousCumulativeGasUsed, ulong firstLogIndex)
    {
        Address? contract = transaction.To is null && receipt.Success ? ContractAddresses.FromNonce(suite, view.From, transaction.Nonce) : null;
        return LedgerRpcMapper.ToRpc(receipt, view, previousCumulativeGasUsed, firstLogIndex, EffectiveGasPrice(transaction), contract);
    }

    public static RpcLog ToLog(Log log, ulong blockNumber, Hash256 blockHash, Hash256 transactionHash, ulong transactionIndex, ulong logIndex) => new()
    {
        Address = log.Address,
        Topics = log.Topics,
        Data = log.Data.ToArray(),
        BlockNumber = blockNumber,
        BlockHash = blockHash,
        TransactionHash = transactionHash,
        TransactionIndex = transactionIndex,
        LogIndex = logIndex,
    };

    private static RpcTransaction[] ToTransactions(Block block, Hash256 hash, IReadOnlyList<Hash256> transactionHashes, IReadOnlyList<Address> senders)
    {
        var transactions = new RpcTransaction[block.Transactions.Count];
        for (int i = 0; i < transactions.Length; i++)
        {
            transactions[i] = ToTransaction(block.Transactions[i], transactionHashes[i], senders[i], hash, block.Header.Height, (ulong)i);
        }

        return transactions;
    }
}
