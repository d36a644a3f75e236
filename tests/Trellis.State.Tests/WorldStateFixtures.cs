using System.Text.Json;
using Trellis.Core;

namespace Trellis.State.Tests;

/// <summary>Pre-states of ethereum/tests GeneralStateTests cases whose transaction is invalid (post root = pre root).</summary>
internal static class WorldStateFixtures
{
    private static readonly string Folder = SharedPaths.Conformance("ethereum-tests", "GeneralStateTests");

    /// <summary>(file relative to GeneralStateTests, test name) of every Cancun case expecting an invalid transaction.</summary>
    public static TheoryData<string, string> InvalidTransactionCases()
    {
        var data = new TheoryData<string, string>();
        foreach (string file in Directory.EnumerateFiles(Folder, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            string text = File.ReadAllText(file);
            if (!text.Contains("expectException", StringComparison.Ordinal))
            {
                continue;
            }

            using JsonDocument document = JsonDocument.Parse(text);
            foreach (JsonProperty test in document.RootElement.EnumerateObject())
            {
                if (ExpectedRoot(test.Value) is not null)
                {
                    data.Add(Path.GetRelativePath(Folder, file), test.Name);
                }
            }
        }

        return data;
    }

    public static JsonElement Load(string file, string name)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, file)));
        return document.RootElement.GetProperty(name).Clone();
    }

    /// <summary>The post hash of the first Cancun case with expectException: the unchanged pre-state root.</summary>
    public static Hash256? ExpectedRoot(JsonElement test)
    {
        if (!test.TryGetProperty("post", out JsonElement post) || !post.TryGetProperty("Cancun", out JsonElement cases))
        {
            return null;
        }

        foreach (JsonElement item in cases.EnumerateArray())
        {
            if (item.TryGetProperty("expectException", out _))
            {
                return Hash256.Parse(item.GetProperty("hash").GetString()!);
            }
        }

        return null;
    }

    public static IEnumerable<(Address Address, UInt256 Balance, ulong Nonce, byte[] Code, List<(UInt256 Key, UInt256 Value)> Storage)> Accounts(JsonElement test)
    {
        foreach (JsonProperty account in test.GetProperty("pre").EnumerateObject())
        {
            var storage = new List<(UInt256, UInt256)>();
            foreach (JsonProperty slot in account.Value.GetProperty("storage").EnumerateObject())
            {
                storage.Add((UInt256.Parse(slot.Name), UInt256.Parse(slot.Value.GetString()!)));
            }

            yield return (
                Address.Parse(account.Name),
                UInt256.Parse(account.Value.GetProperty("balance").GetString()!),
                (ulong)UInt256.Parse(account.Value.GetProperty("nonce").GetString()!),
                Hex.Decode(account.Value.GetProperty("code").GetString()!),
                storage);
        }
    }
}
