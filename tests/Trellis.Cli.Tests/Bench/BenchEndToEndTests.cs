using System.Text.Json;
using Trellis.Crypto;
using Trellis.Node;

namespace Trellis.Cli.Tests.Bench;

/// <summary>Runs <c>trellis bench</c> against a Solo node in this process, as <c>trellis up</c> would create it.</summary>
public sealed class BenchEndToEndTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "trellis-bench-e2e-" + Guid.NewGuid().ToString("N"));
    private TrellisNode? _node;

    public async Task InitializeAsync()
    {
        DevelopmentChainLayout layout = DevelopmentChain.CreateOrOpen(_directory, new DevelopmentChainOptions { RpcPort = 0, BlockIntervalMs = 20, AccountCount = 20 });
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
    [InlineData("transfer", "http")]
    [InlineData("erc20", "http")]
    [InlineData("kv", "http")]
    [InlineData("evidence", "http")]
    [InlineData("transfer", "ws")]
    public void Bench_CommitsEveryTransactionWithSuccess(string workload, string transport)
    {
        string json = Path.Combine(_directory, "result.json");
        string html = Path.Combine(_directory, "report.html");
        var (code, output, error) = CliRunner.Run(
            "bench", "--dir", _directory, "--rpc", _node!.RpcAddress.ToString(), "--workload", workload, "--transport", transport,
            "--txs", "200", "--senders", "20", "--batch", "25", "--concurrency", "4", "--timeout", "60", "--json", json, "--html", html);
        Assert.True(code == 0, error);
        Assert.Contains("committed TPS", output, StringComparison.Ordinal);

        string text = File.ReadAllText(json);
        using JsonDocument document = JsonDocument.Parse(text);
        JsonElement root = document.RootElement;
        JsonElement counts = root.GetProperty("counts");
        Assert.True(counts.GetProperty("submitted").GetInt64() == 200, text);
        Assert.True(counts.GetProperty("rejected").GetInt64() == 0, text);
        Assert.True(counts.GetProperty("committed").GetInt64() == 200, text);
        Assert.True(counts.GetProperty("succeeded").GetInt64() == 200, output + error + text);
        Assert.True(counts.GetProperty("reverted").GetInt64() == 0, text);
        Assert.Equal(1.0, root.GetProperty("results").GetProperty("successRate").GetDouble());
        Assert.True(root.GetProperty("results").GetProperty("committedTps").GetDouble() > 0);

        JsonElement latency = root.GetProperty("latencyMs");
        Assert.Equal(200, latency.GetProperty("count").GetInt64());
        Assert.True(latency.GetProperty("p50").GetDouble() <= latency.GetProperty("p99").GetDouble());
        Assert.True(latency.GetProperty("p99").GetDouble() <= latency.GetProperty("max").GetDouble());

        // The chain agrees: the senders' nonces moved on by the run (and setup) and the receipts said success.
        Assert.Equal(200, root.GetProperty("throughput").EnumerateArray().Sum(s => s.GetProperty("committed").GetInt64()));

        // The node runs in this process: found by its port, and its CPU measured.
        JsonElement node = root.GetProperty("nodes")[0];
        Assert.Equal(Environment.ProcessId, node.GetProperty("pid").GetInt32());
        Assert.Contains("in process", node.GetProperty("note").GetString(), StringComparison.Ordinal);
        Assert.True(node.GetProperty("cpuSeconds").GetDouble() > 0);
        Assert.Contains("<svg id=\"throughput\"", File.ReadAllText(html), StringComparison.Ordinal);
    }

    [Fact]
    public void Bench_InAnOpenLoop_CommitsEveryTransaction()
    {
        string json = Path.Combine(_directory, "open.json");
        var (code, _, error) = CliRunner.Run(
            "bench", "--dir", _directory, "--rpc", _node!.RpcAddress.ToString(), "--txs", "200", "--rate", "400", "--batch", "10", "--json", json);
        Assert.True(code == 0, error);
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal("open", document.RootElement.GetProperty("settings").GetProperty("loop").GetString());
        Assert.Equal(200, document.RootElement.GetProperty("counts").GetProperty("succeeded").GetInt64());

        // 200 transactions at 400 tx/s take half a second to submit, whatever the node does.
        Assert.True(document.RootElement.GetProperty("results").GetProperty("submissionSeconds").GetDouble() >= 0.45);
    }

    [Fact]
    public void Bench_WithSink_ReportsTheGeneratorCeilingBesideTheRun()
    {
        string json = Path.Combine(_directory, "sink.json");
        var (code, output, error) = CliRunner.Run("bench", "--dir", _directory, "--rpc", _node!.RpcAddress.ToString(), "--txs", "200", "--sink", "--json", json);
        Assert.True(code == 0, error);
        Assert.Contains("generator ceiling", output, StringComparison.Ordinal);
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(json));
        JsonElement ceiling = document.RootElement.GetProperty("generator").GetProperty("ceiling");
        Assert.Equal(200, ceiling.GetProperty("transactions").GetInt64());
        Assert.True(ceiling.GetProperty("tps").GetDouble() > 0);
        Assert.Equal(200, document.RootElement.GetProperty("counts").GetProperty("succeeded").GetInt64());
    }

    [Fact]
    public void Bench_RefusedTransactions_AreCountedAsFailuresWithTheMessage()
    {
        // Keys of accounts that hold nothing: the pool refuses every transaction for insufficient funds.
        string keys = Path.Combine(_directory, "empty.txt");
        ICryptoSuite suite = CryptoSuites.Standard;
        File.WriteAllLines(keys, Enumerable.Range(0, 3).Select(_ => suite.GeneratePrivateKey().ToHex()));
        string json = Path.Combine(_directory, "refused.json");
        var (code, output, error) = CliRunner.Run("bench", "--rpc", _node!.RpcAddress.ToString(), "--keys", keys, "--txs", "30", "--json", json, "--timeout", "5");
        Assert.True(code == 0, error);
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(json));
        JsonElement counts = document.RootElement.GetProperty("counts");
        Assert.Equal(30, counts.GetProperty("rejected").GetInt64());
        Assert.Equal(0, counts.GetProperty("committed").GetInt64());
        Assert.Equal(0, document.RootElement.GetProperty("results").GetProperty("successRate").GetDouble());
        Assert.Contains("insufficient funds", document.RootElement.GetProperty("rejections")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("insufficient funds", output, StringComparison.Ordinal);
    }
}
