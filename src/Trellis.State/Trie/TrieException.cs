namespace Trellis.State.Trie;

/// <summary>A trie cannot be read: a node is missing from the store or its encoding is not a valid trie node.</summary>
public sealed class TrieException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public TrieException()
        : base("trie error")
    {
    }

    /// <summary>Creates the exception with a message naming the node and the rule it broke.</summary>
    public TrieException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public TrieException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
