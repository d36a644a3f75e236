namespace Trellis.E2e.Tests;

/// <summary>
/// A Hardhat 2 node (`hardhat node`, from tests/e2e/node_modules) on a free loopback port: the reference Ethereum
/// implementation the JavaScript tests are checked against, so a failure on Trellis alone points at Trellis.
/// Its funded accounts are Hardhat's well-known development accounts, which the tests derive themselves.
/// </summary>
public sealed class HardhatDevNode : IDevChain, IAsyncLifetime
{
    private ChildProcess? _process;
    private Dictionary<string, string> _environment = [];

    public string Name => "Hardhat node";

    public IReadOnlyDictionary<string, string> Environment => _environment;

    public string Log => _process?.Output ?? "";

    public async Task InitializeAsync()
    {
        NodeModules.Require(RepositoryPaths.E2e);
        var port = RpcProbe.FreePort();
        var url = $"http://127.0.0.1:{port}";
        var cli = Path.Combine(RepositoryPaths.E2e, "node_modules", "hardhat", "internal", "cli", "cli.js");
        _process = ChildProcess.Start(
            "node",
            [cli, "--config", Path.Combine("hardhat", "hardhat.config.cjs"), "node", "--hostname", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            RepositoryPaths.E2e,
            new Dictionary<string, string> { ["HARDHAT_DISABLE_TELEMETRY_PROMPT"] = "true", ["NO_COLOR"] = "1" });
        await RpcProbe.WaitForBlockNumberAsync(url, _process, Name, TimeSpan.FromSeconds(90));
        _environment = new Dictionary<string, string> { ["TRELLIS_RPC_URL"] = url };
    }

    public Task DisposeAsync()
    {
        _process?.Dispose();
        return Task.CompletedTask;
    }
}
