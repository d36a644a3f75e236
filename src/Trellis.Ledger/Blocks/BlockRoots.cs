using Trellis.Core;
using Trellis.Core.Rlp;
using Trellis.Crypto;
using Trellis.Ledger.Transactions;
using Trellis.State.Trie;

namespace Trellis.Ledger.Blocks;

/// <summary>
/// The transactions and receipts roots: Patricia tries keyed by RLP(index) holding each transaction's encoding
/// (type || payload for typed ones) and each receipt's encoding, hashed with the suite hash (Keccak-256 in the
/// standard suite, matching Ethereum's roots).
/// </summary>
public static class BlockRoots
{
    /// <summary>The root of the transactions trie.</summary>
    public static Hash256 Transactions(ICryptoSuite suite, IReadOnlyList<Transaction> transactions)
    {
        ArgumentNullException.ThrowIfNull(suite);
        ArgumentNullException.ThrowIfNull(transactions);
        var entries = new KeyValuePair<byte[], byte[]>[transactions.Count];
        for (int i = 0; i < entries.Length; i++)
        {
            entries[i] = new(IndexKey(i), transactions[i].Encode());
        }

        return PatriciaTrie.ComputeRoot(suite, entries);
    }

    /// <summary>The root of the receipts trie.</summary>
    public static Hash256 Receipts(ICryptoSuite suite, IReadOnlyList<Receipt> receipts)
    {
        ArgumentNullException.ThrowIfNull(suite);
        ArgumentNullException.ThrowIfNull(receipts);
        var entries = new KeyValuePair<byte[], byte[]>[receipts.Count];
        for (int i = 0; i < entries.Length; i++)
        {
            entries[i] = new(IndexKey(i), receipts[i].EncodedBytes);
        }

        return PatriciaTrie.ComputeRoot(suite, entries);
    }

    private static byte[] IndexKey(int index)
    {
        var writer = new RlpWriter(16);
        writer.WriteULong((ulong)index);
        return writer.ToArray();
    }
}
