using System.Text;
using System.Text.Json;
using Trellis.Core;

namespace Trellis.State.Tests.Trie;

/// <summary>Reads the ethereum/tests TrieTests fixtures.</summary>
internal static class TrieFixtures
{
    public static JsonElement Load(string file)
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(SharedPaths.Conformance("ethereum-tests", "TrieTests", file)));
        return document.RootElement.Clone();
    }

    public static TheoryData<string, string> Cases(params string[] files)
    {
        var data = new TheoryData<string, string>();
        foreach (string file in files)
        {
            foreach (JsonProperty test in Load(file).EnumerateObject())
            {
                data.Add(file, test.Name);
            }
        }

        return data;
    }

    /// <summary>The operations of a case in order; a null value is a deletion.</summary>
    public static List<(byte[] Key, byte[]? Value)> Operations(JsonElement test)
    {
        var operations = new List<(byte[], byte[]?)>();
        JsonElement input = test.GetProperty("in");
        if (input.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement pair in input.EnumerateArray())
            {
                operations.Add((Text(pair[0])!, Text(pair[1])));
            }
        }
        else
        {
            foreach (JsonProperty pair in input.EnumerateObject())
            {
                operations.Add((Decode(pair.Name), Text(pair.Value)));
            }
        }

        return operations;
    }

    /// <summary>The key-value map left after applying the operations in order.</summary>
    public static Dictionary<string, byte[]> FinalState(List<(byte[] Key, byte[]? Value)> operations)
    {
        var state = new Dictionary<string, byte[]>();
        foreach ((byte[] key, byte[]? value) in operations)
        {
            if (value is null || value.Length == 0)
            {
                state.Remove(Convert.ToHexString(key));
            }
            else
            {
                state[Convert.ToHexString(key)] = value;
            }
        }

        return state;
    }

    private static byte[]? Text(JsonElement element) =>
        element.ValueKind == JsonValueKind.Null ? null : Decode(element.GetString()!);

    private static byte[] Decode(string text) =>
        text.StartsWith("0x", StringComparison.Ordinal) ? Hex.Decode(text) : Encoding.UTF8.GetBytes(text);
}
