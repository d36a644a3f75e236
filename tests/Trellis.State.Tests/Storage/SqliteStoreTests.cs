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
}
