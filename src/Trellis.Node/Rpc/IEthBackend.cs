using System.Threading.Channels;
using Trellis.Core;

namespace Trellis.Node.Rpc;

/// <summary>
/// What the eth_/net_/web3_ methods need from a node. The node wiring implements it over the block store, the
/// state, the EVM and the transaction pool; tests implement it in memory. Reads must be safe from many threads.
/// </summary>
public interface IEthBackend
{
    /// <summary>The chain id (EIP-155), also used as the network id.</summary>
    ulong ChainId { get; }

    /// <summary>Number of the head block.</summary>
    ulong HeadNumber { get; }

    /// <summary>Number of the latest safe block (equal to the head under BFT finality).</summary>
    ulong SafeNumber { get; }

    /// <summary>Number of the latest finalized block (equal to the head under BFT finality).</summary>
    ulong FinalizedNumber { get; }

    /// <summary>Connected peers.</summary>
    int PeerCount { get; }

    /// <summary>The block with <paramref name="number"/>, or null if there is none.</summary>
    RpcBlock? GetBlock(ulong number);

    /// <summary>The block with <paramref name="hash"/>, or null if unknown.</summary>
    RpcBlock? GetBlock(Hash256 hash);

    /// <summary>The number of the block with <paramref name="hash"/>, or null if unknown (cheaper than the block).</summary>
    ulong? GetBlockNumber(Hash256 hash);

    /// <summary>A mined transaction (with its block position) or one in the pool (without), or null.</summary>
    RpcTransaction? GetTransaction(Hash256 hash);

    /// <summary>The receipt of a mined transaction, or null.</summary>
    RpcReceipt? GetReceipt(Hash256 transactionHash);

    /// <summary>All receipts of block <paramref name="number"/> in order, or null if there is no such block.</summary>
    IReadOnlyList<RpcReceipt>? GetBlockReceipts(ulong number);

    /// <summary>The logs matching <paramref name="query"/>, in chain order (block, then log index).</summary>
    IReadOnlyList<RpcLog> GetLogs(LogQuery query);

    /// <summary>The state after block <paramref name="number"/>, or null if it is not available (pruned or unknown).</summary>
    IEthStateView? GetState(ulong number);

    /// <summary>The next nonce for <paramref name="address"/> counting the pool's pending transactions.</summary>
    ulong GetPendingNonce(Address address);

    /// <summary>Decodes, validates and adds a signed transaction to the pool.</summary>
    ValueTask<SendTransactionResult> SendRawTransactionAsync(ReadOnlyMemory<byte> transaction, CancellationToken cancellationToken);

    /// <summary>
    /// Adds several signed transactions, with the same result for each as <see cref="SendRawTransactionAsync"/> called
    /// on them in order (a backend may admit them as one batch). This default sends them one by one.
    /// </summary>
    async ValueTask<SendTransactionResult[]> SendRawTransactionsAsync(IReadOnlyList<ReadOnlyMemory<byte>> transactions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transactions);
        var results = new SendTransactionResult[transactions.Count];
        for (int i = 0; i < results.Length; i++)
        {
            results[i] = await SendRawTransactionAsync(transactions[i], cancellationToken).ConfigureAwait(false);
        }

        return results;
    }

    /// <summary>Executes <paramref name="call"/> on the state after block <paramref name="blockNumber"/> without committing.</summary>
    ValueTask<CallResult> CallAsync(CallRequest call, ulong blockNumber, CancellationToken cancellationToken);

    /// <summary>Finds the gas limit <paramref name="call"/> needs on the state after block <paramref name="blockNumber"/>.</summary>
    ValueTask<CallResult> EstimateGasAsync(CallRequest call, ulong blockNumber, CancellationToken cancellationToken);

    /// <summary>A suggested legacy gas price (may be zero on a fee-less consortium chain).</summary>
    UInt256 GetGasPrice();

    /// <summary>A suggested EIP-1559 priority fee.</summary>
    UInt256 GetMaxPriorityFeePerGas();

    /// <summary>Fee data of block <paramref name="number"/>, or null if there is no such block.</summary>
    FeeHistoryBlock? GetFeeHistoryBlock(ulong number);

    /// <summary>Sync progress, or null when the node is in sync.</summary>
    SyncStatus? GetSyncStatus();

    /// <summary>Blocks as they become the head, in order. Read by one consumer (the RPC event hub).</summary>
    ChannelReader<NewBlockEvent> NewBlocks { get; }

    /// <summary>Hashes of transactions as the pool accepts them. Read by one consumer (the RPC event hub).</summary>
    ChannelReader<Hash256> NewPendingTransactions { get; }
}
