using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Trellis.State.Storage;

/// <summary>
/// An <see cref="IKeyValueStore"/> in one SQLite file: a single table <c>kv(key BLOB PRIMARY KEY, value BLOB)
/// WITHOUT ROWID</c> in WAL mode. Each batch commits in one SQLite transaction, so it is applied entirely or not at
/// all, even across a crash. Thread-safe: one connection, guarded by a lock.
/// </summary>
/// <remarks>
/// <para>
/// Point reads and batch writes go through SQLite's own prepared statements (SQLitePCLRaw, under
/// Microsoft.Data.Sqlite), prepared once per store and bound from spans: a block commit writes tens of thousands of
/// rows and executing a block reads thousands of trie nodes, and the ADO.NET command path (a command execution, a
/// data reader and a boxed parameter per row) cost more than SQLite's own B-tree work.
/// </para>
/// <para>
/// <c>synchronous=NORMAL</c>: in WAL mode this never corrupts the database and never exposes half a batch; a power
/// loss (not a process crash) can only lose the most recent commits. A node that loses its last blocks that way
/// restarts at an earlier committed block and catches up from its peers (DESIGN.md, "Storage"), so the fsync on
/// every commit that <c>FULL</c> costs buys nothing the consortium does not already have.
/// </para>
/// <para>
/// A 64 MiB page cache (<c>cache_size</c>; SQLite's default is 2 MiB) keeps the pages a block commit touches in memory
/// instead of spilling them to the WAL mid-transaction, and memory-mapped reads (<c>mmap_size</c>, the first GiB of the
/// file) spare executing a block a read system call and a copy per cold trie node. Both change only speed: writes still
/// go through the WAL, so what a commit makes durable is unchanged.
/// </para>
/// <para>
/// WAL checkpoints (copying committed pages from the WAL into the database file) run on a background thread with its
/// own connection, not in the commit: a block commit writes more than SQLite's default autocheckpoint threshold, so
/// each one used to pay a checkpoint on the committing thread. The thread checkpoints once every
/// <see cref="CheckpointBytes"/> of commits (a few full blocks), or a second after smaller commits, so a page that
/// consecutive blocks rewrite is copied to the database file once. Durability is unchanged:
/// a batch is durable once it is in the WAL, before any checkpoint; a kill mid-checkpoint leaves the WAL, which the
/// next open replays. The autocheckpoint remains at <see cref="SafetyCheckpointPages"/> as a bound on the WAL.
/// </para>
/// </remarks>
public sealed class SqliteStore : IKeyValueStore
{
    /// <summary>
    /// WAL size in pages (4 KiB each) at which a commit checkpoints on its own thread: only a safety net for when the
    /// background checkpointer falls behind; SQLite's default, 1,000 pages, made every block commit checkpoint.
    /// </summary>
    internal const int SafetyCheckpointPages = 32_768;

    /// <summary>Rows read per lock acquisition by <see cref="ScanRange"/>.</summary>
    internal const int ScanPageSize = 256;

    // Guards _connection and the prepared statements: a SQLite connection and its statements are not thread-safe.
    private readonly Lock _lock = new();
    private readonly string _path;
    private readonly SqliteConnection _connection;
    private readonly sqlite3 _database;
    private readonly sqlite3_stmt _get;
    private readonly sqlite3_stmt _contains;
    private readonly sqlite3_stmt _put;
    private readonly sqlite3_stmt _delete;
    private bool _disposed;

    /// <summary>
    /// Bytes of keys and values committed since the last checkpoint request at which the next commit requests one.
    /// Several blocks' pages go to the database file in one checkpoint: a trie page rewritten by consecutive blocks is
    /// copied once, and the checkpoint's two fsyncs are paid once, instead of once per block.
    /// </summary>
    internal const long CheckpointBytes = 8L << 20;

    /// <summary>How long the checkpointer waits for a request before it copies whatever smaller commits left.</summary>
    internal static readonly TimeSpan IdleCheckpointDelay = TimeSpan.FromSeconds(1);

    // The WAL checkpointer: a background thread with its own connection, woken once CheckpointBytes were committed
    // or after IdleCheckpointDelay with commits pending (see remarks).
    private readonly AutoResetEvent _checkpointRequested = new(false);
    private Thread? _checkpointer;
    private volatile bool _stopping;
    private long _bytesSinceCheckpoint; // guarded by _lock
    private volatile bool _checkpointPending;

    private SqliteStore(string path, SqliteConnection connection)
    {
        _path = path;
        _connection = connection;
        _database = connection.Handle ?? throw new InvalidOperationException($"key-value store \"{path}\": the connection is open but has no SQLite handle");
        _get = Prepare("SELECT value FROM kv WHERE key = ?1");
        _contains = Prepare("SELECT 1 FROM kv WHERE key = ?1");
        _put = Prepare("INSERT INTO kv (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
        _delete = Prepare("DELETE FROM kv WHERE key = ?1");
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
            Execute(connection, "PRAGMA cache_size=-65536;");
            Execute(connection, "PRAGMA mmap_size=1073741824;");
            Execute(connection, $"PRAGMA wal_autocheckpoint={SafetyCheckpointPages};");
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
            try
            {
                Check(raw.sqlite3_bind_blob(_get, 1, key), "bind a key");
                int result = raw.sqlite3_step(_get);
                if (result == raw.SQLITE_ROW)
                {
                    return raw.sqlite3_column_blob(_get, 0).ToArray();
                }

                Check(result, raw.SQLITE_DONE, "read a key");
                return null;
            }
            finally
            {
                raw.sqlite3_reset(_get);
            }
        }
    }

    /// <inheritdoc/>
    public bool Contains(ReadOnlySpan<byte> key)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                Check(raw.sqlite3_bind_blob(_contains, 1, key), "bind a key");
                int result = raw.sqlite3_step(_contains);
                if (result == raw.SQLITE_ROW)
                {
                    return true;
                }

                Check(result, raw.SQLITE_DONE, "look up a key");
                return false;
            }
            finally
            {
                raw.sqlite3_reset(_contains);
            }
        }
    }

    /// <inheritdoc/>
    public IWriteBatch StartBatch()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new BufferedWriteBatch(Apply);
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
            StopCheckpointer();
            _get.Dispose();
            _contains.Dispose();
            _put.Dispose();
            _delete.Dispose();
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

    private sqlite3_stmt Prepare(string sql)
    {
        Check(raw.sqlite3_prepare_v2(_database, sql, out sqlite3_stmt statement), $"prepare \"{sql}\"");
        return statement;
    }

    private void Check(int result, string action) => Check(result, raw.SQLITE_OK, action);

    private void Check(int result, int expected, string action)
    {
        if (result != expected)
        {
            throw Failure(result, action);
        }
    }

    // Reads SQLite's message before the statement is reset, which may replace it.
    private SqliteException Failure(int result, string action) =>
        new($"key-value store \"{_path}\": cannot {action}: SQLite error {result}: {raw.sqlite3_errmsg(_database).utf8_to_string()}", result);

    private void Apply(List<(byte[] Key, byte[]? Value)> operations)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            int[] order = SortedOrder(operations);
            long bytes = 0;
            using SqliteTransaction transaction = _connection.BeginTransaction();
            foreach (int index in order)
            {
                (byte[] key, byte[]? value) = operations[index];
                bytes += key.Length + (value?.Length ?? 0);
                sqlite3_stmt statement = value is null ? _delete : _put;
                try
                {
                    Check(raw.sqlite3_bind_blob(statement, 1, key), "bind a key");
                    if (value is not null)
                    {
                        Check(raw.sqlite3_bind_blob(statement, 2, value), "bind a value");
                    }

                    int stepped = raw.sqlite3_step(statement);
                    if (stepped != raw.SQLITE_DONE)
                    {
                        // Built only on failure: the message names the key, which costs a string per row.
                        throw Failure(stepped, $"{(value is null ? "delete" : "write")} key 0x{Convert.ToHexStringLower(key)}");
                    }
                }
                finally
                {
                    raw.sqlite3_reset(statement);
                }
            }

            // Disposing an uncommitted transaction (an exception above) rolls it back: all or nothing.
            transaction.Commit();
            RequestCheckpoint(bytes);
        }
    }

    /// <summary>
    /// The operations' indices in key order, ties in batch order. A block's trie nodes have random (hash) keys; writing
    /// them in key order walks the B-tree from left to right, so consecutive writes land on the same or the next
    /// page instead of a random one. Ties keep their batch order, so the last write of a key still wins.
    /// </summary>
    internal static int[] SortedOrder(List<(byte[] Key, byte[]? Value)> operations)
    {
        int[] order = new int[operations.Count];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (a, b) =>
        {
            int byKey = operations[a].Key.AsSpan().SequenceCompareTo(operations[b].Key);
            return byKey != 0 ? byKey : a.CompareTo(b);
        });
        return order;
    }

    // Called under _lock after a commit of `bytes`. The thread starts with the first commit: a store only read never
    // needs it.
    private void RequestCheckpoint(long bytes)
    {
        if (_checkpointer is null)
        {
            _checkpointer = new Thread(RunCheckpointer) { IsBackground = true, Name = "SQLite WAL checkpointer" };
            _checkpointer.Start();
        }

        _checkpointPending = true;
        _bytesSinceCheckpoint += bytes;
        if (_bytesSinceCheckpoint >= CheckpointBytes)
        {
            _bytesSinceCheckpoint = 0;
            _checkpointRequested.Set();
        }
    }

    // Called under _lock by Dispose; the checkpointer never takes _lock, so joining it here cannot deadlock.
    private void StopCheckpointer()
    {
        _stopping = true;
        _checkpointRequested.Set();
        _checkpointer?.Join();
        _checkpointRequested.Dispose();
    }

    private void RunCheckpointer()
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = _path,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false,
        }.ToString());
        try
        {
            connection.Open();
        }
        catch (SqliteException)
        {
            // Without its own connection the checkpointer cannot run; the safety-net autocheckpoint and closing the
            // store still checkpoint, so the store keeps working. An exception here would end the process.
            return;
        }

        while (true)
        {
            bool requested = _checkpointRequested.WaitOne(IdleCheckpointDelay);
            if (_stopping)
            {
                return;
            }

            if (!requested && !_checkpointPending)
            {
                continue;
            }

            // Cleared before the checkpoint: a commit racing with it sets the flag again and is copied next time.
            _checkpointPending = false;

            try
            {
                // PASSIVE: copies what it can without waiting for or blocking the writer; what it leaves, the next
                // request (or the safety-net autocheckpoint, or closing the store) copies.
                Execute(connection, "PRAGMA wal_checkpoint(PASSIVE);");
            }
            catch (SqliteException)
            {
                // A busy or failed checkpoint loses nothing: the WAL still holds every committed batch.
            }
        }
    }
}
