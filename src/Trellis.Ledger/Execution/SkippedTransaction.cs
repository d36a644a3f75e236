using Trellis.Ledger.Transactions;

namespace Trellis.Ledger.Execution;

/// <summary>A transaction left out of a block being built because it was invalid when its turn came.</summary>
/// <param name="Transaction">The transaction.</param>
/// <param name="Reason">Why ("nonce too low: 4 &lt; expected 5", "gas limit 30000 exceeds the 21000 gas left in the block").</param>
public sealed record SkippedTransaction(VerifiedTransaction Transaction, string Reason);
