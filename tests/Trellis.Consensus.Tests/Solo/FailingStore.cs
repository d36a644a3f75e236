using Trellis.State.Storage;

namespace Trellis.Consensus.Tests.Solo;

/// <summary>A memory store whose batches fail to commit once <see cref="FailCommits"/> is set (a full disk, say).</summary>
internal sealed class FailingStore : IKeyValueStore
{
    private readonly MemoryStore _inner = new();

    public bool FailCommits { get; set; }

    public byte[]? Get(ReadOnlySpan<byte> key) => _inner.Get(key);

    public bool Contains(ReadOnlySpan<byte> key) => _inner.Contains(key);

    public IWriteBatch StartBatch() => new Batch(this, _inner.StartBatch());

    public IEnumerable<KeyValuePair<byte[], byte[]>> Scan(ReadOnlySpan<byte> prefix) => _inner.Scan(prefix);

    public IEnumerable<KeyValuePair<byte[], byte[]>> ScanRange(ReadOnlySpan<byte> start, ReadOnlySpan<byte> end) => _inner.ScanRange(start, end);

    public void Dispose() => _inner.Dispose();

    private sealed class Batch(FailingStore owner, IWriteBatch inner) : IWriteBatch
    {
        public void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) => inner.Put(key, value);

        public void Delete(ReadOnlySpan<byte> key) => inner.Delete(key);

        public void Commit()
        {
            if (owner.FailCommits)
            {
                throw new IOException("disk full (injected)");
            }

            inner.Commit();
        }

        public void Dispose() => inner.Dispose();
    }
}
