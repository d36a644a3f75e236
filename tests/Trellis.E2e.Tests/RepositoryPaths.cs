using System.Reflection;

namespace Trellis.E2e.Tests;

/// <summary>Locates the repository (the directory holding Trellis.slnx), tests/e2e and the built trellis CLI.</summary>
internal static class RepositoryPaths
{
    /// <summary>The repository root.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>tests/e2e: the npm project with the JavaScript tests.</summary>
    public static string E2e => Path.Combine(Root, "tests", "e2e");

    /// <summary>
    /// src/Trellis.Cli/bin/&lt;Configuration&gt;/net10.0/trellis.dll, built with the same configuration as these tests
    /// (the project reference makes the build produce it first); the environment variable TRELLIS_CLI, when set,
    /// names another trellis.dll to run instead.
    /// </summary>
    public static string TrellisCli
    {
        get
        {
            if (Environment.GetEnvironmentVariable("TRELLIS_CLI") is { Length: > 0 } overridden)
            {
                return Path.GetFullPath(overridden);
            }

            var configuration = typeof(RepositoryPaths).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration
                ?? "Debug";
            return Path.Combine(Root, "src", "Trellis.Cli", "bin", configuration, "net10.0", "trellis.dll");
        }
    }

    private static string FindRoot()
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
