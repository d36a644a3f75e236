namespace Trellis.State.Storage;

/// <summary>An in-memory <see cref="IKeyValueStore"/> for tests and throw-away state. Thread-safe.</summary>
public sealed class MemoryStore : IKeyValueStore
{
    // Guards _entries: a batch commit takes it once so readers never see half a batch.
    private readonly Lock _lock = new();
    private readonly Dictionary<byte[], byte[]> _entries = new(ByteArrayComparer.Instance);
    private readonly Dictionary<byte[], byte[]>.AlternateLookup<ReadOnlySpan<byte>> _lookup;

    /// <summary>Creates an empty store.</summary>
    public MemoryStore()
    {
        _lookup = _entries.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    /// <summary>The number of keys stored.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <inheritdoc/>
    public byte[]? Get(ReadOnlySpan<byte> key)
    {
        lock (_lock)
        {
            // Values are never mutated in place, so handing out the stored array would be safe for us, but a
            // caller could write into it; a copy keeps the store's contents under the store's control.
            return _lookup.TryGetValue(key, out byte[]? value) ? (byte[])value.Clone() : null;
        }
    }

    /// <inheritdoc/>
    public bool Contains(ReadOnlySpan<byte> key)
    {
        lock (_lock)
        {
            return _lookup.ContainsKey(key);
        }
    }

    /// <inheritdoc/>
    public IWriteBatch StartBatch() => new BufferedWriteBatch(Apply);

    /// <inheritdoc/>
    public IEnumerable<KeyValuePair<byte[], byte[]>> Scan(ReadOnlySpan<byte> prefix) => ScanRange(prefix, KeyRange.EndOfPrefix(prefix));

    /// <inheritdoc/>
    /// <remarks>The dictionary is unordered, so this copies the matching entries under the lock and sorts them.</remarks>
    public IEnumerable<KeyValuePair<byte[], byte[]>> ScanRange(ReadOnlySpan<byte> start, ReadOnlySpan<byte> end)
    {
        var matches = new List<KeyValuePair<byte[], byte[]>>();
        lock (_lock)
        {
            foreach (KeyValuePair<byte[], byte[]> entry in _entries)
            {
                if (KeyRange.Contains(entry.Key, start, end))
                {
                    matches.Add(new((byte[])entry.Key.Clone(), (byte[])entry.Value.Clone()));
                }
            }
        }

        matches.Sort(static (a, b) => a.Key.AsSpan().SequenceCompareTo(b.Key));
        return matches;
    }

    /// <summary>Nothing to release; present for the interface.</summary>
    public void Dispose()
    {
    }

    private void Apply(List<(byte[] Key, byte[]? Value)> operations)
    {
        lock (_lock)
        {
            foreach ((byte[] key, byte[]? value) in operations)
            {
                if (value is null)
                {
                    _entries.Remove(key);
                }
                else
                {
                    _entries[key] = value;
                }
            }
        }
    }
}
