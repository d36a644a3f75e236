namespace Trellis.State.Storage;

/// <summary>A byte-keyed store of byte values; providers are <see cref="MemoryStore"/> and <see cref="SqliteStore"/>.</summary>
public interface IKeyValueStore : IDisposable
{
    /// <summary>The value stored under the key, or null if there is none.</summary>
    byte[]? Get(ReadOnlySpan<byte> key);

    /// <summary>True if a value is stored under the key.</summary>
    bool Contains(ReadOnlySpan<byte> key);

    /// <summary>Starts a batch of writes that become visible together at <see cref="IWriteBatch.Commit"/>.</summary>
    IWriteBatch StartBatch();

    /// <summary>
    /// The entries whose keys start with <paramref name="prefix"/>, in ascending unsigned byte order of key. Read
    /// lazily in pages: not a snapshot (a batch committed during the enumeration may or may not be seen), but never
    /// half a batch within one page.
    /// </summary>
    IEnumerable<KeyValuePair<byte[], byte[]>> Scan(ReadOnlySpan<byte> prefix);

    /// <summary>
    /// The entries with <paramref name="start"/> &lt;= key &lt; <paramref name="end"/> in ascending unsigned byte order;
    /// an empty <paramref name="end"/> means no upper bound. Read lazily in pages, as <see cref="Scan"/>.
    /// </summary>
    IEnumerable<KeyValuePair<byte[], byte[]>> ScanRange(ReadOnlySpan<byte> start, ReadOnlySpan<byte> end);
}
