using Trellis.Core;

namespace Trellis.Evm.Processing;

/// <summary>One entry of an EIP-2930 access list: an address and the storage keys to warm in it.</summary>
/// <param name="Address">The account to warm before execution.</param>
/// <param name="StorageKeys">Its storage slots to warm.</param>
public sealed record AccessListEntry(Address Address, IReadOnlyList<UInt256> StorageKeys);
