using Trellis.Core;
using Trellis.Ledger.Blocks;
using Trellis.Ledger.Transactions;

namespace Trellis.Ledger.Storage;

/// <summary>A committed transaction with its block, position, sender and receipt (what eth_getTransactionReceipt needs).</summary>
/// <param name="Transaction">The transaction.</param>
/// <param name="TransactionHash">Its hash.</param>
/// <param name="BlockHash">The block's hash.</param>
/// <param name="BlockHeight">The block's height.</param>
/// <param name="Index">Its index in the block.</param>
/// <param name="Sender">The sender recovered when the block was executed.</param>
/// <param name="Receipt">Its receipt.</param>
/// <param name="GasUsed">Gas it used (its cumulative gas minus the previous receipt's).</param>
/// <param name="FirstLogIndex">The block-wide index of its first log.</param>
/// <param name="ContractAddress">The created contract for a successful creation, else null.</param>
public sealed record TransactionLocation(
    Transaction Transaction,
    Hash256 TransactionHash,
    Hash256 BlockHash,
    ulong BlockHeight,
    int Index,
    Address Sender,
    Receipt Receipt,
    ulong GasUsed,
    int FirstLogIndex,
    Address? ContractAddress);
