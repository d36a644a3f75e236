namespace Trellis.Testing;

/// <summary>
/// Locates the public conformance suites and vectors, which sit beside the repository at <c>../shared</c>. Compiled
/// into every test project (see Directory.Build.props), so each finds them the same way.
/// </summary>
internal static class SharedPaths
{
    /// <summary>The repository root: the nearest directory above the test binaries that holds Trellis.slnx.</summary>
    public static string Repository { get; } = FindRepository();

    /// <summary>The shared directory beside the repository.</summary>
    public static string Shared { get; } = Path.GetFullPath(Path.Combine(Repository, "..", "shared"));

    /// <summary>A path under <c>../shared/conformance</c>.</summary>
    public static string Conformance(params string[] parts) => Path.Combine([Shared, "conformance", .. parts]);

    /// <summary>A file under <c>../shared/vectors</c>.</summary>
    public static string Vectors(string file) => Path.Combine(Shared, "vectors", file);

    private static string FindRepository()
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
