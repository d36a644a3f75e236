using Trellis.Core;

namespace Trellis.State.Trie;

/// <summary>A reference by hash to a node that has not been loaded from the store yet.</summary>
internal sealed class HashNode : TrieNode
{
    public HashNode(in Hash256 hash)
    {
        Hash = hash;
        SetHash(hash);
        IsPersisted = true;
    }

    /// <summary>The hash of the referenced node's encoding (its key in the store).</summary>
    public Hash256 Hash { get; }

    /// <summary>The loaded node, once something has read through this reference.</summary>
    public TrieNode? Resolved { get; set; }
}
