using Trellis.Core;
using Trellis.Crypto;
using Trellis.State.Storage;

namespace Trellis.State.Trie;

/// <summary>
/// A <see cref="PatriciaTrie"/> whose keys are hashed with the suite hash before use, which keeps paths short and
/// balanced whatever the keys are: the trie of accounts (keyed by Hash(address)) and of each account's storage
/// (keyed by Hash(slot)). Not thread-safe.
/// </summary>
public sealed class SecureTrie
{
    private readonly PatriciaTrie _trie;
    private readonly ICryptoSuite _suite;

    /// <summary>Opens the trie whose root is <paramref name="root"/>; default or the empty root gives an empty trie.</summary>
    public SecureTrie(IKeyValueStore store, ICryptoSuite suite, Hash256 root = default)
    {
        _trie = new PatriciaTrie(store, suite, root);
        _suite = suite;
    }

    /// <summary>The suite whose hash keys and hashes this trie.</summary>
    public ICryptoSuite Suite => _suite;

    /// <summary>See <see cref="PatriciaTrie.ParallelRootHashing"/>.</summary>
    internal bool ParallelRootHashing
    {
        get => _trie.ParallelRootHashing;
        set => _trie.ParallelRootHashing = value;
    }

    /// <summary>The root hash; computing it hashes the nodes changed since the last call, and is free otherwise.</summary>
    public Hash256 RootHash => _trie.RootHash;

    /// <summary>The value stored under Hash(<paramref name="key"/>), or null.</summary>
    /// <summary>The value stored under the key whose suite hash is <paramref name="hashedKey"/>.</summary>
    internal byte[]? GetByHashedKey(ReadOnlySpan<byte> hashedKey) => _trie.Get(hashedKey);

    /// <summary>Sets the value under the key whose suite hash is <paramref name="hashedKey"/>.</summary>
    internal void SetByHashedKey(ReadOnlySpan<byte> hashedKey, ReadOnlySpan<byte> value) => _trie.Set(hashedKey, value);

    /// <summary>Deletes the key whose suite hash is <paramref name="hashedKey"/>.</summary>
    internal void DeleteByHashedKey(ReadOnlySpan<byte> hashedKey) => _trie.Delete(hashedKey);

    public byte[]? Get(ReadOnlySpan<byte> key)
    {
        Span<byte> hashed = stackalloc byte[Hash256.Length];
        _suite.Hash(key, hashed);
        return _trie.Get(hashed);
    }

    /// <summary>Stores the value under Hash(<paramref name="key"/>); an empty value deletes it.</summary>
    public void Set(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        Span<byte> hashed = stackalloc byte[Hash256.Length];
        _suite.Hash(key, hashed);
        _trie.Set(hashed, value);
    }

    /// <summary>Removes Hash(<paramref name="key"/>).</summary>
    public void Delete(ReadOnlySpan<byte> key)
    {
        Span<byte> hashed = stackalloc byte[Hash256.Length];
        _suite.Hash(key, hashed);
        _trie.Delete(hashed);
    }

    /// <summary>Writes the nodes created since the last commit into the batch and returns the root.</summary>
    public Hash256 Commit(IWriteBatch batch) => _trie.Commit(batch);

    /// <summary>The proof nodes for Hash(<paramref name="key"/>); see <see cref="PatriciaTrie.GetProof"/>.</summary>
    public IReadOnlyList<byte[]> GetProof(ReadOnlySpan<byte> key)
    {
        Span<byte> hashed = stackalloc byte[Hash256.Length];
        _suite.Hash(key, hashed);
        return _trie.GetProof(hashed);
    }

    /// <summary>Checks a proof for Hash(<paramref name="key"/>); see <see cref="PatriciaTrie.VerifyProof"/>.</summary>
    public static bool VerifyProof(ICryptoSuite suite, Hash256 root, ReadOnlySpan<byte> key, IReadOnlyList<byte[]> proof, out byte[]? value)
    {
        ArgumentNullException.ThrowIfNull(suite);
        Span<byte> hashed = stackalloc byte[Hash256.Length];
        suite.Hash(key, hashed);
        return PatriciaTrie.VerifyProof(suite, root, hashed, proof, out value);
    }

    /// <summary>The root of the secure trie holding <paramref name="entries"/>; see <see cref="PatriciaTrie.ComputeRoot"/>.</summary>
    public static Hash256 ComputeRoot(ICryptoSuite suite, IEnumerable<KeyValuePair<byte[], byte[]>> entries)
    {
        ArgumentNullException.ThrowIfNull(suite);
        ArgumentNullException.ThrowIfNull(entries);
        return PatriciaTrie.ComputeRoot(suite, HashKeys(suite, entries));
    }

    private static IEnumerable<KeyValuePair<byte[], byte[]>> HashKeys(ICryptoSuite suite, IEnumerable<KeyValuePair<byte[], byte[]>> entries)
    {
        foreach (KeyValuePair<byte[], byte[]> entry in entries)
        {
            yield return new(suite.Hash(entry.Key).ToArray(), entry.Value);
        }
    }
}
