using Trellis.Core;
using Trellis.State.Storage;

namespace Trellis.Consensus.HotStuff.Engine;

/// <summary>
/// A write batch that keeps what a world state commits (trie nodes and code, all keyed by their 32-byte hash) instead
/// of writing it: in order for the block's eventual commit, and by key for reads of speculative children.
/// </summary>
internal sealed class StateWrites : IWriteBatch
{
    private readonly List<KeyValuePair<byte[], byte[]>> _ordered = [];
    private readonly Dictionary<Hash256, byte[]> _byHash = [];
    private Dictionary<string, byte[]>? _other;

    /// <summary>The writes in order.</summary>
    public IReadOnlyList<KeyValuePair<byte[], byte[]>> Ordered => _ordered;

    /// <summary>Number of writes.</summary>
    public int Count => _ordered.Count;

    public void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        byte[] copy = value.ToArray();
        _ordered.Add(new(key.ToArray(), copy));
        if (key.Length == Hash256.Length)
        {
            _byHash[new Hash256(key)] = copy;
        }
        else
        {
            (_other ??= [])[Convert.ToHexString(key)] = copy;
        }
    }

    // A world state commit only adds content-addressed entries; nothing it writes is ever deleted.
    public void Delete(ReadOnlySpan<byte> key) =>
        throw new NotSupportedException($"a speculative state write never deletes; key of {key.Length} bytes");

    public void Commit()
    {
    }

    public void Dispose()
    {
    }

    /// <summary>The value written under the key, if any.</summary>
    public bool TryGet(ReadOnlySpan<byte> key, out byte[]? value)
    {
        if (key.Length == Hash256.Length)
        {
            return _byHash.TryGetValue(new Hash256(key), out value);
        }

        value = null;
        return _other is not null && _other.TryGetValue(Convert.ToHexString(key), out value);
    }
}
