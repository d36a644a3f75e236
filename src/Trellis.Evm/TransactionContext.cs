using Trellis.Core;

namespace Trellis.Evm;

/// <summary>The transaction-wide values the EVM exposes to every frame.</summary>
/// <param name="Origin">ORIGIN: the account that signed the transaction.</param>
/// <param name="GasPrice">GASPRICE: the effective gas price (EIP-1559: min(max fee, base fee + priority fee)).</param>
/// <param name="BlobVersionedHashes">BLOBHASH's list (EIP-4844); empty for transactions without blobs.</param>
public sealed record TransactionContext(Address Origin, UInt256 GasPrice, IReadOnlyList<Hash256> BlobVersionedHashes);
