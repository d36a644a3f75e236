using Trellis.Core;
using Trellis.Core.Rlp;
using Trellis.Crypto;
using Trellis.State.Storage;

namespace Trellis.Ledger.Verification;

/// <summary>
/// Walks a stored state trie (accounts, then each account's storage trie and code) and checks that every node
/// reached by hash is present and hashes to its key. Nodes already checked (by an earlier block) are skipped, so
/// a damaged node is reported for the first block whose state contains it, and a whole chain costs one visit per
/// distinct node.
/// </summary>
internal sealed class StateTrieWalker
{
    private readonly IKeyValueStore _store;
    private readonly ICryptoSuite _suite;
    private readonly Hash256 _emptyRoot;
    private readonly Hash256 _emptyCodeHash;
    private readonly HashSet<Hash256> _checked = [];

    public StateTrieWalker(IKeyValueStore store, ICryptoSuite suite)
    {
        _store = store;
        _suite = suite;
        _emptyRoot = suite.Hash([0x80]);
        _emptyCodeHash = suite.Hash([]);
    }

    /// <summary>Checks the state under <paramref name="stateRoot"/>; returns null or what is wrong.</summary>
    public string? Check(Hash256 stateRoot)
    {
        // An explicit stack: a hostile store could nest nodes deeply enough to exhaust the call stack.
        var pending = new Stack<(Hash256 Hash, bool IsAccountTrie)>();
        if (stateRoot != _emptyRoot)
        {
            pending.Push((stateRoot, true));
        }

        var leaves = new List<byte[]>();
        var references = new List<Hash256>();
        while (pending.Count > 0)
        {
            (Hash256 hash, bool isAccountTrie) = pending.Pop();
            if (_checked.Contains(hash))
            {
                continue;
            }

            string trie = isAccountTrie ? "account trie" : "storage trie";
            byte[]? node = _store.Get(hash.Bytes);
            if (node is null)
            {
                return $"{trie} node {hash} is missing from the store";
            }

            Hash256 actual = _suite.Hash(node);
            if (actual != hash)
            {
                return $"{trie} node {hash} is corrupt: its stored bytes hash to {actual}";
            }

            leaves.Clear();
            references.Clear();
            try
            {
                ReadNode(node, references, leaves, depth: 0);
            }
            catch (RlpException e)
            {
                return $"{trie} node {hash} does not decode as a trie node: {e.Message}";
            }

            _checked.Add(hash);
            foreach (Hash256 child in references)
            {
                pending.Push((child, isAccountTrie));
            }

            if (!isAccountTrie)
            {
                continue;
            }

            foreach (byte[] account in leaves)
            {
                string? problem = CheckAccount(account, pending);
                if (problem is not null)
                {
                    return $"account in node {hash}: {problem}";
                }
            }
        }

        return null;
    }

    private string? CheckAccount(byte[] encoded, Stack<(Hash256 Hash, bool IsAccountTrie)> pending)
    {
        Hash256 storageRoot;
        Hash256 codeHash;
        try
        {
            var reader = new RlpReader(encoded);
            RlpReader fields = reader.ReadList();
            reader.EnsureEnd();
            fields.SkipItem();
            fields.SkipItem();
            storageRoot = ReadHash(ref fields, "storage root");
            codeHash = ReadHash(ref fields, "code hash");
            fields.EnsureEnd();
        }
        catch (RlpException e)
        {
            return $"the account does not decode as [nonce, balance, storageRoot, codeHash]: {e.Message}";
        }

        if (storageRoot != _emptyRoot)
        {
            pending.Push((storageRoot, false));
        }

        if (codeHash != _emptyCodeHash && _checked.Add(codeHash))
        {
            byte[]? code = _store.Get(codeHash.Bytes);
            if (code is null)
            {
                _checked.Remove(codeHash);
                return $"code {codeHash} is missing from the store";
            }

            Hash256 actual = _suite.Hash(code);
            if (actual != codeHash)
            {
                _checked.Remove(codeHash);
                return $"code {codeHash} is corrupt: its stored bytes hash to {actual}";
            }
        }

        return null;
    }

    // Collects the hash references and leaf values of one node, descending into nodes embedded inline (< 32 bytes).
    private static void ReadNode(ReadOnlySpan<byte> encoded, List<Hash256> references, List<byte[]> leaves, int depth)
    {
        if (depth > 64)
        {
            throw new RlpException("inline nodes nest more than 64 deep");
        }

        var reader = new RlpReader(encoded);
        RlpReader list = reader.ReadList();
        reader.EnsureEnd();
        int count = 0;
        var probe = list;
        while (probe.HasMore)
        {
            probe.SkipItem();
            count++;
        }

        if (count == 17)
        {
            for (int i = 0; i < 16; i++)
            {
                ReadChild(ref list, references, leaves, depth);
            }

            ReadOnlySpan<byte> value = list.ReadBytes();
            if (!value.IsEmpty)
            {
                leaves.Add(value.ToArray());
            }

            list.EnsureEnd();
            return;
        }

        if (count != 2)
        {
            throw new RlpException($"a trie node is a list of 2 or 17 items, not {count}");
        }

        ReadOnlySpan<byte> path = list.ReadBytes();
        if (path.IsEmpty || (path[0] >> 4) > 3)
        {
            throw new RlpException("the node's hex-prefix path has no valid flag nibble");
        }

        if ((path[0] >> 4) >= 2)
        {
            leaves.Add(list.ReadBytes().ToArray());
        }
        else
        {
            ReadChild(ref list, references, leaves, depth);
        }

        list.EnsureEnd();
    }

    private static void ReadChild(ref RlpReader list, List<Hash256> references, List<byte[]> leaves, int depth)
    {
        if (list.PeekKind() == RlpItemKind.List)
        {
            ReadNode(list.ReadEncodedItem(), references, leaves, depth + 1);
            return;
        }

        ReadOnlySpan<byte> child = list.ReadBytes();
        if (child.Length == Hash256.Length)
        {
            references.Add(new Hash256(child));
        }
        else if (!child.IsEmpty)
        {
            throw new RlpException($"a child reference is 32 bytes or empty, not {child.Length}");
        }
    }

    private static Hash256 ReadHash(ref RlpReader fields, string name)
    {
        ReadOnlySpan<byte> bytes = fields.ReadBytes();
        return bytes.Length == Hash256.Length ? new Hash256(bytes) : throw new RlpException($"{name} is {bytes.Length} bytes, not 32");
    }
}
