using Trellis.Core;
using Trellis.State.Trie;

namespace Trellis.State;

/// <summary>
/// The cached state of one account: its fields, its code once loaded, and the storage slots read or written.
/// CreateAccount and end-of-transaction deletion replace the whole entry, so a revert restores the old one.
/// </summary>
internal sealed class AccountEntry
{
    public bool Exists;

    // The suite hash of the address (the account trie's key), kept from the load so flushing does not hash it again;
    // default when the entry was not loaded through the trie.
    public Hash256 KeyHash;
    public ulong Nonce;
    public UInt256 Balance;
    public Hash256 CodeHash;

    /// <summary>The code, once loaded or set; null until needed.</summary>
    public byte[]? Code;

    /// <summary>The storage root the account was loaded with (the empty root when <see cref="StorageCleared"/>).</summary>
    public Hash256 StorageRoot;

    /// <summary>True when no storage below this entry is in the store (created or deleted in memory).</summary>
    public bool StorageCleared;

    /// <summary>Opened on first use of storage not in the cache.</summary>
    public SecureTrie? StorageTrie;

    public readonly Dictionary<UInt256, StorageSlot> Storage = [];

    /// <summary>Slots whose current value may differ from the storage trie's; each listed once (see <see cref="StorageSlot.Queued"/>).</summary>
    public readonly List<UInt256> DirtySlots = [];
}
