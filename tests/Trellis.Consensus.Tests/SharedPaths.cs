namespace Trellis.Consensus.Tests;

/// <summary>Locates the shared conformance data and vectors, which live beside the repository at ../shared.</summary>
internal static class SharedPaths
{
    /// <summary>The shared directory (sibling of the repository root that holds Trellis.slnx).</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>A path under shared/conformance.</summary>
    public static string Conformance(params string[] parts) => Path.Combine([Root, "conformance", .. parts]);

    /// <summary>A file under shared/vectors.</summary>
    public static string Vectors(string file) => Path.Combine(Root, "vectors", file);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Trellis.slnx")))
            {
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared"));
            }
        }

        throw new DirectoryNotFoundException($"no directory containing Trellis.slnx above {AppContext.BaseDirectory}");
    }
}
