using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Trellis.Core;
using Trellis.State.Storage;
using Trellis.State.Trie;

namespace Trellis.State.Tests.Trie;

public sealed class PatriciaTrieTests
{
    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void EmptyTrie_HasTheKeccakOfTheEmptyString()
    {
        var trie = new PatriciaTrie(new MemoryStore(), Suites.Standard);

        // Keccak-256(0x80), the empty trie root of every Ethereum block with no transactions.
        Assert.Equal(Hash256.Parse("0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421"), trie.RootHash);
        Assert.Equal(trie.RootHash, PatriciaTrie.ComputeRoot(Suites.Standard, []));
        Assert.Equal(trie.RootHash, new PatriciaTrie(new MemoryStore(), Suites.Standard, trie.RootHash).RootHash);
    }

    [Fact]
    public void SingleLeaf_RootIsTheHashOfItsHandEncodedRlp()
    {
        var trie = new PatriciaTrie(new MemoryStore(), Suites.Standard);
        trie.Set([0x41], [0x62, 0x63]);

        // [HP([4, 1], leaf) = 0x20 0x41, "bc"] -> c6 82 2041 82 6263; the root is hashed even below 32 bytes.
        byte[] leaf = [0xc6, 0x82, 0x20, 0x41, 0x82, 0x62, 0x63];
        Assert.Equal(Keccak256.Hash(leaf), trie.RootHash);
    }

    [Fact]
    public void Set_WithEmptyValue_DeletesTheKey()
    {
        var trie = new PatriciaTrie(new MemoryStore(), Suites.Standard);
        trie.Set(Utf8("dog"), Utf8("puppy"));
        Hash256 withDog = trie.RootHash;
        trie.Set(Utf8("doge"), Utf8("coin"));
        trie.Set(Utf8("doge"), []);

        Assert.Null(trie.Get(Utf8("doge")));
        Assert.Equal(withDog, trie.RootHash);
    }

    [Fact]
    public void Delete_OfAnAbsentKey_ChangesNothing()
    {
        var trie = new PatriciaTrie(new MemoryStore(), Suites.Standard);
        trie.Set(Utf8("dog"), Utf8("puppy"));
        trie.Set(Utf8("doge"), Utf8("coin"));
        Hash256 before = trie.RootHash;

        trie.Delete(Utf8("do"));
        trie.Delete(Utf8("dogs"));
        trie.Delete(Utf8("cat"));
        trie.Delete([]);

        Assert.Equal(before, trie.RootHash);
    }

    [Fact]
    public void Get_ReturnsACopyTheCallerCannotUseToChangeTheTrie()
    {
        var trie = new PatriciaTrie(new MemoryStore(), Suites.Standard);
        trie.Set(Utf8("dog"), Utf8("puppy"));
        byte[] value = trie.Get(Utf8("dog"))!;
        value[0] = 0;

        Assert.Equal(Utf8("puppy"), trie.Get(Utf8("dog")));
    }

    [Fact]
    public void EmptyKeyAndLongKeys_AreStoredAndFound()
    {
        var trie = new PatriciaTrie(new MemoryStore(), Suites.Standard);
        byte[] longKey = [.. Enumerable.Range(0, 300).Select(i => (byte)i)];
        byte[] longerKey = [.. longKey, 7];
        trie.Set([], Utf8("empty key"));
        trie.Set(longKey, Utf8("long"));
        trie.Set(longerKey, new byte[1000]);

        Assert.Equal(Utf8("empty key"), trie.Get([]));
        Assert.Equal(Utf8("long"), trie.Get(longKey));
        Assert.Equal(new byte[1000], trie.Get(longerKey));
        Assert.Equal(trie.RootHash, PatriciaTrie.ComputeRoot(Suites.Standard,
            [new([], Utf8("empty key")), new(longKey, Utf8("long")), new(longerKey, new byte[1000])]));
    }

    [Fact]
    public void ComputeRoot_LaterDuplicatesWinAndEmptyValuesAreAbsent()
    {
        Hash256 expected = PatriciaTrie.ComputeRoot(Suites.Standard, [new(Utf8("dog"), Utf8("puppy"))]);

        Hash256 actual = PatriciaTrie.ComputeRoot(Suites.Standard,
            [new(Utf8("dog"), Utf8("cat")), new(Utf8("doge"), []), new(Utf8("dog"), Utf8("puppy")), new(Utf8("horse"), Utf8("x")), new(Utf8("horse"), [])]);

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void MissingRoot_IsReportedAsAMissingTrieNode()
    {
        var root = Hash256.Parse("0x1111111111111111111111111111111111111111111111111111111111111111");
        var trie = new PatriciaTrie(new MemoryStore(), Suites.Standard, root);

        var error = Assert.Throws<TrieException>(() => trie.Get(Utf8("dog")));
        Assert.Equal("missing trie node 0x1111111111111111111111111111111111111111111111111111111111111111 at path (root): the store has no node with that hash", error.Message);
        Assert.Throws<TrieException>(() => trie.Set(Utf8("dog"), Utf8("x")));
        Assert.Equal(root, trie.RootHash);
    }

    [Fact]
    public void MissingInnerNode_IsReportedWithItsPath()
    {
        // A root branch over keys 0x10 and 0x20, each child a leaf too long to embed; then lose the second leaf.
        // (The values differ: equal leaves would be one node in the store.)
        var store = new MemoryStore();
        var trie = new PatriciaTrie(store, Suites.Standard);
        trie.Set([0x10], new byte[40]);
        trie.Set([0x20], Enumerable.Repeat((byte)1, 40).ToArray());
        Hash256 root = Commit(store, trie);
        IReadOnlyList<byte[]> proof = trie.GetProof([0x20]);
        Assert.Equal(2, proof.Count);
        using (IWriteBatch batch = store.StartBatch())
        {
            batch.Delete(Keccak256.Hash(proof[1]).Bytes);
            batch.Commit();
        }

        var reopened = new PatriciaTrie(store, Suites.Standard, root);
        Assert.Equal(new byte[40], reopened.Get([0x10]));
        var error = Assert.Throws<TrieException>(() => reopened.Get([0x20]));
        Assert.Equal($"missing trie node {Keccak256.Hash(proof[1])} at path 2: the store has no node with that hash", error.Message);
        Assert.Throws<TrieException>(() => reopened.Delete([0x10]));
    }

    [Fact]
    public void CorruptNodeInTheStore_IsReportedAsInvalid()
    {
        var store = new MemoryStore();
        var root = Hash256.Parse("0x2222222222222222222222222222222222222222222222222222222222222222");
        using (IWriteBatch batch = store.StartBatch())
        {
            batch.Put(root.Bytes, [0xc3, 0x01, 0x02, 0x03]);
            batch.Commit();
        }

        var error = Assert.Throws<TrieException>(() => new PatriciaTrie(store, Suites.Standard, root).Get([1]));
        Assert.Equal("invalid trie node at path (root): a trie node is a list of 2 (leaf, extension) or 17 (branch) items, not 3", error.Message);
    }

    [Theory]
    [InlineData("f8", "invalid RLP")]
    [InlineData("80", "must be an RLP list")]
    [InlineData("c4824041", "invalid RLP")]
    [InlineData("c3824041" + "01", "invalid RLP")]
    [InlineData("c101", "a trie node is a list of 2 (leaf, extension) or 17 (branch) items, not 1")]
    [InlineData("c482404101", "hex-prefix flag nibble is 4")]
    [InlineData("c482014101", "padding nibble")]
    [InlineData("c482204180", "a leaf has an empty value")]
    [InlineData("c20080", "an extension has an empty path")]
    [InlineData("c482104101", "a reference must be empty or a 32-byte hash")]
    public void MalformedNodes_AreRejectedWithTheRuleTheyBreak(string hex, string rule)
    {
        var store = new MemoryStore();
        var root = Hash256.Parse("0x3333333333333333333333333333333333333333333333333333333333333333");
        using (IWriteBatch batch = store.StartBatch())
        {
            batch.Put(root.Bytes, Convert.FromHexString(hex));
            batch.Commit();
        }

        var error = Assert.Throws<TrieException>(() => new PatriciaTrie(store, Suites.Standard, root).Get([0x41]));
        Assert.Contains(rule, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Commit_WritesOnlyNodesNotAlreadyStored()
    {
        var store = new MemoryStore();
        var trie = new PatriciaTrie(store, Suites.Standard);
        var random = new Random(3);
        for (int i = 0; i < 200; i++)
        {
            trie.Set(RandomBytes(random, 32), RandomBytes(random, 40));
        }

        Commit(store, trie);
        int afterFirst = store.Count;
        var counting = new CountingBatch();
        trie.Commit(counting);
        Assert.Equal(0, counting.Puts);

        trie.Set(RandomBytes(random, 32), RandomBytes(random, 40));
        trie.Commit(counting);

        // One new leaf changes only the nodes on its path: a handful, not the whole trie.
        Assert.InRange(counting.Puts, 1, 6);
        Assert.True(afterFirst > 200, $"{afterFirst} nodes stored for 200 keys");
    }

    [Fact]
    public void NationalSuite_GivesRootsOfAnIndependentSm3Implementation()
    {
        // Expected roots from tests/Trellis.State.Tests/Trie/reference_trie.py: a separate Python trie that first
        // reproduces the Keccak-256 roots of trieanyorder.json, then hashes with SM3 (hashlib, i.e. OpenSSL).
        Dictionary<string, string> expected = new()
        {
            ["singleItem"] = "0x3bf73fbd4b9efb0896a40701aebbbb6d40bb1d14f4421d8c3f60bd522f5fd0fb",
            ["dogs"] = "0xac0c2b00e9f978a86713cc6dddea3972925f0d29243a2b51a3b597afaf1c7451",
            ["puppy"] = "0xe44b8f303adcc7d704ded98a390dbc782519bb30388cf26e9a62eb14c1c63d38",
            ["foo"] = "0x94701dccf4c9927d5d4452581ae599b4c29d80bc4125ea25c3458168642f5b5d",
            ["smallValues"] = "0x267871b83c50432bd075f09449460ef334a1e7a871a1038e2eae1d420294375d",
            ["testy"] = "0x370815cb0134d858e59aad1805573be1bab96f27726bcbe87316bd488bf31c30",
            ["hex"] = "0x1711da1f464a9838a0a07dfbfc89968468313d608931f2648dbc62f087c22bc5",
        };

        foreach (JsonProperty test in TrieFixtures.Load("trieanyorder.json").EnumerateObject())
        {
            var national = new PatriciaTrie(new MemoryStore(), Suites.National);
            var standard = new PatriciaTrie(new MemoryStore(), Suites.Standard);
            foreach ((byte[] key, byte[]? value) in TrieFixtures.Operations(test.Value))
            {
                national.Set(key, value!);
                standard.Set(key, value!);
            }

            Assert.Equal(Hash256.Parse(expected[test.Name]), national.RootHash);
            Assert.NotEqual(standard.RootHash, national.RootHash);
        }

        // SM3(0x80): the national empty root (GB/T 32905, via OpenSSL `printf '\x80' | openssl dgst -sm3`).
        Assert.Equal(Suites.National.Hash([0x80]), new PatriciaTrie(new MemoryStore(), Suites.National).RootHash);
    }

    [Fact]
    public void RandomInsertAndDeleteSequences_GiveTheRootOfTheFinalMapInAnyOrder()
    {
        // Keys from a tiny alphabet share long prefixes, so branches, extensions and embedded nodes all appear
        // and collapse again on delete.
        Gen<byte[]> keys = Gen.Elements<byte>(0x00, 0x01, 0x10, 0x11, 0xff).ArrayOf().Select(k => k.Length > 6 ? k[..6] : k);
        Gen<byte[]> values = Gen.OneOf(Gen.Constant(Array.Empty<byte>()), Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf());
        Gen<(byte[] Key, byte[] Value)[]> operations = keys.Zip(values, (k, v) => (k, v)).ArrayOf();
        Arbitrary<(byte[] Key, byte[] Value)[]> arbitrary = operations.ToArbitrary();

        Prop.ForAll(arbitrary, ops =>
        {
            var model = new Dictionary<string, byte[]>();
            var store = new MemoryStore();
            var trie = new PatriciaTrie(store, Suites.Standard);
            for (int i = 0; i < ops.Length; i++)
            {
                (byte[] key, byte[] value) = ops[i];
                if (value.Length == 0)
                {
                    model.Remove(Convert.ToHexString(key));
                }
                else
                {
                    model[Convert.ToHexString(key)] = value;
                }

                trie.Set(key, value);
                if (i == ops.Length / 2)
                {
                    trie = new PatriciaTrie(store, Suites.Standard, Commit(store, trie));
                }
            }

            var reversed = new PatriciaTrie(new MemoryStore(), Suites.Standard);
            foreach (KeyValuePair<string, byte[]> entry in model.Reverse())
            {
                reversed.Set(Convert.FromHexString(entry.Key), entry.Value);
            }

            Hash256 fromModel = PatriciaTrie.ComputeRoot(Suites.Standard,
                model.Select(e => new KeyValuePair<byte[], byte[]>(Convert.FromHexString(e.Key), e.Value)));
            bool valuesMatch = ops.All(op => model.TryGetValue(Convert.ToHexString(op.Key), out byte[]? v)
                ? trie.Get(op.Key) is { } got && got.AsSpan().SequenceEqual(v)
                : trie.Get(op.Key) is null);
            return trie.RootHash == fromModel && reversed.RootHash == fromModel && valuesMatch;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
    }

    [Fact]
    public void ParallelRootHashing_GivesTheSequentialRootOnRandomTries()
    {
        // Keys spread over all first nibbles (so the root is a branch with many dirty children) and some sharing
        // prefixes; a commit in the middle leaves persisted and hash-referenced subtries next to dirty ones.
        Gen<byte[]> keys = Gen.OneOf(
            Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf().Select(k => k.Length > 4 ? k[..4] : k),
            Gen.Elements<byte>(0x00, 0x10, 0xf0, 0xff).ArrayOf().Select(k => k.Length > 3 ? k[..3] : k));
        Gen<byte[]> values = Gen.OneOf(Gen.Constant(Array.Empty<byte>()), Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf());
        Gen<(byte[] Key, byte[] Value)[]> operations = keys.Zip(values, (k, v) => (k, v)).ArrayOf();

        Prop.ForAll(operations.ToArbitrary(), ops =>
        {
            var model = new Dictionary<string, byte[]>();
            var store = new MemoryStore();
            var parallel = new PatriciaTrie(store, Suites.Standard) { ParallelRootHashing = true };
            var sequential = new PatriciaTrie(new MemoryStore(), Suites.Standard);
            for (int i = 0; i < ops.Length; i++)
            {
                (byte[] key, byte[] value) = ops[i];
                if (value.Length == 0)
                {
                    model.Remove(Convert.ToHexString(key));
                }
                else
                {
                    model[Convert.ToHexString(key)] = value;
                }

                parallel.Set(key, value);
                sequential.Set(key, value);
                if (i == ops.Length / 2)
                {
                    parallel = new PatriciaTrie(store, Suites.Standard, Commit(store, parallel)) { ParallelRootHashing = true };
                }
            }

            Hash256 fromModel = PatriciaTrie.ComputeRoot(Suites.Standard,
                model.Select(e => new KeyValuePair<byte[], byte[]>(Convert.FromHexString(e.Key), e.Value)));
            return parallel.RootHash == fromModel && sequential.RootHash == fromModel;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300).WithEndSize(400));
    }

    [Fact]
    public void ParallelRootHashing_OfAThousandHashedKeys_MatchesTheNationalSuitesSequentialRoot()
    {
        var random = new Random(17);
        var parallel = new PatriciaTrie(new MemoryStore(), Suites.National) { ParallelRootHashing = true };
        var entries = new List<KeyValuePair<byte[], byte[]>>();
        for (int i = 0; i < 1_000; i++)
        {
            byte[] key = Suites.National.Hash(BitConverter.GetBytes(i)).Bytes.ToArray();
            byte[] value = RandomBytes(random, 1 + (i % 70));
            parallel.Set(key, value);
            entries.Add(new(key, value));
        }

        Assert.Equal(PatriciaTrie.ComputeRoot(Suites.National, entries), parallel.RootHash);
    }

    internal static Hash256 Commit(MemoryStore store, PatriciaTrie trie)
    {
        using IWriteBatch batch = store.StartBatch();
        Hash256 root = trie.Commit(batch);
        batch.Commit();
        return root;
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private sealed class CountingBatch : IWriteBatch
    {
        public int Puts { get; private set; }

        public void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) => Puts++;

        public void Delete(ReadOnlySpan<byte> key)
        {
        }

        public void Commit()
        {
        }

        public void Dispose()
        {
        }
    }
}
