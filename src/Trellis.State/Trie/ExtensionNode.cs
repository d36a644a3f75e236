namespace Trellis.State.Trie;

/// <summary>An extension: a shared run of nibbles followed by one child (always a branch in a normalised trie).</summary>
internal sealed class ExtensionNode(byte[] path, TrieNode child) : TrieNode
{
    /// <summary>The shared nibbles, one per byte; never empty.</summary>
    public byte[] Path { get; set; } = path;

    /// <summary>The node after the shared nibbles.</summary>
    public TrieNode Child { get; set; } = child;
}
