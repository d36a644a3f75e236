using Trellis.Core;
using Trellis.Core.Rlp;
using Trellis.Crypto;

namespace Trellis.State.Trie;

/// <summary>
/// RLP encoding and decoding of trie nodes (yellow paper, appendix D): a leaf is [HP(path, leaf), value], an
/// extension [HP(path), child], a branch [child0 … child15, value]. A child whose encoding is shorter than 32 bytes
/// is embedded as it is; any other child is referenced by the hash of its encoding.
/// </summary>
internal static class TrieNodeCodec
{
    /// <summary>RLP of the empty string: the encoding of an empty trie and of an empty branch slot.</summary>
    public const byte EmptyString = 0x80;

    /// <summary>Returns the node's encoding, computing (and caching) it and those of its dirty descendants.</summary>
    public static byte[] Encode(TrieNode node, ICryptoSuite suite)
    {
        byte[]? cached = node.CachedEncoding;
        if (cached is not null)
        {
            return cached;
        }

        byte[] encoded = node switch
        {
            LeafNode leaf => EncodeLeaf(leaf),
            ExtensionNode extension => EncodeExtension(extension, suite),
            BranchNode branch => EncodeBranch(branch, suite),
            _ => throw new InvalidOperationException($"cannot encode a {node.GetType().Name}: its encoding was never loaded"),
        };
        node.SetEncoding(encoded);
        return encoded;
    }

    /// <summary>The hash a parent stores for the node: the hash of its encoding.</summary>
    public static Hash256 HashOf(TrieNode node, ICryptoSuite suite)
    {
        if (node is HashNode reference)
        {
            return reference.Hash;
        }

        Encode(node, suite);
        return node.GetHash(suite);
    }

    /// <summary>True if the node is referenced by hash (encoding of 32 bytes or more), not embedded.</summary>
    public static bool IsReferencedByHash(TrieNode node, ICryptoSuite suite) =>
        node is HashNode || Encode(node, suite).Length >= Hash256.Length;

    /// <summary>Decodes a node from its encoding; <paramref name="path"/> is used in error messages only.</summary>
    /// <exception cref="TrieException">The bytes are not a valid trie node.</exception>
    public static TrieNode Decode(ReadOnlySpan<byte> encoded, ReadOnlySpan<byte> path)
    {
        try
        {
            var reader = new RlpReader(encoded);
            if (reader.PeekKind() != RlpItemKind.List)
            {
                throw Invalid(path, "a trie node must be an RLP list");
            }

            RlpReader list = reader.ReadList();
            reader.EnsureEnd();
            TrieNode node = DecodeList(list, path);
            node.SetEncoding(encoded.ToArray());
            node.IsPersisted = true;
            return node;
        }
        catch (RlpException e)
        {
            throw new TrieException($"invalid trie node at path {Nibbles.Format(path)}: {e.Message}", e);
        }
    }

    private static TrieNode DecodeList(RlpReader list, ReadOnlySpan<byte> path)
    {
        int count = CountItems(list);
        if (count == 2)
        {
            byte[] nibbles = Nibbles.DecodeHexPrefix(list.ReadBytes(), out bool isLeaf, out string? error)
                ?? throw Invalid(path, error!);
            if (isLeaf)
            {
                ReadOnlySpan<byte> value = list.ReadBytes();
                if (value.IsEmpty)
                {
                    throw Invalid(path, "a leaf has an empty value (empty values are deletions and are never stored)");
                }

                return new LeafNode(nibbles, value.ToArray());
            }

            if (nibbles.Length == 0)
            {
                throw Invalid(path, "an extension has an empty path");
            }

            TrieNode child = ReadChild(ref list, path, "the extension's child")
                ?? throw Invalid(path, "an extension has an empty child");
            return new ExtensionNode(nibbles, child);
        }

        if (count == 17)
        {
            var branch = new BranchNode();
            for (int i = 0; i < 16; i++)
            {
                branch.Children[i] = ReadChild(ref list, path, Slots[i]);
            }

            ReadOnlySpan<byte> value = list.ReadBytes();
            branch.Value = value.IsEmpty ? null : value.ToArray();
            return branch;
        }

        throw Invalid(path, $"a trie node is a list of 2 (leaf, extension) or 17 (branch) items, not {count}");
    }

    private static readonly string[] Slots = [.. Enumerable.Range(0, 16).Select(i => $"branch child {i:x}")];

    private static TrieNode? ReadChild(ref RlpReader list, ReadOnlySpan<byte> path, string slot)
    {
        if (list.PeekKind() == RlpItemKind.List)
        {
            ReadOnlySpan<byte> embedded = list.ReadEncodedItem();
            if (embedded.Length >= Hash256.Length)
            {
                throw Invalid(path, $"{slot} is embedded with {embedded.Length} bytes; nodes of 32 bytes or more must be referenced by hash");
            }

            var inner = new RlpReader(embedded);
            TrieNode node = DecodeList(inner.ReadList(), path);
            node.SetEncoding(embedded.ToArray());
            node.IsPersisted = true;
            return node;
        }

        ReadOnlySpan<byte> reference = list.ReadBytes();
        if (reference.IsEmpty)
        {
            return null;
        }

        if (reference.Length != Hash256.Length)
        {
            throw Invalid(path, $"{slot} is a {reference.Length}-byte string; a reference must be empty or a 32-byte hash");
        }

        return new HashNode(new Hash256(reference));
    }

    private static int CountItems(RlpReader list)
    {
        int count = 0;
        while (list.HasMore)
        {
            list.SkipItem();
            count++;
        }

        return count;
    }

    private static TrieException Invalid(ReadOnlySpan<byte> path, string rule) =>
        new($"invalid trie node at path {Nibbles.Format(path)}: {rule}");

    private static byte[] EncodeLeaf(LeafNode leaf)
    {
        int pathLength = Nibbles.EncodedLength(leaf.Path.Length);
        Span<byte> hexPrefix = pathLength <= 64 ? stackalloc byte[pathLength] : new byte[pathLength];
        Nibbles.EncodeHexPrefix(leaf.Path, isLeaf: true, hexPrefix);
        int payload = RlpWriter.LengthOfBytes(hexPrefix) + RlpWriter.LengthOfBytes(leaf.Value);
        var encoded = new byte[RlpWriter.LengthOfList(payload)];
        int offset = WriteHeader(encoded, payload, 0xc0);
        offset += WriteString(encoded.AsSpan(offset), hexPrefix);
        WriteString(encoded.AsSpan(offset), leaf.Value);
        return encoded;
    }

    private static byte[] EncodeExtension(ExtensionNode extension, ICryptoSuite suite)
    {
        int pathLength = Nibbles.EncodedLength(extension.Path.Length);
        Span<byte> hexPrefix = pathLength <= 64 ? stackalloc byte[pathLength] : new byte[pathLength];
        Nibbles.EncodeHexPrefix(extension.Path, isLeaf: false, hexPrefix);
        int payload = RlpWriter.LengthOfBytes(hexPrefix) + ReferenceLength(extension.Child, suite);
        var encoded = new byte[RlpWriter.LengthOfList(payload)];
        int offset = WriteHeader(encoded, payload, 0xc0);
        offset += WriteString(encoded.AsSpan(offset), hexPrefix);
        WriteReference(encoded.AsSpan(offset), extension.Child, suite);
        return encoded;
    }

    private static byte[] EncodeBranch(BranchNode branch, ICryptoSuite suite)
    {
        int payload = branch.Value is null ? 1 : RlpWriter.LengthOfBytes(branch.Value);
        TrieNode?[] children = branch.Children;
        for (int i = 0; i < 16; i++)
        {
            payload += children[i] is { } child ? ReferenceLength(child, suite) : 1;
        }

        var encoded = new byte[RlpWriter.LengthOfList(payload)];
        int offset = WriteHeader(encoded, payload, 0xc0);
        for (int i = 0; i < 16; i++)
        {
            if (children[i] is { } child)
            {
                offset += WriteReference(encoded.AsSpan(offset), child, suite);
            }
            else
            {
                encoded[offset++] = EmptyString;
            }
        }

        if (branch.Value is null)
        {
            encoded[offset] = EmptyString;
        }
        else
        {
            WriteString(encoded.AsSpan(offset), branch.Value);
        }

        return encoded;
    }

    private static int ReferenceLength(TrieNode child, ICryptoSuite suite)
    {
        if (child is HashNode)
        {
            return 1 + Hash256.Length;
        }

        int length = Encode(child, suite).Length;
        return length < Hash256.Length ? length : 1 + Hash256.Length;
    }

    private static int WriteReference(Span<byte> destination, TrieNode child, ICryptoSuite suite)
    {
        if (child is not HashNode)
        {
            byte[] encoded = Encode(child, suite);
            if (encoded.Length < Hash256.Length)
            {
                encoded.CopyTo(destination);
                return encoded.Length;
            }
        }

        destination[0] = 0x80 + Hash256.Length;
        HashOf(child, suite).CopyTo(destination[1..]);
        return 1 + Hash256.Length;
    }

    private static int WriteString(Span<byte> destination, ReadOnlySpan<byte> value)
    {
        if (value.Length == 1 && value[0] < 0x80)
        {
            destination[0] = value[0];
            return 1;
        }

        int offset = WriteHeader(destination, value.Length, 0x80);
        value.CopyTo(destination[offset..]);
        return offset + value.Length;
    }

    private static int WriteHeader(Span<byte> destination, int length, int shortBase)
    {
        if (length < 56)
        {
            destination[0] = (byte)(shortBase + length);
            return 1;
        }

        int lengthOfLength = (32 - System.Numerics.BitOperations.LeadingZeroCount((uint)length) + 7) / 8;
        destination[0] = (byte)(shortBase + 55 + lengthOfLength);
        for (int i = lengthOfLength; i >= 1; i--)
        {
            destination[i] = (byte)length;
            length >>= 8;
        }

        return 1 + lengthOfLength;
    }
}
