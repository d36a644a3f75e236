using System.Text;
using System.Text.Json;
using Trellis.Core;
using Trellis.Crypto;
using Trellis.State.Storage;
using Trellis.State.Trie;

namespace Trellis.State.Tests.Trie;

public sealed class TrieProofTests
{
    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    // 300 random 32-byte keys (hashed nodes) plus the "puppy" fixture keys (short, embedded nodes).
    private static (PatriciaTrie Trie, Dictionary<string, byte[]> Entries) BuildTrie(ICryptoSuite suite)
    {
        var store = new MemoryStore();
        var trie = new PatriciaTrie(store, suite);
        var entries = new Dictionary<string, byte[]>();
        var random = new Random(11);
        for (int i = 0; i < 300; i++)
        {
            var key = new byte[32];
            random.NextBytes(key);
            byte[] value = new byte[random.Next(1, 70)];
            random.NextBytes(value);
            trie.Set(key, value);
            entries[Convert.ToHexString(key)] = value;
        }

        foreach ((string key, string value) in new[] { ("do", "verb"), ("dog", "puppy"), ("doge", "coin"), ("horse", "stallion") })
        {
            trie.Set(Utf8(key), Utf8(value));
            entries[Convert.ToHexString(Utf8(key))] = Utf8(value);
        }

        using IWriteBatch batch = store.StartBatch();
        Hash256 root = trie.Commit(batch);
        batch.Commit();
        return (new PatriciaTrie(store, suite, root), entries);
    }

    [Fact]
    public void Proof_OfEveryPresentKey_VerifiesWithItsValue()
    {
        (PatriciaTrie trie, Dictionary<string, byte[]> entries) = BuildTrie(Suites.Standard);
        foreach ((string hex, byte[] value) in entries)
        {
            byte[] key = Convert.FromHexString(hex);
            IReadOnlyList<byte[]> proof = trie.GetProof(key);

            Assert.True(PatriciaTrie.VerifyProof(Suites.Standard, trie.RootHash, key, proof, out byte[]? proven));
            Assert.Equal(value, proven);
            Assert.Equal(trie.RootHash, Keccak256.Hash(proof[0]));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("d")]
    [InlineData("dogs")]
    [InlineData("dox")]
    [InlineData("horses")]
    [InlineData("zebra")]
    public void Proof_OfAnAbsentKey_VerifiesAsAbsent(string key)
    {
        (PatriciaTrie trie, _) = BuildTrie(Suites.Standard);

        Assert.True(PatriciaTrie.VerifyProof(Suites.Standard, trie.RootHash, Utf8(key), trie.GetProof(Utf8(key)), out byte[]? value));
        Assert.Null(value);
    }

    [Fact]
    public void Proof_OfAbsentRandomKeys_VerifiesAsAbsent()
    {
        (PatriciaTrie trie, _) = BuildTrie(Suites.Standard);
        var random = new Random(5);
        for (int i = 0; i < 200; i++)
        {
            var key = new byte[32];
            random.NextBytes(key);

            Assert.True(PatriciaTrie.VerifyProof(Suites.Standard, trie.RootHash, key, trie.GetProof(key), out byte[]? value));
            Assert.Null(value);
        }
    }

    [Fact]
    public void Proof_WithATamperedNode_IsRejected()
    {
        (PatriciaTrie trie, Dictionary<string, byte[]> entries) = BuildTrie(Suites.Standard);
        byte[] key = Convert.FromHexString(entries.Keys.First());
        IReadOnlyList<byte[]> proof = trie.GetProof(key);
        for (int node = 0; node < proof.Count; node++)
        {
            for (int position = 0; position < proof[node].Length; position += 7)
            {
                List<byte[]> tampered = [.. proof.Select(p => (byte[])p.Clone())];
                tampered[node][position] ^= 0x01;

                Assert.False(PatriciaTrie.VerifyProof(Suites.Standard, trie.RootHash, key, tampered, out byte[]? value));
                Assert.Null(value);
            }
        }
    }

    [Fact]
    public void Proof_ForAnotherKey_DoesNotProveAValueForThisOne()
    {
        (PatriciaTrie trie, Dictionary<string, byte[]> entries) = BuildTrie(Suites.Standard);
        byte[][] keys = [.. entries.Keys.Take(2).Select(Convert.FromHexString)];

        // The other key's path diverges from this key's at some node the proof lacks, or proves absence.
        bool valid = PatriciaTrie.VerifyProof(Suites.Standard, trie.RootHash, keys[0], trie.GetProof(keys[1]), out byte[]? value);
        Assert.True(!valid || value is null);
    }

    [Fact]
    public void Proof_AgainstAWrongRoot_IsRejected()
    {
        (PatriciaTrie trie, _) = BuildTrie(Suites.Standard);
        IReadOnlyList<byte[]> proof = trie.GetProof(Utf8("dog"));
        var wrongRoot = Hash256.Parse("0x" + new string('a', 64));

        Assert.False(PatriciaTrie.VerifyProof(Suites.Standard, wrongRoot, Utf8("dog"), proof, out _));
        Assert.False(PatriciaTrie.VerifyProof(Suites.National, trie.RootHash, Utf8("dog"), proof, out _));
    }

    [Fact]
    public void Proof_Truncated_IsRejected()
    {
        (PatriciaTrie trie, Dictionary<string, byte[]> entries) = BuildTrie(Suites.Standard);
        foreach (string hex in entries.Keys.Take(20))
        {
            byte[] key = Convert.FromHexString(hex);
            IReadOnlyList<byte[]> proof = trie.GetProof(key);
            Assert.True(proof.Count > 1);

            Assert.False(PatriciaTrie.VerifyProof(Suites.Standard, trie.RootHash, key, [.. proof.Take(proof.Count - 1)], out _));
            Assert.False(PatriciaTrie.VerifyProof(Suites.Standard, trie.RootHash, key, [], out _));
        }
    }

    [Fact]
    public void Proof_WithExtraOrReorderedNodes_IsRejected()
    {
        (PatriciaTrie trie, Dictionary<string, byte[]> entries) = BuildTrie(Suites.Standard);
        byte[] key = Convert.FromHexString(entries.Keys.First());
        IReadOnlyList<byte[]> proof = trie.GetProof(key);

        Assert.False(PatriciaTrie.VerifyProof(Suites.Standard, trie.RootHash, key, [.. proof, proof[^1]], out _));
        Assert.False(PatriciaTrie.VerifyProof(Suites.Standard, trie.RootHash, key, [.. proof.Reverse()], out _));
    }

    [Fact]
    public void Proof_WithGarbageNodes_IsRejectedWithoutThrowing()
    {
        (PatriciaTrie trie, _) = BuildTrie(Suites.Standard);

        Assert.False(PatriciaTrie.VerifyProof(Suites.Standard, trie.RootHash, [1], [[]], out _));
        Assert.False(PatriciaTrie.VerifyProof(Suites.Standard, trie.RootHash, [1], [[0xff, 0xff]], out _));
        Assert.False(PatriciaTrie.VerifyProof(Suites.Standard, trie.RootHash, [1], [null!], out _));
    }

    [Fact]
    public void Proof_WhoseNodesHashCorrectlyButAreNotTrieNodes_IsRejected()
    {
        // A "root" that is the hash of a malformed node: the hash matches, the decoding must still fail cleanly.
        byte[] notANode = [0xc3, 0x01, 0x02, 0x03];
        Hash256 root = Keccak256.Hash(notANode);

        Assert.False(PatriciaTrie.VerifyProof(Suites.Standard, root, [1], [notANode], out byte[]? value));
        Assert.Null(value);
    }

    [Fact]
    public void Proof_OfAnEmptyTrie_ProvesEveryKeyAbsent()
    {
        var trie = new PatriciaTrie(new MemoryStore(), Suites.Standard);
        IReadOnlyList<byte[]> proof = trie.GetProof(Utf8("dog"));

        Assert.Equal([[0x80]], proof);
        Assert.True(PatriciaTrie.VerifyProof(Suites.Standard, trie.RootHash, Utf8("dog"), proof, out byte[]? value));
        Assert.Null(value);
        Assert.False(PatriciaTrie.VerifyProof(Suites.Standard, trie.RootHash, Utf8("dog"), [[0x80], [0x80]], out _));
    }

    [Fact]
    public void Proof_OfASmallFixtureTrie_StartsWithTheFixtureRoot()
    {
        // trieanyorder.json "puppy": the whole trie embeds into a few nodes; the proof's first node hashes to the published root.
        JsonElement test = TrieFixtures.Load("trieanyorder.json").GetProperty("puppy");
        var trie = new PatriciaTrie(new MemoryStore(), Suites.Standard);
        foreach ((byte[] key, byte[]? value) in TrieFixtures.Operations(test))
        {
            trie.Set(key, value!);
        }

        var root = Hash256.Parse(test.GetProperty("root").GetString()!);
        foreach ((byte[] key, byte[]? value) in TrieFixtures.Operations(test))
        {
            IReadOnlyList<byte[]> proof = trie.GetProof(key);
            Assert.Equal(root, Keccak256.Hash(proof[0]));
            Assert.True(PatriciaTrie.VerifyProof(Suites.Standard, root, key, proof, out byte[]? proven));
            Assert.Equal(value, proven);
        }
    }

    [Fact]
    public void SecureTrieProof_VerifiesPresentAndAbsentKeys_InBothSuites()
    {
        foreach (ICryptoSuite suite in new[] { Suites.Standard, Suites.National })
        {
            var trie = new SecureTrie(new MemoryStore(), suite);
            for (int i = 0; i < 100; i++)
            {
                trie.Set(BitConverter.GetBytes(i), Utf8("value " + i));
            }

            for (int i = 0; i < 120; i++)
            {
                IReadOnlyList<byte[]> proof = trie.GetProof(BitConverter.GetBytes(i));
                Assert.True(SecureTrie.VerifyProof(suite, trie.RootHash, BitConverter.GetBytes(i), proof, out byte[]? value));
                Assert.Equal(i < 100 ? Utf8("value " + i) : null, value);
            }
        }
    }
}
