using Trellis.Core;
using Trellis.Ledger.Blocks;
using Trellis.Ledger.Execution;

namespace Trellis.Consensus.HotStuff.Engine;

/// <summary>
/// A ledger block executed on top of an uncommitted parent: the executed block, its outcome, and the state changes
/// (trie nodes and code, keyed by their hash) captured instead of written, so children execute on them and the
/// commit writes them in the block's batch. Owned by the engine thread.
/// </summary>
internal sealed class SpeculativeBlock
{
    public SpeculativeBlock(Hash256 hash, BlockExecutionResult execution, StateWrites writes, SpeculativeBlock? parent, long executedAt)
    {
        Hash = hash;
        Execution = execution;
        Writes = writes;
        Parent = parent;
        ExecutedAt = executedAt;
        var hashes = new HashSet<Hash256>(execution.Transactions.Count);
        for (int i = 0; i < execution.Transactions.Count; i++)
        {
            hashes.Add(execution.Transactions[i].Transaction.Hash);
        }

        TransactionHashes = hashes;
    }

    /// <summary>The ledger block hash.</summary>
    public Hash256 Hash { get; }

    /// <summary>The executed block (header without certificate).</summary>
    public Block Block => Execution.Block;

    /// <summary>The block's header.</summary>
    public BlockHeader Header => Execution.Header;

    /// <summary>The execution outcome (transactions with senders, receipts).</summary>
    public BlockExecutionResult Execution { get; }

    /// <summary>The captured state changes.</summary>
    public StateWrites Writes { get; }

    /// <summary>The uncommitted parent, or null when the parent is the committed head.</summary>
    public SpeculativeBlock? Parent { get; set; }

    /// <summary>When this node executed it (TimeProvider timestamp), for the block interval.</summary>
    public long ExecutedAt { get; }

    /// <summary>
    /// True when the validator set read from this block's state for the next height differs from the epoch's: it is
    /// the epoch's last ledger block, and only empty suffix blocks may follow it in this epoch.
    /// </summary>
    public bool EndsEpoch { get; set; }

    /// <summary>The hashes of its transactions.</summary>
    public HashSet<Hash256> TransactionHashes { get; }
}
