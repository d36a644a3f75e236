using Microsoft.Data.Sqlite;
using Trellis.State.Storage;

namespace Trellis.State.Tests.Storage;

public sealed class SqliteStoreTests : KeyValueStoreContractTests
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "trellis-sqlite-" + Guid.NewGuid().ToString("N"));

    private string DatabasePath => Path.Combine(_directory, "nested", "state.db");

    protected override IKeyValueStore CreateStore() => SqliteStore.Open(DatabasePath);

    public override void Dispose()
    {
        base.Dispose();
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void Open_CreatesTheFileAndItsDirectory()
    {
        _ = Store;

        Assert.True(File.Exists(DatabasePath));
    }

    [Fact]
    public void Open_UsesWriteAheadLogging()
    {
        Put([1], [1]);

        using var connection = new SqliteConnection($"Data Source={DatabasePath}");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", (string?)command.ExecuteScalar());
    }

    [Fact]
    public void Reopen_KeepsCommittedData()
    {
        Put([1, 2], [3, 4]);
        using (IWriteBatch uncommitted = Store.StartBatch())
        {
            uncommitted.Put([5], [6]);
        }

        Store.Dispose();
        using SqliteStore reopened = SqliteStore.Open(DatabasePath);

        Assert.Equal([3, 4], reopened.Get([1, 2]));
        Assert.Null(reopened.Get([5]));
    }

    [Fact]
    public void Open_RejectsAFileThatIsNotADatabase()
    {
        Directory.CreateDirectory(_directory);
        string garbage = Path.Combine(_directory, "garbage.db");
        File.WriteAllBytes(garbage, [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 31))]);

        var error = Assert.Throws<InvalidDataException>(() => SqliteStore.Open(garbage));
        Assert.Contains("not a SQLite database", error.Message, StringComparison.Ordinal);
        Assert.Contains(garbage, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_RejectsADatabaseWhoseKvTableHasAnotherShape()
    {
        Directory.CreateDirectory(_directory);
        string other = Path.Combine(_directory, "other.db");
        using (var connection = new SqliteConnection($"Data Source={other};Pooling=False"))
        {
            connection.Open();
            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE kv (id INTEGER PRIMARY KEY, name TEXT);";
            command.ExecuteNonQuery();
        }

        var error = Assert.Throws<InvalidDataException>(() => SqliteStore.Open(other));
        Assert.Contains("table kv has columns (id INTEGER pk, name TEXT)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Commit_ThatFailsMidway_LeavesNothing()
    {
        // A trigger rejects one key, so the commit fails after earlier rows of the batch were written.
        Put([0], [0]);
        using (var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False"))
        {
            connection.Open();
            using SqliteCommand trigger = connection.CreateCommand();
            trigger.CommandText = "CREATE TRIGGER reject AFTER INSERT ON kv WHEN NEW.key = x'ff' BEGIN SELECT RAISE(ABORT, 'rejected by test'); END;";
            trigger.ExecuteNonQuery();
        }

        using IWriteBatch batch = Store.StartBatch();
        batch.Put([1], [1]);
        batch.Delete([0]);
        batch.Put([0xff], [1]);
        batch.Put([2], [2]);

        Assert.Throws<SqliteException>(batch.Commit);
        Assert.Null(Store.Get([1]));
        Assert.Equal([0], Store.Get([0]));
        Assert.Null(Store.Get([2]));
    }

    [Fact]
    public void Commit_ThatFails_NamesTheStoreTheKeyAndSqlitesReason()
    {
        Put([0], [0]);
        AddRejectingTrigger();

        using IWriteBatch batch = Store.StartBatch();
        batch.Put([0xff], [1]);

        var error = Assert.Throws<SqliteException>(batch.Commit);
        Assert.Contains(DatabasePath, error.Message, StringComparison.Ordinal);
        Assert.Contains("write key 0xff", error.Message, StringComparison.Ordinal);
        Assert.Contains("rejected by test", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Store_KeepsWorkingAfterAFailedCommit()
    {
        Put([0], [0]);
        AddRejectingTrigger();
        using (IWriteBatch failing = Store.StartBatch())
        {
            failing.Put([1], [1]);
            failing.Put([0xff], [1]);
            Assert.Throws<SqliteException>(failing.Commit);
        }

        using (IWriteBatch next = Store.StartBatch())
        {
            next.Put([2], [2]);
            next.Delete([0]);
            next.Commit();
        }

        Assert.Equal([2], Store.Get([2]));
        Assert.False(Store.Contains([0]));
        Assert.False(Store.Contains([1]));
    }

    [Fact]
    public void Reads_SeeWhatAnotherConnectionCommittedAfterEarlierReads()
    {
        // Prepared statements are reused across reads; one left unreset would pin an old read snapshot.
        Put([1], [1]);
        Assert.Equal([1], Store.Get([1]));
        Assert.Null(Store.Get([2]));
        Assert.False(Store.Contains([2]));

        using (var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False"))
        {
            connection.Open();
            using SqliteCommand insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO kv (key, value) VALUES (x'02', x'0203'); UPDATE kv SET value = x'09' WHERE key = x'01';";
            insert.ExecuteNonQuery();
        }

        Assert.Equal([2, 3], Store.Get([2]));
        Assert.True(Store.Contains([2]));
        Assert.Equal([9], Store.Get([1]));
    }

    [Fact]
    public void Put_LargeValuesAndManyKeys_RoundTrip()
    {
        var random = new Random(7);
        var large = new byte[1 << 20];
        random.NextBytes(large);
        var keys = new byte[3_000][];
        using (IWriteBatch batch = Store.StartBatch())
        {
            batch.Put([0xaa], large);
            for (int i = 0; i < keys.Length; i++)
            {
                keys[i] = new byte[32];
                random.NextBytes(keys[i]);
                batch.Put(keys[i], keys[i].AsSpan(0, i % 33));
            }

            batch.Commit();
        }

        Assert.Equal(large, Store.Get([0xaa]));
        for (int i = 0; i < keys.Length; i++)
        {
            Assert.Equal(keys[i].AsSpan(0, i % 33).ToArray(), Store.Get(keys[i]));
        }
    }

    [Fact]
    public void Commit_OfShuffledPutsAndDeletesOnRepeatedKeys_MatchesApplyingThemInBatchOrder()
    {
        // The store writes a batch in key order; the model applies it in batch order. Few distinct keys of
        // different lengths (one a prefix of another) make repeats, put-after-delete and delete-after-put common.
        var random = new Random(11);
        byte[][] keys = [[], [0x00], [0x00, 0x00], [0x01], [0x7f, 0xff], [0x80], [0xff], [0xff, 0x00], [0xff, 0xff, 0xff]];
        var model = new Dictionary<string, byte[]>();
        for (int round = 0; round < 20; round++)
        {
            using IWriteBatch batch = Store.StartBatch();
            int operations = random.Next(1, 40);
            for (int i = 0; i < operations; i++)
            {
                byte[] key = keys[random.Next(keys.Length)];
                if (random.Next(3) == 0)
                {
                    batch.Delete(key);
                    model.Remove(Convert.ToHexString(key));
                }
                else
                {
                    byte[] value = [(byte)round, (byte)i];
                    batch.Put(key, value);
                    model[Convert.ToHexString(key)] = value;
                }
            }

            batch.Commit();
            foreach (byte[] key in keys)
            {
                Assert.Equal(model.GetValueOrDefault(Convert.ToHexString(key)), Store.Get(key));
            }
        }
    }

    [Fact]
    public void Commit_IsCheckpointedIntoTheDatabaseFileInTheBackground()
    {
        // 8 MiB is far below the safety-net autocheckpoint (128 MiB), so only the background checkpointer copies it
        // out of the WAL while the store stays open.
        WriteMegabytes(8, seed: 3);

        var file = new FileInfo(DatabasePath);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (file.Length < 8L << 20 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(20);
            file.Refresh();
        }

        Assert.True(file.Length >= 8L << 20, $"the database file is {file.Length} bytes; the committed 8 MiB stayed in the WAL");
    }

    [Fact]
    public void SmallCommits_AreCheckpointedIntoTheDatabaseFileAfterTheIdleDelay()
    {
        // 1 MiB in two commits stays below the bytes that request a checkpoint at once; the checkpointer copies it
        // anyway once it has waited IdleCheckpointDelay without a request.
        Assert.True(2L << 20 < SqliteStore.CheckpointBytes);
        WriteMegabytes(1, seed: 7);
        WriteMegabytes(1, seed: 8);

        var file = new FileInfo(DatabasePath);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (file.Length < 2L << 20 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(50);
            file.Refresh();
        }

        Assert.True(file.Length >= 2L << 20, $"the database file is {file.Length} bytes; the committed 2 MiB stayed in the WAL");
    }

    [Fact]
    public void Commit_IsDurableInTheWalWhetherOrNotACheckpointRan()
    {
        // A copy of the files taken right after the commit is what a kill at that moment leaves on disk.
        byte[][] keys = WriteMegabytes(6, seed: 5);
        string copy = Path.Combine(_directory, "copy");
        Directory.CreateDirectory(copy);
        File.Copy(DatabasePath + "-wal", Path.Combine(copy, "state.db-wal"));
        File.Copy(DatabasePath, Path.Combine(copy, "state.db"));

        using SqliteStore reopened = SqliteStore.Open(Path.Combine(copy, "state.db"));
        foreach (byte[] key in keys)
        {
            Assert.Equal(1024, reopened.Get(key)?.Length);
        }
    }

    private byte[][] WriteMegabytes(int megabytes, int seed)
    {
        var random = new Random(seed);
        var keys = new byte[megabytes * 1024][];
        using IWriteBatch batch = Store.StartBatch();
        var value = new byte[1024];
        for (int i = 0; i < keys.Length; i++)
        {
            keys[i] = new byte[32];
            random.NextBytes(keys[i]);
            random.NextBytes(value);
            batch.Put(keys[i], value);
        }

        batch.Commit();
        return keys;
    }

    [Fact]
    public void Reads_AfterDispose_ThrowObjectDisposed()
    {
        Put([1], [1]);
        Store.Dispose();

        Assert.Throws<ObjectDisposedException>(() => Store.Get([1]));
        Assert.Throws<ObjectDisposedException>(() => Store.Contains([1]));
        Assert.Throws<ObjectDisposedException>(() => Store.StartBatch());
    }

    private void AddRejectingTrigger()
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        using SqliteCommand trigger = connection.CreateCommand();
        trigger.CommandText = "CREATE TRIGGER reject AFTER INSERT ON kv WHEN NEW.key = x'ff' BEGIN SELECT RAISE(ABORT, 'rejected by test'); END;";
        trigger.ExecuteNonQuery();
    }
}
