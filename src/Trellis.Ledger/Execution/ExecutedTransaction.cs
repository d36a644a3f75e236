using Trellis.Core;
using Trellis.Ledger.Blocks;
using Trellis.Ledger.Transactions;

namespace Trellis.Ledger.Execution;

/// <summary>A transaction included in a block, with its execution outcome.</summary>
/// <param name="Transaction">The transaction and its sender.</param>
/// <param name="Receipt">Its receipt (status, cumulative gas, logs, bloom).</param>
/// <param name="GasUsed">Gas this transaction used after refunds.</param>
/// <param name="ContractAddress">The created contract after a successful creation, else null.</param>
/// <param name="Output">Return data, or revert data when execution failed.</param>
/// <param name="ExecutionError">Why execution failed ("revert", "out of gas", ...), or null on success.</param>
public sealed record ExecutedTransaction(
    VerifiedTransaction Transaction,
    Receipt Receipt,
    ulong GasUsed,
    Address? ContractAddress,
    byte[] Output,
    string? ExecutionError);
