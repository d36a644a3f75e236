using System.Runtime.CompilerServices;
using Trellis.Core;
using Trellis.Crypto;

namespace Trellis.State.Trie;

/// <summary>The root hash of an empty trie, Hash(RLP("")) = Hash(0x80), cached per suite.</summary>
internal static class EmptyTrie
{
    private static readonly ConditionalWeakTable<ICryptoSuite, StrongBox<Hash256>> Roots = [];

    /// <summary>Hash(0x80) under the suite's hash.</summary>
    public static Hash256 RootOf(ICryptoSuite suite) =>
        Roots.GetValue(suite, static s => new StrongBox<Hash256>(s.Hash([TrieNodeCodec.EmptyString]))).Value;
}
