using Trellis.Core;
using Trellis.Ledger.Blocks;

namespace Trellis.Ledger.Execution;

/// <summary>
/// The outcome of <see cref="BlockExecutor"/>: either a valid block (header without certificate, included
/// transactions, receipts, roots) or the reason the block is invalid.
/// </summary>
public sealed class BlockExecutionResult
{
    private readonly Block? _block;

    private BlockExecutionResult(
        Block? block,
        IReadOnlyList<ExecutedTransaction> transactions,
        IReadOnlyList<SkippedTransaction> skipped,
        string? invalidReason,
        int? invalidTransactionIndex)
    {
        _block = block;
        Transactions = transactions;
        Skipped = skipped;
        InvalidReason = invalidReason;
        InvalidTransactionIndex = invalidTransactionIndex;
        var receipts = new Receipt[transactions.Count];
        for (int i = 0; i < receipts.Length; i++)
        {
            receipts[i] = transactions[i].Receipt;
        }

        Receipts = receipts;
    }

    /// <summary>True when the block is valid; <see cref="Block"/> and <see cref="Header"/> are then available.</summary>
    public bool IsValid => _block is not null;

    /// <summary>Why the block is invalid, naming the transaction or header field; null when valid.</summary>
    public string? InvalidReason { get; }

    /// <summary>The index of the transaction that made the block invalid, if one did.</summary>
    public int? InvalidTransactionIndex { get; }

    /// <summary>The block (header without a consensus certificate, and the included transactions).</summary>
    /// <exception cref="InvalidOperationException">The block is invalid.</exception>
    public Block Block => _block ?? throw new InvalidOperationException($"the block is invalid: {InvalidReason}");

    /// <summary>The block's header (without a consensus certificate).</summary>
    /// <exception cref="InvalidOperationException">The block is invalid.</exception>
    public BlockHeader Header => Block.Header;

    /// <summary>The included transactions with their outcomes, in block order.</summary>
    public IReadOnlyList<ExecutedTransaction> Transactions { get; }

    /// <summary>The receipts, in block order.</summary>
    public IReadOnlyList<Receipt> Receipts { get; }

    /// <summary>Transactions left out while building (always empty when validating a received block).</summary>
    public IReadOnlyList<SkippedTransaction> Skipped { get; }

    /// <summary>Gas used by the included transactions.</summary>
    public ulong GasUsed => Header.GasUsed;

    /// <summary>The state root after the block.</summary>
    public Hash256 StateRoot => Header.StateRoot;

    /// <summary>The transactions root.</summary>
    public Hash256 TransactionsRoot => Header.TransactionsRoot;

    /// <summary>The receipts root.</summary>
    public Hash256 ReceiptsRoot => Header.ReceiptsRoot;

    internal static BlockExecutionResult Valid(Block block, IReadOnlyList<ExecutedTransaction> transactions, IReadOnlyList<SkippedTransaction> skipped) =>
        new(block, transactions, skipped, null, null);

    internal static BlockExecutionResult Invalid(string reason, int? transactionIndex = null, IReadOnlyList<ExecutedTransaction>? transactions = null) =>
        new(null, transactions ?? [], [], reason, transactionIndex);
}
