namespace Trellis.State.Trie;

/// <summary>A leaf: the rest of the key's nibbles and the value.</summary>
internal sealed class LeafNode(byte[] path, byte[] value) : TrieNode
{
    /// <summary>The remaining key nibbles, one nibble per byte.</summary>
    public byte[] Path { get; set; } = path;

    /// <summary>The value stored under the key (never empty).</summary>
    public byte[] Value { get; set; } = value;
}
