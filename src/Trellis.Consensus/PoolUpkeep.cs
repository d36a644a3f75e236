using Trellis.Core;
using Trellis.Ledger.Blocks;
using Trellis.Ledger.Execution;
using Trellis.Ledger.Pool;
using Trellis.Ledger.Transactions;
using Trellis.State;

namespace Trellis.Consensus;

/// <summary>What every engine does to its pool around a block: the same steps for Solo, Raft and HotStuff.</summary>
internal static class PoolUpkeep
{
    /// <summary>
    /// Admits a batch of raw transactions through <see cref="TxPool.AddRange"/> (senders recovered in parallel, one
    /// lock for the batch); <paramref name="anyAccepted"/> tells the engine whether to wake its proposer.
    /// </summary>
    public static TxPoolResult[] AddRange(TxPool pool, IReadOnlyList<ReadOnlyMemory<byte>> rawTransactions, out bool anyAccepted)
    {
        TxPoolResult[] results = pool.AddRange(rawTransactions);
        anyAccepted = Array.Exists(results, static r => r.IsAccepted);
        return results;
    }

    /// <summary>
    /// Drops the transactions a proposer's execution skipped (invalid when their turn came: a balance spent by an
    /// earlier transaction, a stale nonce), or they would be offered again and again. Their senders get no receipt
    /// and may resubmit.
    /// </summary>
    public static void DropSkipped(TxPool pool, BlockExecutionResult result)
    {
        if (result.Skipped.Count == 0)
        {
            return;
        }

        var skipped = new Hash256[result.Skipped.Count];
        for (int i = 0; i < skipped.Length; i++)
        {
            skipped[i] = result.Skipped[i].Transaction.Hash;
        }

        pool.RemoveIncluded(skipped);
    }

    /// <summary>
    /// After <paramref name="block"/> is committed: removes its transactions from the pool, moves the pool to the
    /// state after it, and returns the arguments of <see cref="IConsensusEngine.BlockCommitted"/>.
    /// </summary>
    public static BlockCommittedEventArgs OnCommitted(TxPool pool, Block block, Hash256 hash, BlockExecutionResult execution, IWorldState headState)
    {
        var included = new Hash256[execution.Transactions.Count];
        var senders = new Address[included.Length];
        for (int i = 0; i < included.Length; i++)
        {
            VerifiedTransaction transaction = execution.Transactions[i].Transaction;
            included[i] = transaction.Hash;
            senders[i] = transaction.Sender;
        }

        pool.RemoveIncluded(included);
        pool.OnNewHead(new HeadStateReader(headState));
        return new BlockCommittedEventArgs(block, hash, included, senders, execution.Receipts);
    }
}
