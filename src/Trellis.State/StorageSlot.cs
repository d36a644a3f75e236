using Trellis.Core;

namespace Trellis.State;

/// <summary>One cached storage slot.</summary>
internal struct StorageSlot
{
    /// <summary>The value now.</summary>
    public UInt256 Current;

    /// <summary>The value at the start of transaction <see cref="WrittenInTransaction"/>; meaningful only in it.</summary>
    public UInt256 Original;

    /// <summary>The value the account's storage trie holds.</summary>
    public UInt256 Persisted;

    /// <summary>
    /// The transaction that last wrote the slot. In any other transaction the slot has not changed since it
    /// began, so its original value is its current one; this keeps BeginTransaction free of a pass over all slots.
    /// </summary>
    public long WrittenInTransaction;

    /// <summary>True while the slot is in its account's dirty-slot list.</summary>
    public bool Queued;
}
