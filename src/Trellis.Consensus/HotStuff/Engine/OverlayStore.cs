using Trellis.State.Storage;

namespace Trellis.Consensus.HotStuff.Engine;

/// <summary>
/// Reads through the captured state changes of a chain of uncommitted blocks (newest first) to the node's store, so
/// a block executes on its uncommitted parent's state. Read-only: a world state over it commits into a
/// <see cref="StateWrites"/> instead. Entries are content-addressed, so a layer whose block has meanwhile been
/// committed still answers correctly.
/// </summary>
internal sealed class OverlayStore(SpeculativeBlock? top, IKeyValueStore store) : IKeyValueStore
{
    public byte[]? Get(ReadOnlySpan<byte> key)
    {
        for (var layer = top; layer is not null; layer = layer.Parent)
        {
            if (layer.Writes.TryGet(key, out byte[]? value))
            {
                // Handed to the trie as a read buffer; the trie never writes into it.
                return value;
            }
        }

        return store.Get(key);
    }

    public bool Contains(ReadOnlySpan<byte> key)
    {
        for (var layer = top; layer is not null; layer = layer.Parent)
        {
            if (layer.Writes.TryGet(key, out _))
            {
                return true;
            }
        }

        return store.Contains(key);
    }

    public IWriteBatch StartBatch() => throw new NotSupportedException("the speculative overlay is read-only; commit a world state into a StateWrites");

    public IEnumerable<KeyValuePair<byte[], byte[]>> Scan(ReadOnlySpan<byte> prefix) => store.Scan(prefix);

    public IEnumerable<KeyValuePair<byte[], byte[]>> ScanRange(ReadOnlySpan<byte> start, ReadOnlySpan<byte> end) => store.ScanRange(start, end);

    public void Dispose()
    {
    }
}
