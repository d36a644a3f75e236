using Trellis.Core;

namespace Trellis.State.Trie;

/// <summary>
/// A node of the in-memory trie. Nodes are mutated in place by their owning trie; any change clears the cached
/// encoding and hash, and the owner clears them on every node along the changed path.
/// </summary>
internal abstract class TrieNode
{
    private byte[]? _encoded;
    private Hash256 _hash;
    private bool _hasHash;

    /// <summary>True once the node (and its whole subtree) is in the store, or embedded in a node that is.</summary>
    public bool IsPersisted { get; set; }

    /// <summary>The node's RLP encoding if it is known (clean).</summary>
    public byte[]? CachedEncoding => _encoded;

    /// <summary>Forgets the encoding and hash after a change.</summary>
    public void MarkDirty()
    {
        _encoded = null;
        _hasHash = false;
        IsPersisted = false;
    }

    /// <summary>Records a known encoding (a freshly computed one, or the bytes the node was decoded from).</summary>
    public void SetEncoding(byte[] encoded)
    {
        _encoded = encoded;
        _hasHash = false;
    }

    /// <summary>Records the hash of the encoding when it is already known (a node loaded by hash).</summary>
    public void SetHash(in Hash256 hash)
    {
        _hash = hash;
        _hasHash = true;
    }

    /// <summary>The hash of the cached encoding, computed once.</summary>
    public Hash256 GetHash(Crypto.ICryptoSuite suite)
    {
        if (!_hasHash)
        {
            _hash = suite.Hash(_encoded!);
            _hasHash = true;
        }

        return _hash;
    }
}
