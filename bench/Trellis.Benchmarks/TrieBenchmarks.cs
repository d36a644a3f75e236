using BenchmarkDotNet.Attributes;
using Trellis.Core;
using Trellis.Crypto;
using Trellis.Crypto.Standard;
using Trellis.State.Storage;
using Trellis.State.Trie;

namespace Trellis.Benchmarks;

/// <summary>
/// The Merkle Patricia trie with the standard suite (Keccak-256) over a memory store: inserting 10,000 random
/// 32-byte keys (32-byte values, like storage slots) and computing the root, the same root built from sorted keys,
/// and reads from a committed trie. Reference: Keccak-256 of one 100-byte leaf-sized input per key, a lower bound
/// on any trie that must hash at least every leaf once.
/// </summary>
[MemoryDiagnoser]
public class TrieBenchmarks
{
    private const int KeyCount = 10_000;
    private const int ReadCount = 1_000;

    private readonly ICryptoSuite _suite = StandardSuite.Instance;
    private byte[][] _keys = [];
    private byte[][] _values = [];
    private KeyValuePair<byte[], byte[]>[] _entries = [];
    private byte[] _leafSized = new byte[100];
    private MemoryStore _store = new();
    private Hash256 _root;
    private PatriciaTrie _warm = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(10_000);
        _keys = new byte[KeyCount][];
        _values = new byte[KeyCount][];
        _entries = new KeyValuePair<byte[], byte[]>[KeyCount];
        for (int i = 0; i < KeyCount; i++)
        {
            _keys[i] = new byte[32];
            _values[i] = new byte[32];
            random.NextBytes(_keys[i]);
            random.NextBytes(_values[i]);
            _entries[i] = new(_keys[i], _values[i]);
        }

        random.NextBytes(_leafSized);
        _store = new MemoryStore();
        var trie = new PatriciaTrie(_store, _suite);
        for (int i = 0; i < KeyCount; i++)
        {
            trie.Set(_keys[i], _values[i]);
        }

        using IWriteBatch batch = _store.StartBatch();
        _root = trie.Commit(batch);
        batch.Commit();
        _warm = new PatriciaTrie(_store, _suite, _root);
        for (int i = 0; i < KeyCount; i++)
        {
            _warm.Get(_keys[i]);
        }
    }

    /// <summary>10,000 inserts into an empty trie, then the root (every node hashed once).</summary>
    [Benchmark(OperationsPerInvoke = KeyCount)]
    public Hash256 Insert10kThenRoot()
    {
        var trie = new PatriciaTrie(new MemoryStore(), _suite);
        for (int i = 0; i < KeyCount; i++)
        {
            trie.Set(_keys[i], _values[i]);
        }

        return trie.RootHash;
    }

    /// <summary>The same root from the sorted-build fast path (transaction and receipt roots).</summary>
    [Benchmark(OperationsPerInvoke = KeyCount)]
    public Hash256 ComputeRoot10k() => PatriciaTrie.ComputeRoot(_suite, _entries);

    /// <summary>Reference: one Keccak-256 of a leaf-sized input per key.</summary>
    [Benchmark(OperationsPerInvoke = KeyCount, Baseline = true)]
    public Hash256 KeccakPerKeyReference()
    {
        Hash256 last = default;
        for (int i = 0; i < KeyCount; i++)
        {
            _leafSized[0] = (byte)i;
            last = _suite.Hash(_leafSized);
        }

        return last;
    }

    /// <summary>Reads from a trie reopened at the committed root: nodes load from the store and decode on first use.</summary>
    [Benchmark(OperationsPerInvoke = ReadCount)]
    public int GetFromReopenedTrie()
    {
        var trie = new PatriciaTrie(_store, _suite, _root);
        int found = 0;
        for (int i = 0; i < ReadCount; i++)
        {
            found += trie.Get(_keys[i * 7]) is null ? 0 : 1;
        }

        return found;
    }

    /// <summary>Reads from a committed trie whose nodes are already loaded.</summary>
    [Benchmark(OperationsPerInvoke = ReadCount)]
    public int GetFromLoadedTrie()
    {
        int found = 0;
        for (int i = 0; i < ReadCount; i++)
        {
            found += _warm.Get(_keys[i * 7]) is null ? 0 : 1;
        }

        return found;
    }
}
