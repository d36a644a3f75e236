namespace Trellis.E2e.Tests;

/// <summary>Runs one tests/e2e JavaScript test file with `node --test` and fails with its output unless it passes.</summary>
internal static class JsTestRunner
{
    private static readonly TimeSpan FileTimeout = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Runs <c>node --test &lt;file&gt;</c> in tests/e2e with <paramref name="environment"/> added and asserts exit
    /// code 0; the failure message holds the test output and, when given, the chain's log.
    /// </summary>
    public static async Task RunAsync(string file, IReadOnlyDictionary<string, string> environment, IDevChain? chain = null)
    {
        NodeModules.Require(RepositoryPaths.E2e);
        var path = Path.Combine(RepositoryPaths.E2e, file);
        Assert.True(File.Exists(path), $"JavaScript test file {path} does not exist");

        var env = new Dictionary<string, string>(environment)
        {
            ["HARDHAT_DISABLE_TELEMETRY_PROMPT"] = "true",
            ["NO_COLOR"] = "1",
        };
        using var node = ChildProcess.Start("node", ["--test", "--test-reporter=spec", file], RepositoryPaths.E2e, env);
        var exited = await node.WaitForExitAsync(FileTimeout);
        if (exited && node.ExitCode == 0)
        {
            return;
        }

        var verdict = exited ? $"exited with code {node.ExitCode}" : $"did not finish within {FileTimeout.TotalMinutes} minutes and was killed";
        var chainLog = chain is null ? "" : $"\n--- {chain.Name} log (most recent part)\n{Tail(chain.Log, 20_000)}";
        Assert.Fail($"node --test {file} against {chain?.Name ?? "no chain"} {verdict}:\n{node.Output}{chainLog}");
    }

    private static string Tail(string text, int chars) => text.Length <= chars ? text : "…" + text[^chars..];
}
