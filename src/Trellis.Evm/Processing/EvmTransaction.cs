using Trellis.Core;

namespace Trellis.Evm.Processing;

/// <summary>
/// A transaction as the EVM executes it: already decoded and with its sender recovered (signature handling
/// belongs to the ledger layer).
/// </summary>
/// <param name="Sender">The signer, who pays for gas and whose nonce is used.</param>
/// <param name="To">The recipient, or null to create a contract from <paramref name="Data"/>.</param>
/// <param name="Nonce">Must equal the sender's nonce in the state.</param>
/// <param name="GasLimit">Gas bought up front; unused gas is refunded.</param>
/// <param name="Value">Wei moved to the recipient or the new contract.</param>
/// <param name="Data">Call data, or init code for a creation.</param>
/// <param name="GasPrice">The gas price of type 0 (legacy) and type 1 (EIP-2930) transactions.</param>
/// <param name="MaxFeePerGas">The fee cap of type 2 (EIP-1559) and type 3 (EIP-4844) transactions.</param>
/// <param name="MaxPriorityFeePerGas">The tip cap of type 2 and type 3 transactions.</param>
/// <param name="AccessList">Addresses and slots to warm (EIP-2930); empty for legacy transactions.</param>
/// <param name="BlobVersionedHashes">The blob hashes of a type 3 transaction (EIP-4844); empty otherwise.</param>
/// <param name="MaxFeePerBlobGas">The blob fee cap of a type 3 transaction; null otherwise.</param>
/// <param name="Type">0 legacy, 1 EIP-2930, 2 EIP-1559, 3 EIP-4844.</param>
public sealed record EvmTransaction(
    Address Sender,
    Address? To,
    ulong Nonce,
    long GasLimit,
    UInt256 Value,
    ReadOnlyMemory<byte> Data,
    UInt256 GasPrice,
    UInt256? MaxFeePerGas,
    UInt256? MaxPriorityFeePerGas,
    IReadOnlyList<AccessListEntry> AccessList,
    IReadOnlyList<Hash256> BlobVersionedHashes,
    UInt256? MaxFeePerBlobGas,
    byte Type)
{
    /// <summary>Type byte of a legacy transaction.</summary>
    public const byte LegacyType = 0;

    /// <summary>Type byte of an EIP-2930 access-list transaction.</summary>
    public const byte AccessListType = 1;

    /// <summary>Type byte of an EIP-1559 dynamic-fee transaction.</summary>
    public const byte DynamicFeeType = 2;

    /// <summary>Type byte of an EIP-4844 blob transaction.</summary>
    public const byte BlobType = 3;

    /// <summary>True when the transaction creates a contract (no recipient).</summary>
    public bool IsContractCreation => To is null;

    /// <summary>A legacy transaction with no access list or blobs (convenient for tools and tests).</summary>
    public static EvmTransaction Legacy(Address sender, Address? to, ulong nonce, long gasLimit, UInt256 value, ReadOnlyMemory<byte> data, UInt256 gasPrice) =>
        new(sender, to, nonce, gasLimit, value, data, gasPrice, null, null, [], [], null, LegacyType);
}
