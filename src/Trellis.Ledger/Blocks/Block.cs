using Trellis.Core.Rlp;
using Trellis.Ledger.Transactions;

namespace Trellis.Ledger.Blocks;

/// <summary>
/// A header and its transactions. Encoded as rlp([header, [transactions]]) where a legacy transaction is its RLP
/// list and a typed one is a byte string holding type || payload (as Ethereum's block bodies).
/// </summary>
public sealed class Block
{
    private readonly Transaction[] _transactions;

    /// <summary>Creates a block.</summary>
    public Block(BlockHeader header, IEnumerable<Transaction> transactions)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(transactions);
        Header = header;
        _transactions = [.. transactions];
    }

    /// <summary>The header.</summary>
    public BlockHeader Header { get; }

    /// <summary>The transactions, in execution order.</summary>
    public IReadOnlyList<Transaction> Transactions => _transactions;

    /// <summary>The storage and wire encoding.</summary>
    public byte[] Encode()
    {
        var writer = new RlpWriter(1024);
        int list = writer.StartList();
        Header.WriteTo(writer);
        int transactions = writer.StartList();
        foreach (Transaction transaction in _transactions)
        {
            WriteTransaction(writer, transaction);
        }

        writer.EndList(transactions);
        writer.EndList(list);
        return writer.ToArray();
    }

    /// <summary>Decodes a block; every transaction must decode (it is not validated here).</summary>
    /// <exception cref="RlpException">Malformed block or transaction.</exception>
    public static Block Decode(ReadOnlySpan<byte> encoded)
    {
        var reader = new RlpReader(encoded);
        RlpReader list = reader.ReadList();
        reader.EnsureEnd();
        BlockHeader header = BlockHeader.ReadFrom(ref list);
        RlpReader transactionReader = list.ReadList();
        list.EnsureEnd();
        var transactions = new List<Transaction>();
        while (transactionReader.HasMore)
        {
            bool isList = transactionReader.PeekKind() == RlpItemKind.List;
            ReadOnlySpan<byte> item = isList ? transactionReader.ReadEncodedItem() : transactionReader.ReadBytes();
            TxValidation decoded = TransactionDecoder.TryDecode(item, out Transaction? transaction);
            if (!decoded.IsValid)
            {
                throw new RlpException($"block transaction {transactions.Count}: {decoded.Message}");
            }

            if ((transaction!.Type == TxType.Legacy) != isList)
            {
                throw new RlpException($"block transaction {transactions.Count}: typed transactions are byte strings, legacy ones lists");
            }

            transactions.Add(transaction);
        }

        return new Block(header, transactions);
    }

    // The item a block body and the transactions trie hold: the legacy list as is, a typed envelope as a byte string.
    internal static void WriteTransaction(RlpWriter writer, Transaction transaction)
    {
        if (transaction.Type == TxType.Legacy)
        {
            writer.WriteEncoded(transaction.Encoded);
        }
        else
        {
            writer.WriteBytes(transaction.Encoded);
        }
    }
}
