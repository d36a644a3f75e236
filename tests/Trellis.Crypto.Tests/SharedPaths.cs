namespace Trellis.Crypto.Tests;

/// <summary>
/// Locates the shared conformance data and vectors beside the repository: walks up from the test binaries to the
/// directory holding Trellis.slnx, then into ../shared.
/// </summary>
internal static class SharedPaths
{
    public static string Root { get; } = FindRoot();

    public static string Conformance(params string[] parts) =>
        Path.Combine([Root, "..", "shared", "conformance", .. parts]);

    public static string Vectors(string file) => Path.Combine(Root, "..", "shared", "vectors", file);

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Trellis.slnx")))
            {
                return directory.FullName;
            }

            directory = directory.Parent;
        }

        throw new InvalidOperationException($"no directory above {AppContext.BaseDirectory} contains Trellis.slnx");
    }
}
