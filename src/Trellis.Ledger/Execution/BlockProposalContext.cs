using Trellis.Core;

namespace Trellis.Ledger.Execution;

/// <summary>What a proposer chooses for a new block (everything the EVM sees besides the parent and the transactions).</summary>
/// <param name="Height">The new block's height: the parent's plus one.</param>
/// <param name="Timestamp">Unix seconds; at least the parent's. An input, so execution never reads a clock.</param>
/// <param name="Proposer">The proposing validator; COINBASE in the EVM and the receiver of any priority fees.</param>
/// <param name="GasLimit">The block gas limit (normally the chain's <c>blockGasLimit</c>).</param>
/// <param name="BlockHashes">
/// The hash of an ancestor by height, for BLOCKHASH (the parent's hash is known without it); null makes older
/// ancestors' hashes zero. <see cref="Storage.BlockStore.GetBlockHash"/> fits.
/// </param>
public sealed record BlockProposalContext(
    ulong Height,
    ulong Timestamp,
    Address Proposer,
    ulong GasLimit,
    Func<ulong, Hash256?>? BlockHashes = null);
