namespace Trellis.State.Tests;

/// <summary>Finds the shared conformance data beside the repository (../shared relative to the Trellis.slnx folder).</summary>
internal static class SharedPaths
{
    public static string Root { get; } = FindRoot();

    public static string Conformance(params string[] parts) =>
        Path.Combine([Root, "..", "shared", "conformance", .. parts]);

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

        throw new InvalidOperationException($"no directory containing Trellis.slnx above {AppContext.BaseDirectory}");
    }
}
