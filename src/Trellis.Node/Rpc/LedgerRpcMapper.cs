using Trellis.Core;
using Trellis.Ledger.Blocks;
using Trellis.Ledger.Transactions;

namespace Trellis.Node.Rpc;

/// <summary>
/// Builds the JSON-RPC views from <c>Trellis.Ledger</c> types, for the node's <see cref="IEthBackend"/>
/// implementation: the ledger knows blocks, transactions and receipts; the views add what RPC shows beside them
/// (hashes, senders, positions, effective prices).
/// </summary>
public static class LedgerRpcMapper
{
    /// <summary>
    /// A transaction view. Pass the block position for a mined transaction, nulls for a pooled one.
    /// <paramref name="baseFeePerGas"/> is the block's base fee (zero on a chain without one).
    /// </summary>
    public static RpcTransaction ToRpc(Transaction transaction, Hash256 hash, Address sender,
        Hash256? blockHash = null, ulong? blockNumber = null, ulong? transactionIndex = null, UInt256 baseFeePerGas = default)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        bool feeMarket = transaction.Type is TxType.DynamicFee or TxType.Native;
        return new RpcTransaction
        {
            Hash = hash,
            Type = (byte)transaction.Type,
            ChainId = transaction.ChainId,
            Nonce = transaction.Nonce,
            From = sender,
            To = transaction.To,
            Value = transaction.Value,
            Gas = transaction.GasLimit,
            GasPrice = feeMarket && blockNumber is not null ? EffectiveGasPrice(transaction, baseFeePerGas) : transaction.GasPrice,
            MaxFeePerGas = feeMarket ? transaction.MaxFeePerGas : null,
            MaxPriorityFeePerGas = feeMarket ? transaction.MaxPriorityFeePerGas : null,
            Input = transaction.Data.ToArray(),
            AccessList = transaction.Type == TxType.Legacy ? null : MapAccessList(transaction.AccessList),
            V = transaction.V,
            R = transaction.R,
            S = transaction.S,
            Signature = transaction.Type == TxType.Native ? transaction.Signature.ToArray() : null,
            BlockHash = blockHash,
            BlockNumber = blockNumber,
            TransactionIndex = transactionIndex,
        };
    }

    /// <summary>The price per gas a mined transaction pays: min(maxFeePerGas, baseFee + maxPriorityFeePerGas).</summary>
    public static UInt256 EffectiveGasPrice(Transaction transaction, UInt256 baseFeePerGas)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        if (transaction.Type is TxType.Legacy or TxType.AccessList)
        {
            return transaction.GasPrice;
        }

        bool overflow = UInt256.AddOverflow(baseFeePerGas, transaction.MaxPriorityFeePerGas, out UInt256 sum);
        return overflow || sum > transaction.MaxFeePerGas ? transaction.MaxFeePerGas : sum;
    }

    /// <summary>A block view from its header, hash, encoded size and already-mapped transactions.</summary>
    public static RpcBlock ToRpc(BlockHeader header, Hash256 hash, ulong size, IReadOnlyList<RpcTransaction> transactions, UInt256? baseFeePerGas = null)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(transactions);
        return new RpcBlock
        {
            Number = header.Height,
            Hash = hash,
            ParentHash = header.ParentHash,
            LogsBloom = header.LogsBloom.Bytes.ToArray(),
            TransactionsRoot = header.TransactionsRoot,
            StateRoot = header.StateRoot,
            ReceiptsRoot = header.ReceiptsRoot,
            Miner = header.Proposer,
            ExtraData = [],
            Size = size,
            GasLimit = header.GasLimit,
            GasUsed = header.GasUsed,
            Timestamp = header.Timestamp,
            BaseFeePerGas = baseFeePerGas,
            Transactions = transactions,
        };
    }

    /// <summary>
    /// A receipt view for <paramref name="transaction"/> (a mined view). <paramref name="previousCumulativeGasUsed"/>
    /// is the cumulative gas of the receipt before it (zero for the first), and <paramref name="firstLogIndex"/> the
    /// block-wide index of its first log.
    /// </summary>
    public static RpcReceipt ToRpc(Receipt receipt, RpcTransaction transaction, ulong previousCumulativeGasUsed, ulong firstLogIndex,
        UInt256 effectiveGasPrice, Address? contractAddress = null)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        ArgumentNullException.ThrowIfNull(transaction);
        if (transaction.BlockHash is not { } blockHash || transaction.BlockNumber is not { } blockNumber || transaction.TransactionIndex is not { } index)
        {
            throw new ArgumentException($"transaction {transaction.Hash} has no block position; a receipt needs a mined transaction", nameof(transaction));
        }

        if (receipt.CumulativeGasUsed < previousCumulativeGasUsed)
        {
            throw new ArgumentException(
                $"cumulative gas {receipt.CumulativeGasUsed} of transaction {transaction.Hash} is below the previous receipt's {previousCumulativeGasUsed}",
                nameof(previousCumulativeGasUsed));
        }

        var logs = new RpcLog[receipt.Logs.Count];
        for (int i = 0; i < logs.Length; i++)
        {
            Log log = receipt.Logs[i];
            logs[i] = new RpcLog
            {
                Address = log.Address,
                Topics = log.Topics,
                Data = log.Data.ToArray(),
                BlockNumber = blockNumber,
                BlockHash = blockHash,
                TransactionHash = transaction.Hash,
                TransactionIndex = index,
                LogIndex = firstLogIndex + (ulong)i,
            };
        }

        return new RpcReceipt
        {
            TransactionHash = transaction.Hash,
            TransactionIndex = index,
            BlockHash = blockHash,
            BlockNumber = blockNumber,
            From = transaction.From,
            To = transaction.To,
            ContractAddress = contractAddress,
            CumulativeGasUsed = receipt.CumulativeGasUsed,
            GasUsed = receipt.CumulativeGasUsed - previousCumulativeGasUsed,
            EffectiveGasPrice = effectiveGasPrice,
            Succeeded = receipt.Success,
            LogsBloom = receipt.Bloom.Bytes.ToArray(),
            Logs = logs,
            Type = (byte)receipt.Type,
        };
    }

    private static RpcAccessListEntry[] MapAccessList(IReadOnlyList<AccessListEntry> accessList)
    {
        var entries = new RpcAccessListEntry[accessList.Count];
        for (int i = 0; i < entries.Length; i++)
        {
            entries[i] = new RpcAccessListEntry(accessList[i].Address, accessList[i].StorageKeys);
        }

        return entries;
    }
}
