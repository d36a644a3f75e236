namespace Trellis.Network.Tests;

/// <summary>Locates the shared conformance data and vectors, which sit beside the repository root.</summary>
internal static class SharedPaths
{
    /// <summary>The repository root: the nearest directory above the test binaries that holds Trellis.slnx.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>A path under <c>../shared/conformance</c>.</summary>
    public static string Conformance(params string[] parts) =>
        Path.Combine([Root, "..", "shared", "conformance", .. parts]);

    /// <summary>A file under <c>../shared/vectors</c>.</summary>
    public static string Vectors(string file) => Path.Combine(Root, "..", "shared", "vectors", file);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Trellis.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException($"no directory containing Trellis.slnx above {AppContext.BaseDirectory}");
    }
}
