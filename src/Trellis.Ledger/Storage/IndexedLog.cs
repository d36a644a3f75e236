using Trellis.Core;
using Trellis.Ledger.Blocks;

namespace Trellis.Ledger.Storage;

/// <summary>A log with where it was emitted, as eth_getLogs reports it.</summary>
/// <param name="Log">The log.</param>
/// <param name="BlockHeight">The block's height.</param>
/// <param name="BlockHash">The block's hash.</param>
/// <param name="TransactionHash">The emitting transaction's hash.</param>
/// <param name="TransactionIndex">The transaction's index in the block.</param>
/// <param name="LogIndex">The log's index in the block (counting every transaction's logs).</param>
public sealed record IndexedLog(Log Log, ulong BlockHeight, Hash256 BlockHash, Hash256 TransactionHash, int TransactionIndex, int LogIndex);
