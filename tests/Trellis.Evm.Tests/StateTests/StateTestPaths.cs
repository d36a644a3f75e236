namespace Trellis.Evm.Tests.StateTests;

/// <summary>Finds the repository (the directory holding Trellis.slnx) and the shared conformance data beside it.</summary>
internal static class StateTestPaths
{
    /// <summary>The repository root.</summary>
    public static string Repository { get; } = FindRepository();

    /// <summary>The shared directory (sibling of the repository root).</summary>
    public static string Shared => Path.GetFullPath(Path.Combine(Repository, "..", "shared"));

    /// <summary>A path under shared/conformance.</summary>
    public static string Conformance(params string[] parts) => Path.Combine([Shared, "conformance", .. parts]);

    /// <summary>A fixture file of these tests.</summary>
    public static string Fixture(string file) => Path.Combine(Repository, "tests", "Trellis.Evm.Tests", "StateTests", "Fixtures", file);

    private static string FindRepository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Trellis.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"no directory containing Trellis.slnx above {AppContext.BaseDirectory}");
    }
}
