namespace Trellis.E2e.Tests;

public sealed class NodeModulesTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "trellis-e2e-nm-" + Guid.NewGuid().ToString("N"));

    public NodeModulesTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Require_WithoutNodeModules_FailsSayingToRunNpmCi()
    {
        var error = Assert.Throws<InvalidOperationException>(() => NodeModules.Require(_directory));
        Assert.Contains("npm ci", error.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(_directory, "node_modules"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Require_WithAPackageMissing_NamesThePackage()
    {
        foreach (var package in NodeModules.RequiredPackages.Where(p => p != "web3"))
        {
            var dir = Path.Combine(_directory, "node_modules", package);
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, "package.json"), "{}");
        }

        var error = Assert.Throws<InvalidOperationException>(() => NodeModules.Require(_directory));
        Assert.Contains("'web3'", error.Message, StringComparison.Ordinal);
        Assert.Contains("npm ci", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Require_WithEveryPackage_Passes()
    {
        foreach (var package in NodeModules.RequiredPackages)
        {
            var dir = Path.Combine(_directory, "node_modules", package);
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, "package.json"), "{}");
        }

        NodeModules.Require(_directory);
    }
}
