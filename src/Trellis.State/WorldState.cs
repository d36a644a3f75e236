using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Trellis.Core;
using Trellis.Core.Rlp;
using Trellis.Crypto;
using Trellis.State.Storage;
using Trellis.State.Trie;

namespace Trellis.State;

/// <summary>
/// The world state over a key-value store. Accounts live in a secure trie keyed by Hash(address) with value
/// RLP([nonce, balance, storageRoot, codeHash]); each account's storage is a secure trie keyed by Hash(32-byte slot)
/// with value RLP(minimal big-endian value), zero values deleted; code is stored under its hash. Reads and writes
/// go to a per-account cache with a journal of small structs; the tries are updated only when a root is computed.
/// Not thread-safe: one block executor owns it.
/// </summary>
public sealed class WorldState : IWorldState
{
    // The RIPEMD-160 precompile: a touch of it survives a revert (EIP-161; the mainnet quirk the tests keep).
    private static readonly Address RipemdPrecompile = new([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3]);

    private readonly IKeyValueStore _store;
    private readonly ICryptoSuite _suite;
    private readonly SecureTrie _accountTrie;
    private readonly Hash256 _emptyCodeHash;
    private readonly Hash256 _emptyRoot;
    private readonly RlpWriter _writer = new(128);

    private readonly Dictionary<Address, AccountEntry> _accounts = [];

    // Accounts whose trie entry may be stale (since the last root), and whose storage nodes are not committed.
    private readonly HashSet<Address> _dirtyAccounts = [];
    private readonly HashSet<Address> _uncommittedAccounts = [];
    private readonly Dictionary<Hash256, byte[]> _newCode = [];

    private readonly HashSet<Address> _created = [];
    private readonly HashSet<Address> _markedForDeletion = [];
    private readonly HashSet<Address> _touched = [];
    private readonly HashSet<Address> _warmAccounts = [];
    private readonly HashSet<StorageKey> _warmSlots = [];
    private readonly Dictionary<StorageKey, UInt256> _transientStorage = [];

    private JournalEntry[] _journal = new JournalEntry[256];
    private int _journalLength;

    // Starts at 1 so that a slot never written (WrittenInTransaction = 0) is never "written in this transaction".
    private long _transaction = 1;

    // The EVM hammers one contract's storage; remembering the last account saves a dictionary lookup per access.
    private Address _lastAddress;
    private AccountEntry? _lastEntry;

    /// <summary>Opens the state whose root is <paramref name="stateRoot"/>; default or the empty root gives an empty state.</summary>
    public WorldState(IKeyValueStore store, ICryptoSuite suite, Hash256 stateRoot = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(suite);
        _store = store;
        _suite = suite;
        _accountTrie = new SecureTrie(store, suite, stateRoot) { ParallelRootHashing = true };
        _emptyCodeHash = suite.Hash([]);
        _emptyRoot = EmptyTrie.RootOf(suite);
    }

    /// <inheritdoc/>
    public ICryptoSuite Suite => _suite;

    /// <inheritdoc/>
    public bool AccountExists(in Address address) => GetEntry(address).Exists;

    /// <inheritdoc/>
    public bool IsEmptyAccount(in Address address)
    {
        AccountEntry entry = GetEntry(address);
        return entry.Exists && IsEmpty(entry);
    }

    /// <inheritdoc/>
    public bool IsDeadAccount(in Address address)
    {
        AccountEntry entry = GetEntry(address);
        return !entry.Exists || IsEmpty(entry);
    }

    /// <inheritdoc/>
    public UInt256 GetBalance(in Address address) => GetEntry(address).Balance;

    /// <inheritdoc/>
    public ulong GetNonce(in Address address) => GetEntry(address).Nonce;

    /// <inheritdoc/>
    public Hash256 GetCodeHash(in Address address)
    {
        AccountEntry entry = GetEntry(address);
        return entry.Exists ? entry.CodeHash : Hash256.Zero;
    }

    /// <inheritdoc/>
    public ReadOnlyMemory<byte> GetCode(in Address address)
    {
        AccountEntry entry = GetEntry(address);
        if (!entry.Exists)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        if (entry.Code is null)
        {
            entry.Code = entry.CodeHash == _emptyCodeHash
                ? []
                : _store.Get(entry.CodeHash.Bytes)
                    ?? throw new TrieException($"missing code {entry.CodeHash} of account {address}: the store has no code with that hash");
        }

        return entry.Code;
    }

    /// <inheritdoc/>
    public bool HasStorage(in Address address)
    {
        AccountEntry entry = GetEntry(address);
        foreach (KeyValuePair<UInt256, StorageSlot> slot in entry.Storage)
        {
            if (!slot.Value.Current.IsZero)
            {
                return true;
            }
        }

        if (entry.StorageCleared && entry.StorageTrie is null)
        {
            return false;
        }

        // Some stored slots may have been zeroed in the cache: bring the trie up to date and look at its root.
        FlushSlots(entry);
        return StorageRootOf(entry) != _emptyRoot;
    }

    /// <inheritdoc/>
    public UInt256 GetStorage(in Address address, in UInt256 key) => LoadSlot(GetEntry(address), key).Current;

    /// <inheritdoc/>
    public UInt256 GetOriginalStorage(in Address address, in UInt256 key)
    {
        ref StorageSlot slot = ref LoadSlot(GetEntry(address), key);
        return slot.WrittenInTransaction == _transaction ? slot.Original : slot.Current;
    }

    /// <inheritdoc/>
    public void SetStorage(in Address address, in UInt256 key, in UInt256 value)
    {
        AccountEntry entry = GetEntry(address);
        ref StorageSlot slot = ref LoadSlot(entry, key);
        if (slot.Current == value)
        {
            return;
        }

        Record(new JournalEntry(JournalKind.Storage, address, entry, key, slot.Current));
        if (slot.WrittenInTransaction != _transaction)
        {
            slot.Original = slot.Current;
            slot.WrittenInTransaction = _transaction;
        }

        slot.Current = value;
        if (!slot.Queued)
        {
            slot.Queued = true;
            entry.DirtySlots.Add(key);
        }

        MarkDirty(address);
    }

    /// <inheritdoc/>
    public UInt256 GetTransientStorage(in Address address, in UInt256 key) =>
        _transientStorage.TryGetValue(new StorageKey(address, key), out UInt256 value) ? value : UInt256.Zero;

    /// <inheritdoc/>
    public void SetTransientStorage(in Address address, in UInt256 key, in UInt256 value)
    {
        var slot = new StorageKey(address, key);
        _transientStorage.TryGetValue(slot, out UInt256 previous);
        if (previous == value)
        {
            return;
        }

        Record(new JournalEntry(JournalKind.TransientStorage, address, null, key, previous));
        SetTransient(slot, value);
    }

    /// <inheritdoc/>
    public void CreateAccount(in Address address)
    {
        AccountEntry previous = GetEntry(address);
        AccountEntry created = NewEntry(exists: true);
        created.Balance = previous.Balance;
        Record(new JournalEntry(JournalKind.AccountReplaced, address, previous, default, default));
        Replace(address, created);
        if (_created.Add(address))
        {
            Record(new JournalEntry(JournalKind.CreatedMark, address, null, default, default));
        }

        Touch(address);
    }

    /// <inheritdoc/>
    public void AddBalance(in Address address, in UInt256 value)
    {
        AccountEntry entry = GetExistingEntry(address);
        if (!value.IsZero)
        {
            if (UInt256.AddOverflow(entry.Balance, value, out UInt256 sum))
            {
                throw new InvalidOperationException($"adding {value} to the balance {entry.Balance} of {address} overflows 2^256");
            }

            Record(new JournalEntry(JournalKind.Balance, address, entry, default, entry.Balance));
            entry.Balance = sum;
            MarkDirty(address);
        }

        Touch(address);
    }

    /// <inheritdoc/>
    public void SubtractBalance(in Address address, in UInt256 value)
    {
        AccountEntry entry = GetEntry(address);
        if (entry.Balance < value)
        {
            throw new InvalidOperationException($"cannot subtract {value} from the balance {entry.Balance} of {address}: the balance is insufficient");
        }

        entry = GetExistingEntry(address);
        if (!value.IsZero)
        {
            Record(new JournalEntry(JournalKind.Balance, address, entry, default, entry.Balance));
            entry.Balance -= value;
            MarkDirty(address);
        }

        Touch(address);
    }

    /// <inheritdoc/>
    public void SetNonce(in Address address, ulong nonce)
    {
        AccountEntry entry = GetExistingEntry(address);
        if (entry.Nonce != nonce)
        {
            Record(new JournalEntry(JournalKind.Nonce, address, entry, default, entry.Nonce));
            entry.Nonce = nonce;
            MarkDirty(address);
        }

        Touch(address);
    }

    /// <inheritdoc/>
    public void SetCode(in Address address, ReadOnlyMemory<byte> code)
    {
        AccountEntry entry = GetExistingEntry(address);
        Record(new JournalEntry(JournalKind.Code, address, entry, default, default, new CodeChange(entry.CodeHash, entry.Code)));
        byte[] bytes = code.ToArray();
        entry.Code = bytes;
        entry.CodeHash = _suite.Hash(bytes);
        if (bytes.Length > 0)
        {
            _newCode[entry.CodeHash] = bytes;
        }

        MarkDirty(address);
        Touch(address);
    }

    /// <inheritdoc/>
    public void Touch(in Address address)
    {
        if (_touched.Add(address))
        {
            Record(new JournalEntry(JournalKind.Touch, address, null, default, default));
        }
    }

    /// <inheritdoc/>
    public bool IsCreatedInCurrentTransaction(in Address address) => _created.Contains(address);

    /// <inheritdoc/>
    public void MarkForDeletion(in Address address)
    {
        if (_markedForDeletion.Add(address))
        {
            Record(new JournalEntry(JournalKind.DeletionMark, address, null, default, default));
        }
    }

    /// <inheritdoc/>
    public bool WarmUpAccount(in Address address)
    {
        if (!_warmAccounts.Add(address))
        {
            return true;
        }

        Record(new JournalEntry(JournalKind.WarmAccount, address, null, default, default));
        return false;
    }

    /// <inheritdoc/>
    public bool IsWarm(in Address address) => _warmAccounts.Contains(address);

    /// <inheritdoc/>
    public bool WarmUpStorage(in Address address, in UInt256 key)
    {
        if (!_warmSlots.Add(new StorageKey(address, key)))
        {
            return true;
        }

        Record(new JournalEntry(JournalKind.WarmStorage, address, null, key, default));
        return false;
    }

    /// <inheritdoc/>
    public int TakeSnapshot() => _journalLength;

    /// <inheritdoc/>
    public void RevertToSnapshot(int snapshot)
    {
        if (snapshot < 0 || snapshot > _journalLength)
        {
            throw new ArgumentOutOfRangeException(nameof(snapshot), snapshot,
                $"snapshot {snapshot} is not a journal position of this transaction (0 to {_journalLength}); it may be from an earlier transaction or already reverted");
        }

        while (_journalLength > snapshot)
        {
            Undo(_journal[--_journalLength]);
            _journal[_journalLength] = default;
        }
    }

    /// <inheritdoc/>
    public void BeginTransaction()
    {
        ClearTransactionState();
        _transaction++;
    }

    /// <inheritdoc/>
    public void EndTransaction()
    {
        foreach (Address address in _markedForDeletion)
        {
            DeleteAccount(address);
        }

        foreach (Address address in _touched)
        {
            AccountEntry entry = GetEntry(address);
            if (entry.Exists && IsEmpty(entry))
            {
                DeleteAccount(address);
            }
        }

        ClearTransactionState();
        _transaction++;
    }

    /// <inheritdoc/>
    public Hash256 ComputeStateRoot()
    {
        FlushAccounts();
        return _accountTrie.RootHash;
    }

    /// <inheritdoc/>
    public Hash256 Commit(IWriteBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        FlushAccounts();
        foreach (Address address in _uncommittedAccounts)
        {
            AccountEntry entry = _accounts[address];
            if (entry.Exists && entry.StorageTrie is not null)
            {
                entry.StorageTrie.Commit(batch);
            }
        }

        foreach (KeyValuePair<Hash256, byte[]> code in _newCode)
        {
            batch.Put(code.Key.Bytes, code.Value);
        }

        _uncommittedAccounts.Clear();
        _newCode.Clear();
        return _accountTrie.Commit(batch);
    }

    private bool IsEmpty(AccountEntry entry) => entry.Nonce == 0 && entry.Balance.IsZero && entry.CodeHash == _emptyCodeHash;

    private AccountEntry GetEntry(in Address address)
    {
        if (_lastEntry is not null && _lastAddress == address)
        {
            return _lastEntry;
        }

        // Load before adding: a load that throws (missing or invalid node) must leave nothing in the cache.
        if (!_accounts.TryGetValue(address, out AccountEntry? entry))
        {
            entry = LoadEntry(address);
            _accounts.Add(address, entry);
        }

        _lastAddress = address;
        _lastEntry = entry;
        return entry;
    }

    // The entry for a change that brings the account into existence if it was missing (AddBalance, SetNonce, …).
    private AccountEntry GetExistingEntry(in Address address)
    {
        AccountEntry entry = GetEntry(address);
        if (!entry.Exists)
        {
            Record(new JournalEntry(JournalKind.AccountCreated, address, entry, default, default));
            entry.Exists = true;
            MarkDirty(address);
        }

        return entry;
    }

    private AccountEntry LoadEntry(in Address address)
    {
        Hash256 keyHash = _suite.Hash(address.Bytes);
        byte[]? encoded = _accountTrie.GetByHashedKey(keyHash.Bytes);
        if (encoded is null)
        {
            AccountEntry missing = NewEntry(exists: false);
            missing.KeyHash = keyHash;
            return missing;
        }

        try
        {
            var reader = new RlpReader(encoded);
            RlpReader fields = reader.ReadList();
            reader.EnsureEnd();
            var entry = new AccountEntry
            {
                Exists = true,
                KeyHash = keyHash,
                Nonce = fields.ReadULong(),
                Balance = UInt256.FromBigEndian(fields.ReadIntegerBytes(32)),
                StorageRoot = ReadHash(ref fields, "storage root"),
                CodeHash = ReadHash(ref fields, "code hash"),
            };
            fields.EnsureEnd();
            entry.StorageCleared = entry.StorageRoot == _emptyRoot;
            return entry;
        }
        catch (RlpException e)
        {
            throw new TrieException($"invalid account {address} in the state trie: {e.Message} (expected RLP [nonce, balance, storageRoot, codeHash])", e);
        }
    }

    private static Hash256 ReadHash(ref RlpReader fields, string name)
    {
        ReadOnlySpan<byte> bytes = fields.ReadBytes();
        if (bytes.Length != Hash256.Length)
        {
            throw new RlpException($"account {name} is {bytes.Length} bytes, not 32");
        }

        return new Hash256(bytes);
    }

    private AccountEntry NewEntry(bool exists) => new()
    {
        Exists = exists,
        CodeHash = _emptyCodeHash,
        Code = [],
        StorageRoot = _emptyRoot,
        StorageCleared = true,
    };

    private void Replace(in Address address, AccountEntry entry)
    {
        _accounts[address] = entry;
        _lastEntry = null;
        MarkDirty(address);
    }

    private void DeleteAccount(in Address address)
    {
        AccountEntry entry = GetEntry(address);
        if (entry.Exists)
        {
            Replace(address, NewEntry(exists: false));
        }
    }

    private ref StorageSlot LoadSlot(AccountEntry entry, in UInt256 key)
    {
        ref StorageSlot slot = ref CollectionsMarshal.GetValueRefOrNullRef(entry.Storage, key);
        if (!Unsafe.IsNullRef(ref slot))
        {
            return ref slot;
        }

        // Read before adding: a read that throws (missing or invalid node) must not leave a zero in the cache.
        UInt256 value = entry.StorageCleared ? UInt256.Zero : ReadStoredSlot(entry, key);
        slot = ref CollectionsMarshal.GetValueRefOrAddDefault(entry.Storage, key, out _);
        slot.Current = value;
        slot.Persisted = value;
        return ref slot;
    }

    private UInt256 ReadStoredSlot(AccountEntry entry, in UInt256 key)
    {
        Span<byte> slotKey = stackalloc byte[32];
        key.WriteBigEndian(slotKey);
        byte[]? encoded = StorageTrieOf(entry).Get(slotKey);
        if (encoded is null)
        {
            return UInt256.Zero;
        }

        try
        {
            var reader = new RlpReader(encoded);
            ReadOnlySpan<byte> magnitude = reader.ReadIntegerBytes(32);
            reader.EnsureEnd();
            return UInt256.FromBigEndian(magnitude);
        }
        catch (RlpException e)
        {
            throw new TrieException($"invalid storage value for slot {key.ToHexString()}: {e.Message} (expected the RLP of a minimal big-endian integer)", e);
        }
    }

    private SecureTrie StorageTrieOf(AccountEntry entry) =>
        entry.StorageTrie ??= new SecureTrie(_store, _suite, entry.StorageCleared ? default : entry.StorageRoot);

    private Hash256 StorageRootOf(AccountEntry entry) =>
        entry.StorageTrie is { } trie ? trie.RootHash : entry.StorageCleared ? _emptyRoot : entry.StorageRoot;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void MarkDirty(in Address address)
    {
        _dirtyAccounts.Add(address);
    }

    private void Record(in JournalEntry entry)
    {
        if (_journalLength == _journal.Length)
        {
            Array.Resize(ref _journal, _journal.Length * 2);
        }

        _journal[_journalLength++] = entry;
    }

    private void Undo(in JournalEntry change)
    {
        switch (change.Kind)
        {
            case JournalKind.AccountReplaced:
                Replace(change.Address, change.Account!);
                break;
            case JournalKind.AccountCreated:
                change.Account!.Exists = false;
                MarkDirty(change.Address);
                break;
            case JournalKind.Balance:
                change.Account!.Balance = change.Previous;
                MarkDirty(change.Address);
                break;
            case JournalKind.Nonce:
                change.Account!.Nonce = change.Previous.U0;
                MarkDirty(change.Address);
                break;
            case JournalKind.Code:
                var code = (CodeChange)change.Reference!;
                change.Account!.CodeHash = code.Hash;
                change.Account.Code = code.Code;
                MarkDirty(change.Address);
                break;
            case JournalKind.Storage:
                {
                    AccountEntry entry = change.Account!;
                    ref StorageSlot slot = ref CollectionsMarshal.GetValueRefOrNullRef(entry.Storage, change.Key);
                    slot.Current = change.Previous;
                    if (!slot.Queued)
                    {
                        // A root computed since the change may have written it to the trie; queue the slot again.
                        slot.Queued = true;
                        entry.DirtySlots.Add(change.Key);
                    }

                    MarkDirty(change.Address);
                    break;
                }

            case JournalKind.TransientStorage:
                SetTransient(new StorageKey(change.Address, change.Key), change.Previous);
                break;
            case JournalKind.CreatedMark:
                _created.Remove(change.Address);
                break;
            case JournalKind.DeletionMark:
                _markedForDeletion.Remove(change.Address);
                break;
            case JournalKind.Touch:
                if (change.Address != RipemdPrecompile)
                {
                    _touched.Remove(change.Address);
                }

                break;
            case JournalKind.WarmAccount:
                _warmAccounts.Remove(change.Address);
                break;
            case JournalKind.WarmStorage:
                _warmSlots.Remove(new StorageKey(change.Address, change.Key));
                break;
        }
    }

    private void SetTransient(in StorageKey slot, in UInt256 value)
    {
        if (value.IsZero)
        {
            _transientStorage.Remove(slot);
        }
        else
        {
            _transientStorage[slot] = value;
        }
    }

    private void ClearTransactionState()
    {
        Array.Clear(_journal, 0, _journalLength);
        _journalLength = 0;
        _created.Clear();
        _markedForDeletion.Clear();
        _touched.Clear();
        _warmAccounts.Clear();
        _warmSlots.Clear();
        _transientStorage.Clear();
    }

    private void FlushAccounts()
    {
        Span<byte> balance = stackalloc byte[32];
        foreach (Address address in _dirtyAccounts)
        {
            AccountEntry entry = _accounts[address];
            _uncommittedAccounts.Add(address);
            if (!entry.Exists)
            {
                _accountTrie.DeleteByHashedKey(KeyHashOf(address, entry).Bytes);
                continue;
            }

            FlushSlots(entry);
            _writer.Reset();
            int list = _writer.StartList();
            _writer.WriteULong(entry.Nonce);
            entry.Balance.WriteBigEndian(balance);
            _writer.WriteIntegerBytes(balance);
            _writer.WriteBytes(StorageRootOf(entry).Bytes);
            _writer.WriteBytes(entry.CodeHash.Bytes);
            _writer.EndList(list);
            _accountTrie.SetByHashedKey(KeyHashOf(address, entry).Bytes, _writer.WrittenSpan);
        }

        _dirtyAccounts.Clear();
    }

    private Hash256 KeyHashOf(in Address address, AccountEntry entry)
    {
        if (entry.KeyHash == default)
        {
            entry.KeyHash = _suite.Hash(address.Bytes);
        }

        return entry.KeyHash;
    }

    private void FlushSlots(AccountEntry entry)
    {
        if (entry.DirtySlots.Count == 0)
        {
            return;
        }

        Span<byte> slotKey = stackalloc byte[32];
        Span<byte> magnitude = stackalloc byte[32];
        Span<byte> encoded = stackalloc byte[33];
        foreach (UInt256 key in entry.DirtySlots)
        {
            ref StorageSlot slot = ref CollectionsMarshal.GetValueRefOrNullRef(entry.Storage, key);
            slot.Queued = false;
            if (slot.Current == slot.Persisted)
            {
                continue;
            }

            key.WriteBigEndian(slotKey);
            SecureTrie trie = StorageTrieOf(entry);
            if (slot.Current.IsZero)
            {
                trie.Delete(slotKey);
            }
            else
            {
                slot.Current.WriteBigEndian(magnitude);
                trie.Set(slotKey, EncodeInteger(magnitude, encoded));
            }

            slot.Persisted = slot.Current;
        }

        entry.DirtySlots.Clear();
    }

    // RLP of a non-zero big-endian integer: its minimal bytes as a byte string.
    private static ReadOnlySpan<byte> EncodeInteger(ReadOnlySpan<byte> bigEndian, Span<byte> destination)
    {
        ReadOnlySpan<byte> minimal = bigEndian[bigEndian.IndexOfAnyExcept((byte)0)..];
        if (minimal.Length == 1 && minimal[0] < 0x80)
        {
            destination[0] = minimal[0];
            return destination[..1];
        }

        destination[0] = (byte)(0x80 + minimal.Length);
        minimal.CopyTo(destination[1..]);
        return destination[..(1 + minimal.Length)];
    }
}
