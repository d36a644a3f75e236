namespace Trellis.State.Storage;

/// <summary>
/// A group of writes to an <see cref="IKeyValueStore"/>: nothing is visible until <see cref="Commit"/>, and
/// <see cref="Commit"/> is atomic (all or nothing). Disposing without committing discards the writes.
/// </summary>
public interface IWriteBatch : IDisposable
{
    /// <summary>Stores the value under the key when the batch commits.</summary>
    void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value);

    /// <summary>Removes the key when the batch commits.</summary>
    void Delete(ReadOnlySpan<byte> key);

    /// <summary>Applies every write of the batch atomically.</summary>
    void Commit();
}
