using System.Text.Json;

namespace Trellis.Evm.Tests.Precompiles;

/// <summary>One go-ethereum precompile test vector (see Vectors/README.md); Expected is null for failure vectors.</summary>
public sealed record PrecompileVector(string Name, string Input, string? Expected, long Gas)
{
    private static readonly Dictionary<string, PrecompileVector[]> Cache = [];

    public byte[] InputBytes => Convert.FromHexString(Input);

    public override string ToString() => Name;

    /// <summary>Loads Vectors/<paramref name="file"/> from the test output directory.</summary>
    public static PrecompileVector[] Load(string file)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(file, out var vectors))
            {
                var path = Path.Combine(AppContext.BaseDirectory, "Precompiles", "Vectors", file);
                using var document = JsonDocument.Parse(File.ReadAllText(path));
                vectors = document.RootElement.EnumerateArray()
                    .Select(e => new PrecompileVector(
                        e.GetProperty(nameof(Name)).GetString()!,
                        e.GetProperty(nameof(Input)).GetString()!,
                        e.TryGetProperty(nameof(Expected), out var expected) ? expected.GetString() : null,
                        e.TryGetProperty(nameof(Gas), out var gas) ? gas.GetInt64() : 0))
                    .ToArray();
                Cache[file] = vectors;
            }

            return vectors;
        }
    }

    /// <summary>The vector names of a file, as xunit theory data.</summary>
    public static TheoryData<string> Names(string file)
    {
        var data = new TheoryData<string>();
        foreach (var vector in Load(file))
        {
            data.Add(vector.Name);
        }

        return data;
    }

    public static PrecompileVector Get(string file, string name) => Load(file).Single(v => v.Name == name);

    /// <summary>Runs a success vector: output and gas must both match.</summary>
    public static void AssertPasses(Trellis.Evm.Precompiles.Precompile precompile, string file, string name)
    {
        var vector = Get(file, name);
        var input = vector.InputBytes;
        Assert.Equal(vector.Gas, precompile.RequiredGas(input));
        Assert.True(precompile.TryRun(input, out var output), $"{precompile.Name} rejected vector {name}");
        Assert.Equal(vector.Expected, Convert.ToHexStringLower(output));
    }

    /// <summary>Runs a failure vector: the call must fail cleanly.</summary>
    public static void AssertFails(Trellis.Evm.Precompiles.Precompile precompile, string file, string name)
    {
        var vector = Get(file, name);
        Assert.False(precompile.TryRun(vector.InputBytes, out var output), $"{precompile.Name} accepted failure vector {name}");
        Assert.Empty(output);
    }
}
