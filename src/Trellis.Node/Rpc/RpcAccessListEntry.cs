using Trellis.Core;

namespace Trellis.Node.Rpc;

/// <summary>One EIP-2930 access list entry: an address and the storage keys a transaction declares it touches.</summary>
public sealed record RpcAccessListEntry(Address Address, IReadOnlyList<Hash256> StorageKeys);
