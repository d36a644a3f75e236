using System.Globalization;

namespace Trellis.E2e.Tests;

/// <summary>
/// A one-node Trellis development chain started with the CLI (`trellis up --consensus solo`) in a temporary
/// directory, on free loopback ports; killed and deleted on dispose.
/// </summary>
public sealed class TrellisDevChain : IDevChain, IAsyncLifetime
{
    // Not the CLI's default (1337), so the JavaScript tests' chain id check sees the flag take effect.
    private const string ChainId = "4242";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "trellis-e2e-" + Guid.NewGuid().ToString("N"));
    private ChildProcess? _process;
    private Dictionary<string, string> _environment = [];

    public string Name => "Trellis solo node";

    public IReadOnlyDictionary<string, string> Environment => _environment;

    public string Log => _process?.Output ?? "";

    public async Task InitializeAsync()
    {
        NodeModules.Require(RepositoryPaths.E2e);
        var cli = RepositoryPaths.TrellisCli;
        if (!File.Exists(cli))
        {
            throw new FileNotFoundException($"the trellis CLI is not built at {cli}; build tests/Trellis.E2e.Tests (it builds src/Trellis.Cli)", cli);
        }

        Directory.CreateDirectory(_directory);
        var port = RpcProbe.FreePort();
        var url = $"http://127.0.0.1:{port}";
        _process = ChildProcess.Start(
            DotnetHost(),
            [cli, "up", "--consensus", "solo", "--dir", _directory, "--port", port.ToString(CultureInfo.InvariantCulture), "--chain-id", ChainId],
            RepositoryPaths.Root);
        await RpcProbe.WaitForBlockNumberAsync(url, _process, Name, TimeSpan.FromSeconds(90));

        var accounts = Path.Combine(_directory, "accounts.json");
        if (!File.Exists(accounts))
        {
            throw new FileNotFoundException($"{Name} answers at {url} but wrote no {accounts}:\n{_process.Output}", accounts);
        }

        _environment = new Dictionary<string, string>
        {
            ["TRELLIS_RPC_URL"] = url,
            ["TRELLIS_ACCOUNTS"] = accounts,
            ["TRELLIS_CHAIN_ID"] = ChainId,
        };
    }

    public Task DisposeAsync()
    {
        _process?.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a dying process; the temporary directory is left behind, nothing else.
        }

        return Task.CompletedTask;
    }

    // The same dotnet host that runs the tests, so the CLI runs on the SDK that built it.
    private static string DotnetHost() =>
        System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
