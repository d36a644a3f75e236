using System.Text;
using System.Text.Json;
using Trellis.Core;
using Trellis.State.Storage;
using Trellis.State.Trie;

namespace Trellis.State.Tests.Trie;

/// <summary>The ethereum/tests TrieTests fixtures: every case's root, computed several ways.</summary>
public sealed class TrieConformanceTests
{
    public static TheoryData<string, string> PlainCases => TrieFixtures.Cases("trietest.json", "trieanyorder.json");

    public static TheoryData<string, string> SecureCases =>
        TrieFixtures.Cases("trietest_secureTrie.json", "trieanyorder_secureTrie.json", "hex_encoded_securetrie_test.json");

    [Theory]
    [MemberData(nameof(PlainCases))]
    public void PlainTrie_InsertsAndDeletesInOrder_GiveTheExpectedRoot(string file, string name)
    {
        JsonElement test = TrieFixtures.Load(file).GetProperty(name);
        Hash256 expected = Hash256.Parse(test.GetProperty("root").GetString()!);
        List<(byte[] Key, byte[]? Value)> operations = TrieFixtures.Operations(test);

        var trie = new PatriciaTrie(new MemoryStore(), Suites.Standard);
        foreach ((byte[] key, byte[]? value) in operations)
        {
            trie.Set(key, value ?? []);
        }

        Assert.Equal(expected, trie.RootHash);
        Assert.Equal(expected, PatriciaTrie.ComputeRoot(Suites.Standard, ToEntries(TrieFixtures.FinalState(operations))));
    }

    [Theory]
    [MemberData(nameof(PlainCases))]
    public void PlainTrie_CommittedAndReopened_GivesTheSameRootAndValues(string file, string name)
    {
        JsonElement test = TrieFixtures.Load(file).GetProperty(name);
        Hash256 expected = Hash256.Parse(test.GetProperty("root").GetString()!);
        List<(byte[] Key, byte[]? Value)> operations = TrieFixtures.Operations(test);
        var store = new MemoryStore();

        // Commit halfway too, so the second half of the operations works on nodes loaded from the store.
        var trie = new PatriciaTrie(store, Suites.Standard);
        Hash256 halfway = default;
        for (int i = 0; i < operations.Count; i++)
        {
            trie.Set(operations[i].Key, operations[i].Value ?? []);
            if (i == operations.Count / 2)
            {
                halfway = CommitTo(store, trie);
                trie = new PatriciaTrie(store, Suites.Standard, halfway);
            }
        }

        Hash256 root = CommitTo(store, trie);
        var reopened = new PatriciaTrie(store, Suites.Standard, root);

        Assert.Equal(expected, root);
        Assert.Equal(expected, reopened.RootHash);
        foreach ((string key, byte[] value) in TrieFixtures.FinalState(operations))
        {
            Assert.Equal(value, reopened.Get(Convert.FromHexString(key)));
        }
    }

    [Theory]
    [MemberData(nameof(SecureCases))]
    public void SecureTrie_GivesTheExpectedRoot(string file, string name)
    {
        JsonElement test = TrieFixtures.Load(file).GetProperty(name);
        Hash256 expected = Hash256.Parse(test.GetProperty("root").GetString()!);
        List<(byte[] Key, byte[]? Value)> operations = TrieFixtures.Operations(test);
        var store = new MemoryStore();

        var trie = new SecureTrie(store, Suites.Standard);
        foreach ((byte[] key, byte[]? value) in operations)
        {
            trie.Set(key, value ?? []);
        }

        Assert.Equal(expected, trie.RootHash);
        Assert.Equal(expected, SecureTrie.ComputeRoot(Suites.Standard, ToEntries(TrieFixtures.FinalState(operations))));

        Hash256 root;
        using (IWriteBatch batch = store.StartBatch())
        {
            root = trie.Commit(batch);
            batch.Commit();
        }

        var reopened = new SecureTrie(store, Suites.Standard, root);
        Assert.Equal(expected, reopened.RootHash);
        foreach ((string key, byte[] value) in TrieFixtures.FinalState(operations))
        {
            Assert.Equal(value, reopened.Get(Convert.FromHexString(key)));
        }
    }

    [Theory]
    [InlineData("trieanyorder.json", false)]
    [InlineData("trieanyorder_secureTrie.json", true)]
    public void AnyOrderCases_GiveTheSameRootInReverseAndShuffledOrder(string file, bool secure)
    {
        var random = new Random(7);
        foreach (JsonProperty test in TrieFixtures.Load(file).EnumerateObject())
        {
            Hash256 expected = Hash256.Parse(test.Value.GetProperty("root").GetString()!);
            List<(byte[] Key, byte[]? Value)> operations = TrieFixtures.Operations(test.Value);
            for (int round = 0; round < 4; round++)
            {
                (byte[] Key, byte[]? Value)[] order = [.. operations];
                if (round == 0)
                {
                    Array.Reverse(order);
                }
                else
                {
                    random.Shuffle(order);
                }

                Assert.Equal(expected, RootOf(order, secure));
            }
        }
    }

    [Fact]
    public void NextPrevCases_MatchTheKeyOrderOfTheTrie()
    {
        // trietestnextprev.json checks an iterator: the keys before and after a probe key. Trellis has no public
        // iterator; the internal ordered enumeration answers the same question.
        foreach (JsonProperty test in TrieFixtures.Load("trietestnextprev.json").EnumerateObject())
        {
            var trie = new PatriciaTrie(new MemoryStore(), Suites.Standard);
            foreach (JsonElement key in test.Value.GetProperty("in").EnumerateArray())
            {
                trie.Set(Encoding.UTF8.GetBytes(key.GetString()!), Encoding.UTF8.GetBytes(key.GetString()!));
            }

            List<string> keys = [.. trie.Enumerate().Select(entry => Encoding.UTF8.GetString(entry.Key))];
            foreach (JsonElement probe in test.Value.GetProperty("tests").EnumerateArray())
            {
                string at = probe[0].GetString()!;
                string previous = keys.LastOrDefault(k => string.CompareOrdinal(k, at) < 0) ?? string.Empty;
                string next = keys.FirstOrDefault(k => string.CompareOrdinal(k, at) > 0) ?? string.Empty;
                Assert.Equal(probe[1].GetString(), previous);
                Assert.Equal(probe[2].GetString(), next);
            }
        }
    }

    private static Hash256 RootOf(IEnumerable<(byte[] Key, byte[]? Value)> operations, bool secure)
    {
        if (secure)
        {
            var secureTrie = new SecureTrie(new MemoryStore(), Suites.Standard);
            foreach ((byte[] key, byte[]? value) in operations)
            {
                secureTrie.Set(key, value ?? []);
            }

            return secureTrie.RootHash;
        }

        var trie = new PatriciaTrie(new MemoryStore(), Suites.Standard);
        foreach ((byte[] key, byte[]? value) in operations)
        {
            trie.Set(key, value ?? []);
        }

        return trie.RootHash;
    }

    private static Hash256 CommitTo(MemoryStore store, PatriciaTrie trie)
    {
        using IWriteBatch batch = store.StartBatch();
        Hash256 root = trie.Commit(batch);
        batch.Commit();
        return root;
    }

    private static IEnumerable<KeyValuePair<byte[], byte[]>> ToEntries(Dictionary<string, byte[]> state) =>
        state.Select(entry => new KeyValuePair<byte[], byte[]>(Convert.FromHexString(entry.Key), entry.Value));
}
