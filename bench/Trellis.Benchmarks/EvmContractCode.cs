using Trellis.Core;

namespace Trellis.Benchmarks;

/// <summary>Reads the benchmark bytecode (hex files) from bench/contracts, found by walking up to Trellis.slnx.</summary>
internal static class EvmContractCode
{
    private static readonly string s_directory = FindDirectory();

    public static byte[] Read(string file) => Hex.Decode(File.ReadAllText(Path.Combine(s_directory, file)).Trim());

    private static string FindDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Trellis.slnx")))
            {
                return Path.Combine(dir.FullName, "bench", "contracts");
            }
        }

        throw new DirectoryNotFoundException($"no directory containing Trellis.slnx above {AppContext.BaseDirectory} (bench/contracts holds the EVM benchmark bytecode)");
    }
}
