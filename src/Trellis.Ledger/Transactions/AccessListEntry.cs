using Trellis.Core;

namespace Trellis.Ledger.Transactions;

/// <summary>One entry of an EIP-2930 access list: an address and the storage keys the transaction pre-declares.</summary>
public sealed class AccessListEntry
{
    private readonly Hash256[] _storageKeys;

    /// <summary>Creates an entry; the keys are copied.</summary>
    public AccessListEntry(Address address, IEnumerable<Hash256> storageKeys)
    {
        ArgumentNullException.ThrowIfNull(storageKeys);
        Address = address;
        _storageKeys = [.. storageKeys];
    }

    internal AccessListEntry(Address address, Hash256[] storageKeys)
    {
        Address = address;
        _storageKeys = storageKeys;
    }

    /// <summary>The address.</summary>
    public Address Address { get; }

    /// <summary>The 32-byte storage keys.</summary>
    public IReadOnlyList<Hash256> StorageKeys => _storageKeys;
}
