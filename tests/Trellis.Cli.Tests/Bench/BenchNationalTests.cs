using System.Text.Json;
using Trellis.Crypto;
using Trellis.Node;

namespace Trellis.Cli.Tests.Bench;

/// <summary>A national (SM2/SM3) chain: the bench learns the suite from genesis.json and signs native transactions.</summary>
public sealed class BenchNationalTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "trellis-bench-sm2-" + Guid.NewGuid().ToString("N"));
    private TrellisNode? _node;

    public async Task InitializeAsync()
    {
        DevelopmentChainLayout layout = DevelopmentChain.CreateOrOpen(_directory, new DevelopmentChainOptions { RpcPort = 0, BlockIntervalMs = 20, AccountCount = 10, Suite = CryptoSuites.National });
        _node = await TrellisNode.StartAsync(NodeConfig.Load(layout.NodeConfigFile));
    }

    public async Task DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    [Theory]
    [InlineData("transfer")]
    [InlineData("evidence")]
    public void Bench_OnANationalChain_CommitsEveryTransactionWithSuccess(string workload)
    {
        string json = Path.Combine(_directory, "national.json");
        var (code, output, error) = CliRunner.Run("bench", "--dir", _directory, "--rpc", _node!.RpcAddress.ToString(), "--workload", workload, "--txs", "100", "--json", json);
        Assert.True(code == 0, error);
        Assert.Contains("national suite", output, StringComparison.Ordinal);
        Assert.Contains("(Native,", error, StringComparison.Ordinal);
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal("national", document.RootElement.GetProperty("network").GetProperty("crypto").GetString());
        Assert.Equal(100, document.RootElement.GetProperty("counts").GetProperty("succeeded").GetInt64());
    }
}
