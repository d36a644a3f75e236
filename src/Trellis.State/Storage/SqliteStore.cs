using Microsoft.Data.Sqlite;

namespace Trellis.State.Storage;

/// <summary>
/// An <see cref="IKeyValueStore"/> in one SQLite file: a single table <c>kv(key BLOB PRIMARY KEY, value BLOB)
/// WITHOUT ROWID</c> in WAL mode. Each batch commits in one SQLite transaction, so it is applied entirely or not at
/// all, even across a crash. Thread-safe: one connection, guarded by a lock.
/// </summary>
/// <remarks>
/// <c>synchronous=NORMAL</c>: in WAL mode this never corrupts the database and never exposes half a batch; a power
/// loss (not a process crash) can only lose the most recent commits. A node that loses its last blocks that way
/// restarts at an earlier committed block and catches up from its peers (DESIGN.md, "Storage"), so the fsync on
/// every commit that <c>FULL</c> costs buys nothing the consortium does not already have.
/// </remarks>
public sealed class SqliteStore : IKeyValueStore
{
    /// <summary>Rows read per lock acquisition by <see cref="ScanRange"/>.</summary>
    internal const int ScanPageSize = 256;

    // Guards _connection and the prepared commands: a SqliteConnection is not thread-safe.
    private readonly Lock _lock = new();
    private readonly string _path;
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _get;
    private readonly SqliteCommand _contains;
    private bool _disposed;

    private SqliteStore(string path, SqliteConnection connection)
    {
        _path = path;
        _connection = connection;
        _get = Prepare("SELECT value FROM kv WHERE key = $key");
        _contains = Prepare("SELECT 1 FROM kv WHERE key = $key");
    }

    /// <summary>The database file.</summary>
    public string Path => _path;

    /// <summary>Opens the store at <paramref name="path"/>, creating the file (and its directory) if missing.</summary>
    /// <exception cref="InvalidDataException">The file exists but is not a SQLite database, or its kv table has another shape.</exception>
    public static SqliteStore Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string fullPath = System.IO.Path.GetFullPath(path);
        string? directory = System.IO.Path.GetDirectoryName(fullPath);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            Execute(connection, "PRAGMA journal_mode=WAL;");
            Execute(connection, "PRAGMA synchronous=NORMAL;");
            Execute(connection, "CREATE TABLE IF NOT EXISTS kv (key BLOB PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;");
            CheckSchema(connection, fullPath);
            return new SqliteStore(fullPath, connection);
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 26 or 11)
        {
            // SQLITE_NOTADB (26) or SQLITE_CORRUPT (11): the file is something else, or damaged.
            connection.Dispose();
            throw new InvalidDataException($"cannot open key-value store \"{fullPath}\": the file is not a SQLite database ({e.Message})", e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public byte[]? Get(ReadOnlySpan<byte> key)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _get.Parameters[0].Value = key.ToArray();
            using SqliteDataReader reader = _get.ExecuteReader();
            return reader.Read() ? reader.GetFieldValue<byte[]>(0) : null;
        }
    }

    /// <inheritdoc/>
    public bool Contains(ReadOnlySpan<byte> key)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _contains.Parameters[0].Value = key.ToArray();
            return _contains.ExecuteScalar() is not null;
        }
    }

    /// <inheritdoc/>
    public IWriteBatch StartBatch()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new SqliteBatch(this);
    }

    /// <inheritdoc/>
    public IEnumerable<KeyValuePair<byte[], byte[]>> Scan(ReadOnlySpan<byte> prefix) => ScanRange(prefix, KeyRange.EndOfPrefix(prefix));

    /// <inheritdoc/>
    /// <remarks>
    /// Reads pages of <see cref="ScanPageSize"/> rows with <c>key &gt;= start AND key &lt; end ORDER BY key</c> (the
    /// primary key index; SQLite compares BLOBs with memcmp, then by length), each under the lock; the lock is never
    /// held while the caller consumes entries.
    /// </remarks>
    public IEnumerable<KeyValuePair<byte[], byte[]>> ScanRange(ReadOnlySpan<byte> start, ReadOnlySpan<byte> end)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return ScanPages(start.ToArray(), end.ToArray());
    }

    /// <summary>Closes the database; the WAL is checkpointed by SQLite when the last connection closes.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _get.Dispose();
            _contains.Dispose();
            _connection.Dispose();
        }
    }

    private IEnumerable<KeyValuePair<byte[], byte[]>> ScanPages(byte[] start, byte[] end)
    {
        byte[] from = start;
        bool inclusive = true;
        while (true)
        {
            List<KeyValuePair<byte[], byte[]>> page = ReadPage(from, inclusive, end);
            foreach (KeyValuePair<byte[], byte[]> entry in page)
            {
                yield return entry;
            }

            if (page.Count < ScanPageSize)
            {
                yield break;
            }

            from = page[^1].Key;
            inclusive = false;
        }
    }

    private List<KeyValuePair<byte[], byte[]>> ReadPage(byte[] from, bool inclusive, byte[] end)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using SqliteCommand command = _connection.CreateCommand();
            string lower = inclusive ? "key >= $from" : "key > $from";
            string upper = end.Length == 0 ? string.Empty : " AND key < $end";
            command.CommandText = $"SELECT key, value FROM kv WHERE {lower}{upper} ORDER BY key LIMIT {ScanPageSize}";
            command.Parameters.Add("$from", SqliteType.Blob).Value = from;
            if (end.Length != 0)
            {
                command.Parameters.Add("$end", SqliteType.Blob).Value = end;
            }

            var page = new List<KeyValuePair<byte[], byte[]>>(ScanPageSize);
            using SqliteDataReader reader = command.ExecuteReader();
            while (reader.Read())
            {
                page.Add(new(reader.GetFieldValue<byte[]>(0), reader.GetFieldValue<byte[]>(1)));
            }

            return page;
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static void CheckSchema(SqliteConnection connection, string path)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT name, type, pk FROM pragma_table_info('kv') ORDER BY cid";
        using SqliteDataReader reader = command.ExecuteReader();
        var columns = new List<string>();
        while (reader.Read())
        {
            columns.Add($"{reader.GetString(0)} {reader.GetString(1)}{(reader.GetInt64(2) > 0 ? " pk" : string.Empty)}");
        }

        string shape = string.Join(", ", columns);
        if (shape != "key BLOB pk, value BLOB")
        {
            throw new InvalidDataException(
                $"cannot open key-value store \"{path}\": its table kv has columns ({shape}), expected (key BLOB pk, value BLOB)");
        }
    }

    private SqliteCommand Prepare(string sql)
    {
        SqliteCommand command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.Add("$key", SqliteType.Blob);
        command.Prepare();
        return command;
    }

    private void Apply(List<(byte[] Key, byte[]? Value)> operations)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            using SqliteTransaction transaction = _connection.BeginTransaction();
            using SqliteCommand put = _connection.CreateCommand();
            put.Transaction = transaction;
            put.CommandText = "INSERT INTO kv (key, value) VALUES ($key, $value) ON CONFLICT(key) DO UPDATE SET value = excluded.value";
            SqliteParameter putKey = put.Parameters.Add("$key", SqliteType.Blob);
            SqliteParameter putValue = put.Parameters.Add("$value", SqliteType.Blob);
            put.Prepare();
            using SqliteCommand delete = _connection.CreateCommand();
            delete.Transaction = transaction;
            delete.CommandText = "DELETE FROM kv WHERE key = $key";
            SqliteParameter deleteKey = delete.Parameters.Add("$key", SqliteType.Blob);
            delete.Prepare();
            foreach ((byte[] key, byte[]? value) in operations)
            {
                if (value is null)
                {
                    deleteKey.Value = key;
                    delete.ExecuteNonQuery();
                }
                else
                {
                    putKey.Value = key;
                    putValue.Value = value;
                    put.ExecuteNonQuery();
                }
            }

            // Disposing an uncommitted transaction (an exception above) rolls it back: all or nothing.
            transaction.Commit();
        }
    }

    private sealed class SqliteBatch(SqliteStore store) : IWriteBatch
    {
        private readonly List<(byte[] Key, byte[]? Value)> _operations = [];
        private bool _done;

        public void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
        {
            EnsureOpen();
            _operations.Add((key.ToArray(), value.ToArray()));
        }

        public void Delete(ReadOnlySpan<byte> key)
        {
            EnsureOpen();
            _operations.Add((key.ToArray(), null));
        }

        public void Commit()
        {
            EnsureOpen();
            _done = true;
            store.Apply(_operations);
            _operations.Clear();
        }

        public void Dispose()
        {
            _done = true;
            _operations.Clear();
        }

        private void EnsureOpen()
        {
            if (_done)
            {
                throw new InvalidOperationException("write batch was already committed or disposed; start a new batch with StartBatch()");
            }
        }
    }
}
