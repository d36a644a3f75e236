using Trellis.Core;
using Trellis.Ledger.Blocks;

namespace Trellis.Consensus;

/// <summary>
/// A block that was durably committed: its hash, and per transaction (in block order) its hash, sender and receipt,
/// so subscribers need not read them back from the store.
/// </summary>
public sealed class BlockCommittedEventArgs : EventArgs
{
    /// <summary>Creates the event data; the three lists have one entry per transaction of <paramref name="block"/>.</summary>
    /// <exception cref="ArgumentException">A list's length is not the block's transaction count.</exception>
    public BlockCommittedEventArgs(Block block, Hash256 hash, IReadOnlyList<Hash256> transactionHashes, IReadOnlyList<Address> senders, IReadOnlyList<Receipt> receipts)
    {
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(transactionHashes);
        ArgumentNullException.ThrowIfNull(senders);
        ArgumentNullException.ThrowIfNull(receipts);
        int count = block.Transactions.Count;
        if (transactionHashes.Count != count || senders.Count != count || receipts.Count != count)
        {
            throw new ArgumentException(
                $"block {block.Header.Height} has {count} transactions but {transactionHashes.Count} hashes, {senders.Count} senders and {receipts.Count} receipts were given");
        }

        Block = block;
        Hash = hash;
        TransactionHashes = transactionHashes;
        Senders = senders;
        Receipts = receipts;
    }

    /// <summary>The committed block.</summary>
    public Block Block { get; }

    /// <summary>The block's hash.</summary>
    public Hash256 Hash { get; }

    /// <summary>The transactions' hashes, in block order.</summary>
    public IReadOnlyList<Hash256> TransactionHashes { get; }

    /// <summary>The transactions' senders, in block order.</summary>
    public IReadOnlyList<Address> Senders { get; }

    /// <summary>The receipts, in block order.</summary>
    public IReadOnlyList<Receipt> Receipts { get; }
}
