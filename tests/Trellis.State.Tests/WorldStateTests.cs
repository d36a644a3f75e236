using System.Text.Json;
using Microsoft.Data.Sqlite;
using Trellis.Core;
using Trellis.Crypto;
using Trellis.State.Storage;
using Trellis.State.Trie;

namespace Trellis.State.Tests;

public sealed class WorldStateTests : IDisposable
{
    private static readonly Hash256 KeccakOfEmpty = Hash256.Parse("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
    private static readonly Hash256 EmptyTrieRoot = Hash256.Parse("0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421");
    private static readonly Address Alice = Address.Parse("0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b");
    private static readonly Address Bob = Address.Parse("0x095e7baea6a6c7c4c2dfeb977efac326af552d87");
    private static readonly Address Ripemd = Address.Parse("0x0000000000000000000000000000000000000003");

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "trellis-state-" + Guid.NewGuid().ToString("N"));

    public static TheoryData<string, string> InvalidTransactionCases => WorldStateFixtures.InvalidTransactionCases();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static WorldState NewState(ICryptoSuite? suite = null) => new(new MemoryStore(), suite ?? Suites.Standard);

    private static Hash256 Commit(IKeyValueStore store, WorldState state)
    {
        using IWriteBatch batch = store.StartBatch();
        Hash256 root = state.Commit(batch);
        batch.Commit();
        return root;
    }

    [Theory]
    [MemberData(nameof(InvalidTransactionCases))]
    public void PreStateOfGeneralStateTest_HasThePublishedRoot_AndSurvivesCommitAndReopen(string file, string name)
    {
        JsonElement test = WorldStateFixtures.Load(file, name);
        Hash256 expected = WorldStateFixtures.ExpectedRoot(test)!.Value;
        Directory.CreateDirectory(_directory);

        foreach (IKeyValueStore store in new IKeyValueStore[] { new MemoryStore(), SqliteStore.Open(Path.Combine(_directory, name + ".db")) })
        {
            using (store)
            {
                var state = new WorldState(store, Suites.Standard);
                foreach (var account in WorldStateFixtures.Accounts(test))
                {
                    state.AddBalance(account.Address, account.Balance);
                    state.SetNonce(account.Address, account.Nonce);
                    state.SetCode(account.Address, account.Code);
                    foreach ((UInt256 key, UInt256 value) in account.Storage)
                    {
                        state.SetStorage(account.Address, key, value);
                    }
                }

                Assert.Equal(expected, state.ComputeStateRoot());
                Assert.Equal(expected, Commit(store, state));

                var reopened = new WorldState(store, Suites.Standard, expected);
                Assert.Equal(expected, reopened.ComputeStateRoot());
                foreach (var account in WorldStateFixtures.Accounts(test))
                {
                    Assert.True(reopened.AccountExists(account.Address));
                    Assert.Equal(account.Balance, reopened.GetBalance(account.Address));
                    Assert.Equal(account.Nonce, reopened.GetNonce(account.Address));
                    Assert.Equal(account.Code, reopened.GetCode(account.Address).ToArray());
                    Assert.Equal(Keccak256.Hash(account.Code), reopened.GetCodeHash(account.Address));
                    Assert.Equal(account.Storage.Exists(s => !s.Value.IsZero), reopened.HasStorage(account.Address));
                    foreach ((UInt256 key, UInt256 value) in account.Storage)
                    {
                        Assert.Equal(value, reopened.GetStorage(account.Address, key));
                        Assert.Equal(value, reopened.GetOriginalStorage(account.Address, key));
                    }
                }
            }
        }
    }

    [Fact]
    public void OneAccountWithBalanceOne_HasTheRootComputedByHandFromTheSpec()
    {
        WorldState state = NewState();
        state.AddBalance(Alice, 1);

        // Account RLP: [nonce 0 -> 0x80, balance 1 -> 0x01, storageRoot, codeHash], 68 bytes of payload.
        byte[] account = [0xf8, 0x44, 0x80, 0x01, 0xa0, .. EmptyTrieRoot.Bytes, 0xa0, .. KeccakOfEmpty.Bytes];

        // Secure-trie leaf: [HP(64 nibbles of Keccak(address), leaf) = 0x20 || hash, RLP string of the account].
        byte[] leaf = [0xf8, 0x6a, 0xa1, 0x20, .. Keccak256.Hash(Alice.Bytes).Bytes, 0xb8, 0x46, .. account];
        Assert.Equal(Keccak256.Hash(leaf), state.ComputeStateRoot());
    }

    [Fact]
    public void OneStorageSlot_GivesTheStorageRootComputedByHand()
    {
        WorldState state = NewState();
        state.AddBalance(Alice, 1);
        state.SetStorage(Alice, 1, 0x0200);

        // Storage leaf, 38 bytes of payload: [0x20 || Keccak(32-byte slot 1), RLP string of RLP(0x0200) = 0x83 0x82 0x02 0x00].
        byte[] slot = new byte[32];
        slot[31] = 1;
        byte[] storageLeaf = [0xe6, 0xa1, 0x20, .. Keccak256.Hash(slot).Bytes, 0x83, 0x82, 0x02, 0x00];
        Hash256 storageRoot = Keccak256.Hash(storageLeaf);
        byte[] account = [0xf8, 0x44, 0x80, 0x01, 0xa0, .. storageRoot.Bytes, 0xa0, .. KeccakOfEmpty.Bytes];
        byte[] leaf = [0xf8, 0x6a, 0xa1, 0x20, .. Keccak256.Hash(Alice.Bytes).Bytes, 0xb8, 0x46, .. account];

        Assert.Equal(Keccak256.Hash(leaf), state.ComputeStateRoot());
    }

    [Fact]
    public void EmptyState_HasTheEmptyTrieRoot()
    {
        Assert.Equal(EmptyTrieRoot, NewState().ComputeStateRoot());
    }

    [Fact]
    public void MissingAccount_ReadsAsNothing()
    {
        WorldState state = NewState();

        Assert.False(state.AccountExists(Alice));
        Assert.False(state.IsEmptyAccount(Alice));
        Assert.True(state.IsDeadAccount(Alice));
        Assert.Equal(Hash256.Zero, state.GetCodeHash(Alice));
        Assert.True(state.GetCode(Alice).IsEmpty);
        Assert.Equal(UInt256.Zero, state.GetBalance(Alice));
        Assert.Equal(0UL, state.GetNonce(Alice));
        Assert.Equal(UInt256.Zero, state.GetStorage(Alice, 1));
        Assert.False(state.HasStorage(Alice));
        Assert.Equal(EmptyTrieRoot, state.ComputeStateRoot());
    }

    [Fact]
    public void AccountWithoutCode_HasTheHashOfEmptyCode()
    {
        WorldState state = NewState();
        state.AddBalance(Alice, 5);

        Assert.Equal(KeccakOfEmpty, state.GetCodeHash(Alice));
        Assert.True(state.AccountExists(Alice));
        Assert.False(state.IsEmptyAccount(Alice));
        Assert.False(state.IsDeadAccount(Alice));
    }

    [Fact]
    public void AddBalanceOfZero_CreatesAnEmptyAccount_ThatIsDeletedAtTransactionEnd()
    {
        WorldState state = NewState();
        state.BeginTransaction();
        state.AddBalance(Bob, 0);

        Assert.True(state.AccountExists(Bob));
        Assert.True(state.IsEmptyAccount(Bob));
        Assert.True(state.IsDeadAccount(Bob));

        state.EndTransaction();
        Assert.False(state.AccountExists(Bob));
        Assert.Equal(EmptyTrieRoot, state.ComputeStateRoot());
    }

    [Fact]
    public void EmptyAccountInTheStore_SurvivesUntilTouched()
    {
        var store = new MemoryStore();
        var genesis = new WorldState(store, Suites.Standard);
        genesis.AddBalance(Bob, 0);
        genesis.AddBalance(Alice, 10);
        Hash256 root = Commit(store, genesis);

        var state = new WorldState(store, Suites.Standard, root);
        state.BeginTransaction();
        state.GetBalance(Bob);
        state.EndTransaction();
        Assert.True(state.AccountExists(Bob));
        Assert.Equal(root, state.ComputeStateRoot());

        state.BeginTransaction();
        state.Touch(Bob);
        state.Touch(Alice);
        state.EndTransaction();
        Assert.False(state.AccountExists(Bob));
        Assert.True(state.AccountExists(Alice));
        Assert.NotEqual(root, state.ComputeStateRoot());
    }

    [Fact]
    public void RevertedTouch_IsUndone_ExceptForTheRipemdPrecompile()
    {
        var store = new MemoryStore();
        var genesis = new WorldState(store, Suites.Standard);
        genesis.AddBalance(Bob, 0);
        genesis.AddBalance(Ripemd, 0);
        Hash256 root = Commit(store, genesis);

        var state = new WorldState(store, Suites.Standard, root);
        state.BeginTransaction();
        int snapshot = state.TakeSnapshot();
        state.Touch(Bob);
        state.Touch(Ripemd);
        state.RevertToSnapshot(snapshot);
        state.EndTransaction();

        Assert.True(state.AccountExists(Bob));
        Assert.False(state.AccountExists(Ripemd));
    }

    [Fact]
    public void MarkForDeletion_DeletesACreatedAccountAtTransactionEnd()
    {
        WorldState state = NewState();
        state.BeginTransaction();
        state.AddBalance(Bob, 100);
        state.CreateAccount(Bob);
        state.SetCode(Bob, new byte[] { 0x60, 0x00 });
        state.SetStorage(Bob, 1, 1);

        Assert.True(state.IsCreatedInCurrentTransaction(Bob));
        Assert.Equal(new UInt256(100), state.GetBalance(Bob));
        state.MarkForDeletion(Bob);
        Assert.True(state.AccountExists(Bob));

        state.EndTransaction();
        Assert.False(state.AccountExists(Bob));
        Assert.Equal(UInt256.Zero, state.GetStorage(Bob, 1));
        Assert.False(state.IsCreatedInCurrentTransaction(Bob));
        Assert.Equal(EmptyTrieRoot, state.ComputeStateRoot());
    }

    [Fact]
    public void DeletedAccount_ComesBackWithEmptyStorageWhenFundedAgain()
    {
        var store = new MemoryStore();
        WorldState state = new(store, Suites.Standard);
        state.BeginTransaction();
        state.CreateAccount(Bob);
        state.SetNonce(Bob, 1);
        state.SetStorage(Bob, 7, 7);
        state.EndTransaction();
        Commit(store, state);

        state.BeginTransaction();
        state.CreateAccount(Bob);
        state.MarkForDeletion(Bob);
        state.EndTransaction();
        state.BeginTransaction();
        state.AddBalance(Bob, 1);
        state.EndTransaction();

        Assert.Equal(UInt256.Zero, state.GetStorage(Bob, 7));
        Assert.False(state.HasStorage(Bob));
        var fresh = NewState();
        fresh.AddBalance(Bob, 1);
        Assert.Equal(fresh.ComputeStateRoot(), Commit(store, state));
    }

    [Fact]
    public void CreateAccount_KeepsTheBalance_AndClearsNonceCodeAndStorage()
    {
        var store = new MemoryStore();
        WorldState state = new(store, Suites.Standard);
        state.AddBalance(Bob, 42);
        state.SetNonce(Bob, 3);
        state.SetCode(Bob, new byte[] { 1, 2, 3 });
        state.SetStorage(Bob, 1, 9);
        Hash256 root = Commit(store, state);
        state = new WorldState(store, Suites.Standard, root);
        state.BeginTransaction();
        int snapshot = state.TakeSnapshot();

        state.CreateAccount(Bob);
        Assert.Equal(new UInt256(42), state.GetBalance(Bob));
        Assert.Equal(0UL, state.GetNonce(Bob));
        Assert.Equal(KeccakOfEmpty, state.GetCodeHash(Bob));
        Assert.Equal(UInt256.Zero, state.GetStorage(Bob, 1));
        Assert.False(state.HasStorage(Bob));
        Assert.True(state.IsCreatedInCurrentTransaction(Bob));

        state.RevertToSnapshot(snapshot);
        Assert.Equal(3UL, state.GetNonce(Bob));
        Assert.Equal(new byte[] { 1, 2, 3 }, state.GetCode(Bob).ToArray());
        Assert.Equal(new UInt256(9), state.GetStorage(Bob, 1));
        Assert.True(state.HasStorage(Bob));
        Assert.False(state.IsCreatedInCurrentTransaction(Bob));
        Assert.Equal(root, state.ComputeStateRoot());
    }

    [Fact]
    public void RevertToSnapshot_UndoesEveryKindOfChange()
    {
        var store = new MemoryStore();
        var genesis = new WorldState(store, Suites.Standard);
        genesis.AddBalance(Alice, 1000);
        genesis.SetNonce(Alice, 5);
        genesis.SetCode(Alice, new byte[] { 0xaa });
        genesis.SetStorage(Alice, 1, 11);
        Hash256 root = Commit(store, genesis);
        var state = new WorldState(store, Suites.Standard, root);
        state.BeginTransaction();
        int snapshot = state.TakeSnapshot();

        state.AddBalance(Alice, 1);
        state.SubtractBalance(Alice, 500);
        state.AddBalance(Bob, 7);
        state.SetNonce(Alice, 6);
        state.SetCode(Alice, new byte[] { 0xbb, 0xcc });
        state.SetStorage(Alice, 1, 12);
        state.SetStorage(Alice, 2, 13);
        state.SetTransientStorage(Alice, 1, 99);
        state.CreateAccount(Address.Zero);
        state.MarkForDeletion(Address.Zero);
        state.Touch(Alice);
        Assert.False(state.WarmUpAccount(Bob));
        Assert.False(state.WarmUpStorage(Alice, 1));
        Assert.True(state.WarmUpAccount(Bob));
        Assert.True(state.WarmUpStorage(Alice, 1));

        state.RevertToSnapshot(snapshot);

        Assert.Equal(new UInt256(1000), state.GetBalance(Alice));
        Assert.False(state.AccountExists(Bob));
        Assert.Equal(5UL, state.GetNonce(Alice));
        Assert.Equal(new byte[] { 0xaa }, state.GetCode(Alice).ToArray());
        Assert.Equal(Keccak256.Hash([0xaa]), state.GetCodeHash(Alice));
        Assert.Equal(new UInt256(11), state.GetStorage(Alice, 1));
        Assert.Equal(UInt256.Zero, state.GetStorage(Alice, 2));
        Assert.Equal(UInt256.Zero, state.GetTransientStorage(Alice, 1));
        Assert.False(state.AccountExists(Address.Zero));
        Assert.False(state.IsCreatedInCurrentTransaction(Address.Zero));
        Assert.False(state.IsWarm(Bob));
        Assert.False(state.WarmUpStorage(Alice, 1));
        Assert.Equal(root, state.ComputeStateRoot());

        // The deletion mark was undone too: nothing is deleted at the end.
        state.EndTransaction();
        Assert.Equal(root, state.ComputeStateRoot());
    }

    [Fact]
    public void NestedSnapshots_RevertOnlyWhatCameAfterThem()
    {
        WorldState state = NewState();
        state.BeginTransaction();
        state.AddBalance(Alice, 1);
        int outer = state.TakeSnapshot();
        state.AddBalance(Alice, 10);
        state.SetStorage(Alice, 1, 1);
        int inner = state.TakeSnapshot();
        state.AddBalance(Alice, 100);
        state.SetStorage(Alice, 1, 2);
        state.SetTransientStorage(Alice, 1, 3);

        state.RevertToSnapshot(inner);
        Assert.Equal(new UInt256(11), state.GetBalance(Alice));
        Assert.Equal(UInt256.One, state.GetStorage(Alice, 1));
        Assert.Equal(UInt256.Zero, state.GetTransientStorage(Alice, 1));

        state.AddBalance(Alice, 1000);
        state.RevertToSnapshot(outer);
        Assert.Equal(UInt256.One, state.GetBalance(Alice));
        Assert.Equal(UInt256.Zero, state.GetStorage(Alice, 1));

        Assert.Throws<ArgumentOutOfRangeException>(() => state.RevertToSnapshot(inner));
        Assert.Throws<ArgumentOutOfRangeException>(() => state.RevertToSnapshot(-1));
    }

    [Fact]
    public void RevertAfterComputingARoot_StillRevertsTheRoot()
    {
        WorldState state = NewState();
        state.AddBalance(Alice, 1);
        state.SetStorage(Alice, 1, 1);
        Hash256 before = state.ComputeStateRoot();
        int snapshot = state.TakeSnapshot();
        state.SetStorage(Alice, 1, 2);
        state.SetStorage(Alice, 3, 3);
        state.AddBalance(Alice, 5);
        state.CreateAccount(Bob);
        Hash256 during = state.ComputeStateRoot();

        state.RevertToSnapshot(snapshot);

        Assert.NotEqual(before, during);
        Assert.Equal(before, state.ComputeStateRoot());
    }

    [Fact]
    public void OriginalStorage_IsTheValueAtTheStartOfTheTransaction()
    {
        WorldState state = NewState();
        state.AddBalance(Alice, 1);
        state.BeginTransaction();
        state.SetStorage(Alice, 1, 5);
        Assert.Equal(UInt256.Zero, state.GetOriginalStorage(Alice, 1));
        Assert.Equal(new UInt256(5), state.GetStorage(Alice, 1));
        state.EndTransaction();

        state.BeginTransaction();
        Assert.Equal(new UInt256(5), state.GetOriginalStorage(Alice, 1));
        int snapshot = state.TakeSnapshot();
        state.SetStorage(Alice, 1, 7);
        state.SetStorage(Alice, 1, 8);
        Assert.Equal(new UInt256(5), state.GetOriginalStorage(Alice, 1));
        Assert.Equal(new UInt256(8), state.GetStorage(Alice, 1));
        state.RevertToSnapshot(snapshot);
        Assert.Equal(new UInt256(5), state.GetOriginalStorage(Alice, 1));
        Assert.Equal(new UInt256(5), state.GetStorage(Alice, 1));
        state.SetStorage(Alice, 1, 0);
        state.EndTransaction();

        state.BeginTransaction();
        Assert.Equal(UInt256.Zero, state.GetOriginalStorage(Alice, 1));
    }

    [Fact]
    public void BeginTransaction_ClearsTransientStorageWarmSetsAndCreatedMarks()
    {
        WorldState state = NewState();
        state.BeginTransaction();
        state.SetTransientStorage(Alice, 1, 1);
        state.WarmUpAccount(Alice);
        state.WarmUpStorage(Alice, 1);
        state.CreateAccount(Bob);
        Hash256 root = state.ComputeStateRoot();

        state.BeginTransaction();

        Assert.Equal(UInt256.Zero, state.GetTransientStorage(Alice, 1));
        Assert.False(state.IsWarm(Alice));
        Assert.False(state.WarmUpStorage(Alice, 1));
        Assert.False(state.IsCreatedInCurrentTransaction(Bob));
        Assert.Equal(root, state.ComputeStateRoot());
    }

    [Fact]
    public void TransientStorage_IsNotPartOfTheStateRoot()
    {
        WorldState state = NewState();
        state.AddBalance(Alice, 1);
        Hash256 root = state.ComputeStateRoot();
        state.SetTransientStorage(Alice, 1, 1);

        Assert.Equal(UInt256.One, state.GetTransientStorage(Alice, 1));
        Assert.Equal(UInt256.Zero, state.GetStorage(Alice, 1));
        Assert.Equal(root, state.ComputeStateRoot());
    }

    [Fact]
    public void SubtractBalance_MoreThanTheBalance_ThrowsAndChangesNothing()
    {
        WorldState state = NewState();
        state.AddBalance(Alice, 10);
        Hash256 root = state.ComputeStateRoot();

        var error = Assert.Throws<InvalidOperationException>(() => state.SubtractBalance(Alice, 11));
        Assert.Contains("cannot subtract 11 from the balance 10 of", error.Message, StringComparison.Ordinal);
        Assert.Equal(new UInt256(10), state.GetBalance(Alice));
        Assert.Equal(root, state.ComputeStateRoot());
    }

    [Fact]
    public void AddBalance_ThatWouldOverflow_Throws()
    {
        WorldState state = NewState();
        state.AddBalance(Alice, UInt256.MaxValue);

        Assert.Throws<InvalidOperationException>(() => state.AddBalance(Alice, 1));
        Assert.Equal(UInt256.MaxValue, state.GetBalance(Alice));
    }

    [Fact]
    public void ZeroedSlots_AreDeletedFromTheStorageTrie()
    {
        var store = new MemoryStore();
        var state = new WorldState(store, Suites.Standard);
        state.AddBalance(Alice, 1);
        Hash256 withoutStorage = state.ComputeStateRoot();
        state.SetStorage(Alice, 1, 1);
        state.SetStorage(Alice, 2, 2);
        Hash256 root = Commit(store, state);

        var reopened = new WorldState(store, Suites.Standard, root);
        Assert.True(reopened.HasStorage(Alice));
        reopened.SetStorage(Alice, 1, 0);
        Assert.True(reopened.HasStorage(Alice));
        reopened.SetStorage(Alice, 2, 0);

        Assert.False(reopened.HasStorage(Alice));
        Assert.Equal(withoutStorage, reopened.ComputeStateRoot());
    }

    [Fact]
    public void CommitTwiceAndReopen_KeepsLaterChanges()
    {
        Directory.CreateDirectory(_directory);
        string path = Path.Combine(_directory, "twice.db");
        Hash256 root;
        using (SqliteStore store = SqliteStore.Open(path))
        {
            var state = new WorldState(store, Suites.Standard);
            state.AddBalance(Alice, 1);
            state.SetStorage(Alice, 1, 1);
            Commit(store, state);
            state.SetStorage(Alice, 2, 2);
            state.SetCode(Bob, new byte[] { 0x5f });
            root = Commit(store, state);
        }

        using SqliteStore again = SqliteStore.Open(path);
        var reopened = new WorldState(again, Suites.Standard, root);
        Assert.Equal(UInt256.One, reopened.GetStorage(Alice, 1));
        Assert.Equal(new UInt256(2), reopened.GetStorage(Alice, 2));
        Assert.Equal(new byte[] { 0x5f }, reopened.GetCode(Bob).ToArray());
        Assert.Equal(root, reopened.ComputeStateRoot());
    }

    [Fact]
    public void MissingCode_IsReportedClearly()
    {
        var store = new MemoryStore();
        var state = new WorldState(store, Suites.Standard);
        state.SetCode(Bob, new byte[] { 1, 2, 3 });
        using IWriteBatch batch = store.StartBatch();
        Hash256 root = state.Commit(batch);
        batch.Delete(Keccak256.Hash([1, 2, 3]).Bytes);
        batch.Commit();

        var reopened = new WorldState(store, Suites.Standard, root);
        var error = Assert.Throws<TrieException>(() => reopened.GetCode(Bob));
        Assert.Equal($"missing code {Keccak256.Hash([1, 2, 3])} of account {Bob}: the store has no code with that hash", error.Message);
    }

    [Fact]
    public void MissingStateRoot_IsReportedAsAMissingTrieNode()
    {
        var state = new WorldState(new MemoryStore(), Suites.Standard, Hash256.Parse("0x" + new string('4', 64)));

        var error = Assert.Throws<TrieException>(() => state.GetBalance(Alice));
        Assert.StartsWith("missing trie node 0x4444", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingStorageNode_IsReportedOnEveryRead_NotCachedAsZero()
    {
        var store = new MemoryStore();
        var state = new WorldState(store, Suites.Standard);
        state.AddBalance(Alice, 1);
        state.SetStorage(Alice, 1, 0x1234);
        Hash256 root = Commit(store, state);
        byte[] slot = new byte[32];
        slot[31] = 1;
        var storageTrie = new SecureTrie(new MemoryStore(), Suites.Standard);
        storageTrie.Set(slot, [0x82, 0x12, 0x34]);
        using (IWriteBatch batch = store.StartBatch())
        {
            batch.Delete(storageTrie.RootHash.Bytes);
            batch.Commit();
        }

        var reopened = new WorldState(store, Suites.Standard, root);
        Assert.Throws<TrieException>(() => reopened.GetStorage(Alice, 1));
        var again = Assert.Throws<TrieException>(() => reopened.GetStorage(Alice, 1));
        Assert.StartsWith($"missing trie node {storageTrie.RootHash} at path (root)", again.Message, StringComparison.Ordinal);
        Assert.Equal(UInt256.One, reopened.GetBalance(Alice));
    }

    [Fact]
    public void NationalSuite_HashesCodeAndTriesWithSm3()
    {
        WorldState national = NewState(Suites.National);
        WorldState standard = NewState();
        foreach (WorldState state in new[] { national, standard })
        {
            state.AddBalance(Alice, 1);
            state.SetCode(Alice, new byte[] { 0x60, 0x00 });
            state.SetStorage(Alice, 1, 1);
        }

        // SM3("") from GB/T 32905 implementations (OpenSSL: `printf '' | openssl dgst -sm3`).
        national.AddBalance(Bob, 1);
        Assert.Equal(Hash256.Parse("0x1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b"), national.GetCodeHash(Bob));
        Assert.Equal(Suites.National.Hash([0x60, 0x00]), national.GetCodeHash(Alice));
        national.SubtractBalance(Bob, 1);
        national.Touch(Bob);
        national.EndTransaction();

        Assert.NotEqual(standard.ComputeStateRoot(), national.ComputeStateRoot());

        // Stable: the same state built again, committed and reopened, has the same root.
        var store = new MemoryStore();
        var again = new WorldState(store, Suites.National);
        again.SetStorage(Alice, 1, 1);
        again.SetCode(Alice, new byte[] { 0x60, 0x00 });
        again.AddBalance(Alice, 1);
        Hash256 root = Commit(store, again);
        Assert.Equal(national.ComputeStateRoot(), root);
        Assert.Equal(root, new WorldState(store, Suites.National, root).ComputeStateRoot());
    }
}
