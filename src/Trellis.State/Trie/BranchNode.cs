namespace Trellis.State.Trie;

/// <summary>A branch: sixteen children indexed by the next nibble, and the value of a key that ends here.</summary>
internal sealed class BranchNode : TrieNode
{
    /// <summary>The children; null where no key continues with that nibble.</summary>
    public TrieNode?[] Children { get; } = new TrieNode?[16];

    /// <summary>The value of the key ending at this branch, or null.</summary>
    public byte[]? Value { get; set; }
}
