using System.Diagnostics;
using Trellis.State.Storage;

namespace Trellis.Benchmarks.Support;

/// <summary>
/// Passes everything to an inner store and adds up the time its batches spend in <see cref="IWriteBatch.Commit"/>
/// (for SQLite: the inserts and the transaction commit), so a block's commit splits into building the batch
/// (state trie hashing and encoding) and writing it.
/// </summary>
internal sealed class TimedKeyValueStore(IKeyValueStore inner) : IKeyValueStore
{
    /// <summary>Wall-clock seconds spent in inner batch commits.</summary>
    public double CommitSeconds { get; private set; }

    /// <summary>Thread CPU seconds spent in inner batch commits.</summary>
    public double CommitCpuSeconds { get; private set; }

    /// <summary>Puts and deletes sent to the inner store.</summary>
    public long Writes { get; private set; }

    /// <summary>Sets the counters to zero.</summary>
    public void Reset()
    {
        CommitSeconds = 0;
        CommitCpuSeconds = 0;
        Writes = 0;
    }

    public byte[]? Get(ReadOnlySpan<byte> key) => inner.Get(key);

    public bool Contains(ReadOnlySpan<byte> key) => inner.Contains(key);

    public IEnumerable<KeyValuePair<byte[], byte[]>> Scan(ReadOnlySpan<byte> prefix) => inner.Scan(prefix);

    public IEnumerable<KeyValuePair<byte[], byte[]>> ScanRange(ReadOnlySpan<byte> start, ReadOnlySpan<byte> end) => inner.ScanRange(start, end);

    public IWriteBatch StartBatch() => new TimedBatch(this, inner.StartBatch());

    public void Dispose() => inner.Dispose();

    private sealed class TimedBatch(TimedKeyValueStore owner, IWriteBatch batch) : IWriteBatch
    {
        public void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
        {
            owner.Writes++;
            batch.Put(key, value);
        }

        public void Delete(ReadOnlySpan<byte> key)
        {
            owner.Writes++;
            batch.Delete(key);
        }

        public void Commit()
        {
            long start = Stopwatch.GetTimestamp();
            double cpu = CpuClock.ThreadSeconds();
            batch.Commit();
            owner.CommitCpuSeconds += CpuClock.ThreadSeconds() - cpu;
            owner.CommitSeconds += Stopwatch.GetElapsedTime(start).TotalSeconds;
        }

        public void Dispose() => batch.Dispose();
    }
}
