using Trellis.Core;
using Trellis.Crypto;
using Trellis.State.Storage;

namespace Trellis.State.Trie;

/// <summary>
/// Ethereum's modified Merkle Patricia trie (yellow paper, appendix D) over a key-value store, hashed with a crypto
/// suite's hash (Keccak-256 in the standard suite, SM3 in the national one). Nodes load from the store on demand
/// and change in memory; <see cref="Commit"/> writes the new nodes. Not thread-safe: one owner at a time.
/// </summary>
public sealed class PatriciaTrie
{
    // Keys up to this many bytes get their nibbles on the stack.
    private const int StackKeyLimit = 128;

    private readonly IKeyValueStore _store;
    private readonly ICryptoSuite _suite;
    private readonly Hash256 _emptyRoot;
    private TrieNode? _root;

    /// <summary>
    /// Dirty children of the root branch needed before <see cref="RootHash"/> hashes them on several cores: below
    /// this the subtries are too small to pay for scheduling.
    /// </summary>
    internal const int ParallelDirtyChildren = 4;

    /// <summary>Opens the trie whose root is <paramref name="root"/>; default or the empty root gives an empty trie.</summary>
    /// <remarks>Nodes are read lazily: a root missing from the store is reported on first access.</remarks>
    public PatriciaTrie(IKeyValueStore store, ICryptoSuite suite, Hash256 root = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(suite);
        _store = store;
        _suite = suite;
        _emptyRoot = EmptyTrie.RootOf(suite);
        if (root != default && root != _emptyRoot)
        {
            _root = new HashNode(root);
        }
    }

    /// <summary>The suite whose hash this trie uses.</summary>
    public ICryptoSuite Suite => _suite;

    /// <summary>
    /// When true, computing the root hashes the dirty subtries under the root branch in parallel (the world state sets
    /// it for the account trie, which a block changes in thousands of places). The result is the same: each subtrie
    /// is disjoint and hashing is pure; only the order of the work changes.
    /// </summary>
    internal bool ParallelRootHashing { get; set; }

    /// <summary>The root hash; computing it hashes the nodes changed since the last call, and is free otherwise.</summary>
    public Hash256 RootHash => _root is null ? _emptyRoot : RootHashOf(_root);

    /// <summary>The value stored under <paramref name="key"/>, or null if there is none.</summary>
    /// <exception cref="TrieException">A node on the key's path is missing from the store or invalid.</exception>
    public byte[]? Get(ReadOnlySpan<byte> key)
    {
        Span<byte> nibbles = key.Length <= StackKeyLimit ? stackalloc byte[key.Length * 2] : new byte[key.Length * 2];
        Nibbles.FromBytes(key, nibbles);
        TrieNode? node = _root;
        int position = 0;
        while (node is not null)
        {
            node = Resolve(node, nibbles[..position]);
            switch (node)
            {
                case LeafNode leaf:
                    return nibbles[position..].SequenceEqual(leaf.Path) ? (byte[])leaf.Value.Clone() : null;
                case ExtensionNode extension:
                    if (!nibbles[position..].StartsWith(extension.Path))
                    {
                        return null;
                    }

                    position += extension.Path.Length;
                    node = extension.Child;
                    break;
                default:
                    var branch = (BranchNode)node;
                    if (position == nibbles.Length)
                    {
                        return (byte[]?)branch.Value?.Clone();
                    }

                    node = branch.Children[nibbles[position++]];
                    break;
            }
        }

        return null;
    }

    /// <summary>Stores <paramref name="value"/> under <paramref name="key"/>; an empty value deletes the key.</summary>
    /// <exception cref="TrieException">A node on the key's path is missing from the store or invalid.</exception>
    public void Set(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty)
        {
            Delete(key);
            return;
        }

        Span<byte> nibbles = key.Length <= StackKeyLimit ? stackalloc byte[key.Length * 2] : new byte[key.Length * 2];
        Nibbles.FromBytes(key, nibbles);
        _root = Insert(_root, nibbles, 0, value.ToArray());
    }

    /// <summary>Removes <paramref name="key"/>; removing an absent key changes nothing.</summary>
    /// <exception cref="TrieException">A node on the key's path is missing from the store or invalid.</exception>
    public void Delete(ReadOnlySpan<byte> key)
    {
        Span<byte> nibbles = key.Length <= StackKeyLimit ? stackalloc byte[key.Length * 2] : new byte[key.Length * 2];
        Nibbles.FromBytes(key, nibbles);
        bool changed = false;
        _root = Remove(_root, nibbles, 0, ref changed);
    }

    /// <summary>
    /// Writes every node created since the last commit into <paramref name="batch"/> (key = hash of the node's
    /// encoding, value = the encoding; the root is always written by hash, even when it is short) and returns the root.
    /// </summary>
    public Hash256 Commit(IWriteBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (_root is null)
        {
            return _emptyRoot;
        }

        Hash256 root = RootHashOf(_root);
        Persist(_root, batch, isRoot: true);
        return root;
    }

    /// <summary>
    /// The encodings of the nodes referenced by hash on the path from the root to <paramref name="key"/>, root
    /// first; they prove the key's value, or its absence, against <see cref="RootHash"/>. Nodes embedded in their
    /// parent are part of the parent's encoding. An empty trie's proof is the single node 0x80.
    /// </summary>
    /// <exception cref="TrieException">A node on the key's path is missing from the store or invalid.</exception>
    public IReadOnlyList<byte[]> GetProof(ReadOnlySpan<byte> key)
    {
        var proof = new List<byte[]>();
        if (_root is null)
        {
            proof.Add([TrieNodeCodec.EmptyString]);
            return proof;
        }

        Span<byte> nibbles = key.Length <= StackKeyLimit ? stackalloc byte[key.Length * 2] : new byte[key.Length * 2];
        Nibbles.FromBytes(key, nibbles);
        TrieNode? node = _root;
        int position = 0;
        while (node is not null)
        {
            bool isHashed = node == _root || TrieNodeCodec.IsReferencedByHash(node, _suite);
            node = Resolve(node, nibbles[..position]);
            if (isHashed)
            {
                proof.Add((byte[])TrieNodeCodec.Encode(node, _suite).Clone());
            }

            switch (node)
            {
                case LeafNode:
                    return proof;
                case ExtensionNode extension:
                    if (!nibbles[position..].StartsWith(extension.Path))
                    {
                        return proof;
                    }

                    position += extension.Path.Length;
                    node = extension.Child;
                    break;
                default:
                    var branch = (BranchNode)node;
                    if (position == nibbles.Length)
                    {
                        return proof;
                    }

                    node = branch.Children[nibbles[position++]];
                    break;
            }
        }

        return proof;
    }

    /// <summary>
    /// Checks a proof from <see cref="GetProof"/> against <paramref name="root"/>. Returns true with the value, or
    /// with null when the proof shows the key is absent; returns false when the proof is invalid (a node whose hash
    /// does not match its reference, a missing node, a malformed node, or nodes left over).
    /// </summary>
    public static bool VerifyProof(ICryptoSuite suite, Hash256 root, ReadOnlySpan<byte> key, IReadOnlyList<byte[]> proof, out byte[]? value)
    {
        ArgumentNullException.ThrowIfNull(suite);
        ArgumentNullException.ThrowIfNull(proof);
        value = null;
        if (root == EmptyTrie.RootOf(suite) || root == default)
        {
            // An empty trie proves every key absent; its proof is its (empty) root node, or nothing.
            return proof.Count == 0 || (proof.Count == 1 && proof[0] is [TrieNodeCodec.EmptyString]);
        }

        Span<byte> nibbles = key.Length <= StackKeyLimit ? stackalloc byte[key.Length * 2] : new byte[key.Length * 2];
        Nibbles.FromBytes(key, nibbles);
        Hash256 expected = root;
        int index = 0;
        int position = 0;
        try
        {
            while (true)
            {
                if (index >= proof.Count || proof[index] is not { } encoded || suite.Hash(encoded) != expected)
                {
                    return false;
                }

                index++;
                TrieNode? node = TrieNodeCodec.Decode(encoded, nibbles[..position]);

                // Walk down through nodes embedded in this one until the key ends or a hashed child is next.
                while (true)
                {
                    switch (node)
                    {
                        case null:
                            return index == proof.Count;
                        case LeafNode leaf:
                            value = nibbles[position..].SequenceEqual(leaf.Path) ? leaf.Value : null;
                            return index == proof.Count;
                        case ExtensionNode extension:
                            if (!nibbles[position..].StartsWith(extension.Path))
                            {
                                return index == proof.Count;
                            }

                            position += extension.Path.Length;
                            node = extension.Child;
                            break;
                        case BranchNode branch:
                            if (position == nibbles.Length)
                            {
                                value = branch.Value;
                                return index == proof.Count;
                            }

                            node = branch.Children[nibbles[position++]];
                            break;
                        case HashNode reference:
                            expected = reference.Hash;
                            goto NextProofNode;
                    }
                }

            NextProofNode:
                ;
            }
        }
        catch (TrieException)
        {
            value = null;
            return false;
        }
    }

    /// <summary>
    /// The root of the trie holding <paramref name="entries"/> (later duplicates win; empty values are absent),
    /// built directly from the sorted keys without a store: the fast path for transaction and receipt roots.
    /// </summary>
    public static Hash256 ComputeRoot(ICryptoSuite suite, IEnumerable<KeyValuePair<byte[], byte[]>> entries)
    {
        ArgumentNullException.ThrowIfNull(suite);
        ArgumentNullException.ThrowIfNull(entries);
        TrieNode? root = TrieBuilder.Build(entries);
        return root is null ? EmptyTrie.RootOf(suite) : suite.Hash(TrieNodeCodec.Encode(root, suite));
    }

    /// <summary>Lists every key and value in key order (for tests and state dumps), loading nodes as needed.</summary>
    internal IEnumerable<KeyValuePair<byte[], byte[]>> Enumerate()
    {
        var results = new List<KeyValuePair<byte[], byte[]>>();
        Collect(_root, [], results);
        return results;
    }

    private Hash256 RootHashOf(TrieNode root)
    {
        if (root is HashNode reference)
        {
            return reference.Hash;
        }

        if (ParallelRootHashing && root is BranchNode branch && root.CachedEncoding is null)
        {
            HashChildrenInParallel(branch, _suite);
        }

        TrieNodeCodec.Encode(root, _suite);
        return root.GetHash(_suite);
    }

    // Encodes and hashes the branch's dirty children, one subtrie per work item; the branch itself is left to the caller.
    private static void HashChildrenInParallel(BranchNode branch, ICryptoSuite suite)
    {
        TrieNode?[] children = branch.Children;
        int dirty = 0;
        for (int i = 0; i < children.Length; i++)
        {
            if (children[i] is { } child && child is not HashNode && child.CachedEncoding is null)
            {
                dirty++;
            }
        }

        if (dirty < ParallelDirtyChildren)
        {
            return;
        }

        Parallel.For(0, children.Length, i =>
        {
            if (children[i] is { } child && child is not HashNode && child.CachedEncoding is null)
            {
                if (TrieNodeCodec.Encode(child, suite).Length >= Hash256.Length)
                {
                    child.GetHash(suite);
                }
            }
        });
    }

    private TrieNode Resolve(TrieNode node, ReadOnlySpan<byte> path)
    {
        if (node is not HashNode reference)
        {
            return node;
        }

        if (reference.Resolved is { } resolved)
        {
            return resolved;
        }

        byte[] encoded = _store.Get(reference.Hash.Bytes)
            ?? throw new TrieException($"missing trie node {reference.Hash} at path {Nibbles.Format(path)}: the store has no node with that hash");
        TrieNode loaded = TrieNodeCodec.Decode(encoded, path);
        loaded.SetHash(reference.Hash);
        reference.Resolved = loaded;
        return loaded;
    }

    private TrieNode Insert(TrieNode? node, ReadOnlySpan<byte> nibbles, int position, byte[] value)
    {
        ReadOnlySpan<byte> rest = nibbles[position..];
        if (node is null)
        {
            return new LeafNode(rest.ToArray(), value);
        }

        node = Resolve(node, nibbles[..position]);
        switch (node)
        {
            case LeafNode leaf:
                {
                    int common = Nibbles.CommonPrefixLength(leaf.Path, rest);
                    if (common == leaf.Path.Length && common == rest.Length)
                    {
                        if (!leaf.Value.AsSpan().SequenceEqual(value))
                        {
                            leaf.Value = value;
                            leaf.MarkDirty();
                        }

                        return leaf;
                    }

                    var branch = new BranchNode();
                    if (common == leaf.Path.Length)
                    {
                        branch.Value = leaf.Value;
                    }
                    else
                    {
                        branch.Children[leaf.Path[common]] = new LeafNode(leaf.Path[(common + 1)..], leaf.Value);
                    }

                    PlaceNew(branch, rest, common, value);
                    return common > 0 ? new ExtensionNode(rest[..common].ToArray(), branch) : branch;
                }

            case ExtensionNode extension:
                {
                    int common = Nibbles.CommonPrefixLength(extension.Path, rest);
                    if (common == extension.Path.Length)
                    {
                        extension.Child = Insert(extension.Child, nibbles, position + common, value);
                        extension.MarkDirty();
                        return extension;
                    }

                    var branch = new BranchNode();
                    branch.Children[extension.Path[common]] = common + 1 < extension.Path.Length
                        ? new ExtensionNode(extension.Path[(common + 1)..], extension.Child)
                        : extension.Child;
                    PlaceNew(branch, rest, common, value);
                    return common > 0 ? new ExtensionNode(rest[..common].ToArray(), branch) : branch;
                }

            default:
                {
                    var branch = (BranchNode)node;
                    if (rest.IsEmpty)
                    {
                        branch.Value = value;
                    }
                    else
                    {
                        int slot = rest[0];
                        branch.Children[slot] = Insert(branch.Children[slot], nibbles, position + 1, value);
                    }

                    branch.MarkDirty();
                    return branch;
                }
        }
    }

    private static void PlaceNew(BranchNode branch, ReadOnlySpan<byte> rest, int common, byte[] value)
    {
        if (common == rest.Length)
        {
            branch.Value = value;
        }
        else
        {
            branch.Children[rest[common]] = new LeafNode(rest[(common + 1)..].ToArray(), value);
        }
    }

    private TrieNode? Remove(TrieNode? node, ReadOnlySpan<byte> nibbles, int position, ref bool changed)
    {
        if (node is null)
        {
            return null;
        }

        ReadOnlySpan<byte> rest = nibbles[position..];
        node = Resolve(node, nibbles[..position]);
        switch (node)
        {
            case LeafNode leaf:
                if (rest.SequenceEqual(leaf.Path))
                {
                    changed = true;
                    return null;
                }

                return leaf;

            case ExtensionNode extension:
                {
                    if (!rest.StartsWith(extension.Path))
                    {
                        return extension;
                    }

                    TrieNode? child = Remove(extension.Child, nibbles, position + extension.Path.Length, ref changed);
                    if (!changed)
                    {
                        return extension;
                    }

                    return child is null ? null : JoinPath(extension.Path, -1, child, nibbles[..(position + extension.Path.Length)], extension);
                }

            default:
                {
                    var branch = (BranchNode)node;
                    if (rest.IsEmpty)
                    {
                        if (branch.Value is null)
                        {
                            return branch;
                        }

                        branch.Value = null;
                        changed = true;
                    }
                    else
                    {
                        int slot = rest[0];
                        TrieNode? child = Remove(branch.Children[slot], nibbles, position + 1, ref changed);
                        if (!changed)
                        {
                            return branch;
                        }

                        branch.Children[slot] = child;
                    }

                    branch.MarkDirty();
                    return Normalize(branch, nibbles[..position]);
                }
        }
    }

    // A branch left with one entry is no longer a branch: it becomes a leaf (value only) or merges with its one child.
    private TrieNode? Normalize(BranchNode branch, ReadOnlySpan<byte> path)
    {
        int only = -1;
        for (int i = 0; i < 16; i++)
        {
            if (branch.Children[i] is not null)
            {
                if (only >= 0)
                {
                    return branch;
                }

                only = i;
            }
        }

        if (only < 0)
        {
            return branch.Value is null ? null : new LeafNode([], branch.Value);
        }

        if (branch.Value is not null)
        {
            return branch;
        }

        return JoinPath([], only, branch.Children[only]!, Nibbles.Concat(path, only, []), reuse: null);
    }

    // Prefixes a child with nibbles: leaf and extension children absorb them; a branch gets an extension in front.
    private TrieNode JoinPath(ReadOnlySpan<byte> prefix, int nibble, TrieNode child, ReadOnlySpan<byte> childPath, ExtensionNode? reuse)
    {
        child = Resolve(child, childPath);
        switch (child)
        {
            case LeafNode leaf:
                return new LeafNode(Nibbles.Concat(prefix, nibble, leaf.Path), leaf.Value);
            case ExtensionNode extension:
                return new ExtensionNode(Nibbles.Concat(prefix, nibble, extension.Path), extension.Child);
            default:
                if (reuse is not null)
                {
                    reuse.Child = child;
                    reuse.MarkDirty();
                    return reuse;
                }

                return new ExtensionNode(Nibbles.Concat(prefix, nibble, []), child);
        }
    }

    private void Persist(TrieNode node, IWriteBatch batch, bool isRoot)
    {
        if (node.IsPersisted)
        {
            return;
        }

        byte[] encoded = TrieNodeCodec.Encode(node, _suite);
        switch (node)
        {
            case ExtensionNode extension:
                Persist(extension.Child, batch, isRoot: false);
                break;
            case BranchNode branch:
                foreach (TrieNode? child in branch.Children)
                {
                    if (child is not null)
                    {
                        Persist(child, batch, isRoot: false);
                    }
                }

                break;
        }

        if (isRoot || encoded.Length >= Hash256.Length)
        {
            batch.Put(node.GetHash(_suite).Bytes, encoded);
        }

        node.IsPersisted = true;
    }

    private void Collect(TrieNode? node, byte[] path, List<KeyValuePair<byte[], byte[]>> results)
    {
        if (node is null)
        {
            return;
        }

        node = Resolve(node, path);
        switch (node)
        {
            case LeafNode leaf:
                results.Add(new(ToKey(Nibbles.Concat(path, -1, leaf.Path)), (byte[])leaf.Value.Clone()));
                break;
            case ExtensionNode extension:
                Collect(extension.Child, Nibbles.Concat(path, -1, extension.Path), results);
                break;
            case BranchNode branch:
                if (branch.Value is not null)
                {
                    results.Add(new(ToKey(path), (byte[])branch.Value.Clone()));
                }

                for (int i = 0; i < 16; i++)
                {
                    Collect(branch.Children[i], Nibbles.Concat(path, i, []), results);
                }

                break;
        }
    }

    private static byte[] ToKey(byte[] nibbles)
    {
        var key = new byte[nibbles.Length / 2];
        for (int i = 0; i < key.Length; i++)
        {
            key[i] = (byte)((nibbles[2 * i] << 4) | nibbles[(2 * i) + 1]);
        }

        return key;
    }
}
