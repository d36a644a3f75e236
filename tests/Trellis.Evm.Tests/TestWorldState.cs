using Trellis.Core;
using Trellis.Crypto;
using Trellis.State;
using Trellis.State.Storage;

namespace Trellis.Evm.Tests;

/// <summary>
/// A plain dictionary world state for interpreter tests: written for obviousness, not speed, with an undo log of
/// closures. It follows the IWorldState contract (EIP-161 touches, EIP-2929 warm sets, EIP-6780 deletions).
/// </summary>
internal sealed class TestWorldState : IWorldState
{
    private sealed class Account
    {
        public ulong Nonce;
        public UInt256 Balance;
        public byte[] Code = [];
        public Dictionary<UInt256, UInt256> Storage = [];

        public Account Clone() => new() { Nonce = Nonce, Balance = Balance, Code = Code, Storage = new(Storage) };
    }

    private Dictionary<Address, Account> _accounts = [];
    private Dictionary<Address, Account> _original = [];
    private readonly Dictionary<(Address, UInt256), UInt256> _transient = [];
    private readonly HashSet<Address> _warmAccounts = [];
    private readonly HashSet<(Address, UInt256)> _warmSlots = [];
    private readonly HashSet<Address> _touched = [];
    private readonly HashSet<Address> _created = [];
    private readonly HashSet<Address> _deleted = [];
    private readonly List<Action> _undo = [];

    public ICryptoSuite Suite { get; } = new KeccakSuite();

    /// <summary>Number of changes recorded since the transaction began (tests use it to see that nothing changed).</summary>
    public int JournalLength => _undo.Count;

    public bool AccountExists(in Address address) => _accounts.ContainsKey(address);

    public bool IsEmptyAccount(in Address address) =>
        _accounts.TryGetValue(address, out var a) && a.Nonce == 0 && a.Balance.IsZero && a.Code.Length == 0;

    public bool IsDeadAccount(in Address address) => !AccountExists(address) || IsEmptyAccount(address);

    public UInt256 GetBalance(in Address address) => _accounts.TryGetValue(address, out var a) ? a.Balance : default;

    public ulong GetNonce(in Address address) => _accounts.TryGetValue(address, out var a) ? a.Nonce : 0;

    public Hash256 GetCodeHash(in Address address) =>
        _accounts.TryGetValue(address, out var a) ? Suite.Hash(a.Code) : Hash256.Zero;

    public ReadOnlyMemory<byte> GetCode(in Address address) => _accounts.TryGetValue(address, out var a) ? a.Code : default;

    public bool HasStorage(in Address address) => _accounts.TryGetValue(address, out var a) && a.Storage.Values.Any(v => !v.IsZero);

    public UInt256 GetStorage(in Address address, in UInt256 key) =>
        _accounts.TryGetValue(address, out var a) && a.Storage.TryGetValue(key, out var v) ? v : default;

    public UInt256 GetOriginalStorage(in Address address, in UInt256 key) =>
        _original.TryGetValue(address, out var a) && a.Storage.TryGetValue(key, out var v) ? v : default;

    public void SetStorage(in Address address, in UInt256 key, in UInt256 value)
    {
        var account = GetOrCreate(address);
        var k = key;
        bool had = account.Storage.TryGetValue(k, out var old);
        account.Storage[k] = value;
        _undo.Add(() =>
        {
            if (had)
            {
                account.Storage[k] = old;
            }
            else
            {
                account.Storage.Remove(k);
            }
        });
    }

    public UInt256 GetTransientStorage(in Address address, in UInt256 key) =>
        _transient.TryGetValue((address, key), out var v) ? v : default;

    public void SetTransientStorage(in Address address, in UInt256 key, in UInt256 value)
    {
        var k = (address, key);
        bool had = _transient.TryGetValue(k, out var old);
        _transient[k] = value;
        _undo.Add(() =>
        {
            if (had)
            {
                _transient[k] = old;
            }
            else
            {
                _transient.Remove(k);
            }
        });
    }

    public void CreateAccount(in Address address)
    {
        var a = address;
        _accounts.TryGetValue(a, out var previous);
        _accounts[a] = new Account { Balance = previous?.Balance ?? default };
        bool wasCreated = !_created.Add(a);
        _undo.Add(() =>
        {
            if (previous is null)
            {
                _accounts.Remove(a);
            }
            else
            {
                _accounts[a] = previous;
            }

            if (!wasCreated)
            {
                _created.Remove(a);
            }
        });
    }

    public void AddBalance(in Address address, in UInt256 value)
    {
        var account = GetOrCreate(address);
        var old = account.Balance;
        account.Balance = old + value;
        _undo.Add(() => account.Balance = old);
        Touch(address);
    }

    public void SubtractBalance(in Address address, in UInt256 value)
    {
        var account = GetOrCreate(address);
        var old = account.Balance;
        if (old < value)
        {
            throw new InvalidOperationException($"balance {old} of {address} is less than {value}");
        }

        account.Balance = old - value;
        _undo.Add(() => account.Balance = old);
        Touch(address);
    }

    public void SetNonce(in Address address, ulong nonce)
    {
        var account = GetOrCreate(address);
        var old = account.Nonce;
        account.Nonce = nonce;
        _undo.Add(() => account.Nonce = old);
    }

    public void SetCode(in Address address, ReadOnlyMemory<byte> code)
    {
        var account = GetOrCreate(address);
        var old = account.Code;
        account.Code = code.ToArray();
        _undo.Add(() => account.Code = old);
    }

    public void Touch(in Address address)
    {
        var a = address;
        if (_touched.Add(a))
        {
            // EIP-161 and the tests' mainnet quirk: a touch of 0x03 survives a revert.
            if (a != RipemdAddress)
            {
                _undo.Add(() => _touched.Remove(a));
            }
        }
    }

    public bool IsCreatedInCurrentTransaction(in Address address) => _created.Contains(address);

    public void MarkForDeletion(in Address address)
    {
        var a = address;
        if (_deleted.Add(a))
        {
            _undo.Add(() => _deleted.Remove(a));
        }
    }

    public bool WarmUpAccount(in Address address)
    {
        var a = address;
        if (!_warmAccounts.Add(a))
        {
            return true;
        }

        _undo.Add(() => _warmAccounts.Remove(a));
        return false;
    }

    public bool IsWarm(in Address address) => _warmAccounts.Contains(address);

    public bool WarmUpStorage(in Address address, in UInt256 key)
    {
        var k = (address, key);
        if (!_warmSlots.Add(k))
        {
            return true;
        }

        _undo.Add(() => _warmSlots.Remove(k));
        return false;
    }

    public int TakeSnapshot() => _undo.Count;

    public void RevertToSnapshot(int snapshot)
    {
        for (int i = _undo.Count - 1; i >= snapshot; i--)
        {
            _undo[i]();
        }

        _undo.RemoveRange(snapshot, _undo.Count - snapshot);
    }

    public void BeginTransaction()
    {
        _warmAccounts.Clear();
        _warmSlots.Clear();
        _transient.Clear();
        _created.Clear();
        _deleted.Clear();
        _touched.Clear();
        _undo.Clear();
        _original = _accounts.ToDictionary(p => p.Key, p => p.Value.Clone());
    }

    public void EndTransaction()
    {
        foreach (var address in _deleted)
        {
            _accounts.Remove(address);
        }

        foreach (var address in _touched)
        {
            if (IsEmptyAccount(address))
            {
                _accounts.Remove(address);
            }
        }

        BeginTransaction();
    }

    public Hash256 ComputeStateRoot() => throw new NotSupportedException("the test world state has no trie");

    public Hash256 Commit(IWriteBatch batch) => throw new NotSupportedException("the test world state has no trie");

    /// <summary>Sets up an account directly (outside any journal), as a test's pre-state.</summary>
    public void Put(Address address, UInt256 balance = default, byte[]? code = null, ulong nonce = 0, Dictionary<UInt256, UInt256>? storage = null)
    {
        _accounts[address] = new Account { Balance = balance, Code = code ?? [], Nonce = nonce, Storage = storage ?? [] };
        _original = _accounts.ToDictionary(p => p.Key, p => p.Value.Clone());
    }

    private static readonly Address RipemdAddress = new([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3]);

    private Account GetOrCreate(in Address address)
    {
        if (_accounts.TryGetValue(address, out var account))
        {
            return account;
        }

        var a = address;
        account = new Account();
        _accounts[a] = account;
        _undo.Add(() => _accounts.Remove(a));
        return account;
    }
}
