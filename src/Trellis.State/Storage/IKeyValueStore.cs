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
}
