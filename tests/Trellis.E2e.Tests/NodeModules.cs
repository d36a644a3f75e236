namespace Trellis.E2e.Tests;

/// <summary>Checks that the npm dependencies of tests/e2e are installed before any JavaScript runs.</summary>
internal static class NodeModules
{
    /// <summary>The packages the tests import; each must be present under node_modules.</summary>
    public static readonly string[] RequiredPackages = ["solc", "ethers", "web3", "hardhat", "@nomicfoundation/hardhat-ethers"];

    /// <summary>
    /// Throws with instructions when <paramref name="e2eDirectory"/>/node_modules or a required package is missing,
    /// so an uninstalled environment fails loudly instead of passing or failing with a module-resolution trace.
    /// </summary>
    public static void Require(string e2eDirectory)
    {
        var nodeModules = Path.Combine(e2eDirectory, "node_modules");
        if (!Directory.Exists(nodeModules))
        {
            throw new InvalidOperationException(
                $"the end-to-end tests need their npm packages, but {nodeModules} does not exist: run `npm ci` in {e2eDirectory} (.ci/run does this)");
        }

        foreach (var package in RequiredPackages)
        {
            if (!File.Exists(Path.Combine(nodeModules, package, "package.json")))
            {
                throw new InvalidOperationException(
                    $"npm package '{package}' is missing from {nodeModules}: run `npm ci` in {e2eDirectory} to install the locked versions");
            }
        }
    }
}
