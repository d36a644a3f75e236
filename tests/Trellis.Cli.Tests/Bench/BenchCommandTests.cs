using System.Net;
using System.Net.Sockets;

namespace Trellis.Cli.Tests.Bench;

public sealed class BenchCommandTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "trellis-bench-cli-" + Guid.NewGuid().ToString("N"));

    public BenchCommandTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void UnknownWorkload_IsOneErrorLineNamingIt()
    {
        var (code, _, error) = CliRunner.Run("bench", "--rpc", "http://127.0.0.1:1", "--workload", "mint");
        Assert.Equal(1, code);
        Assert.Equal("error: unknown workload 'mint' (known: transfer, erc20, kv, evidence)", error.Trim());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    public void NonPositiveTxs_IsAnError(string txs)
    {
        var (code, _, error) = CliRunner.Run("bench", "--rpc", "http://127.0.0.1:1", "--txs", txs);
        Assert.Equal(1, code);
        Assert.Equal($"error: --txs must be a positive number of transactions, got {txs}", error.Trim());
    }

    [Theory]
    [InlineData("localhost:8545")]
    [InlineData("ftp://127.0.0.1:8545")]
    [InlineData("not a url")]
    public void BadRpcUrl_IsAnErrorNamingIt(string url)
    {
        var (code, _, error) = CliRunner.Run("bench", "--rpc", url);
        Assert.Equal(1, code);
        Assert.StartsWith($"error: --rpc: '{url}' is not an http:// or https:// URL", error.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownTransport_IsAnError()
    {
        var (code, _, error) = CliRunner.Run("bench", "--rpc", "http://127.0.0.1:1", "--transport", "grpc");
        Assert.Equal(1, code);
        Assert.Equal("error: unknown transport 'grpc' (known: http, ws)", error.Trim());
    }

    [Theory]
    [InlineData("--batch", "0", "error: --batch must be from 1 to 1000")]
    [InlineData("--batch", "1001", "error: --batch must be from 1 to 1000")]
    [InlineData("--concurrency", "0", "error: --concurrency must be from 1 to 1024")]
    [InlineData("--rate", "0", "error: --rate must be a positive number")]
    [InlineData("--senders", "0", "error: --senders must be at least 1")]
    [InlineData("--timeout", "0", "error: --timeout must be from 0 to 86400 seconds")]
    [InlineData("--max-pending", "-1", "error: --max-pending must be 0 (no bound) or positive")]
    public void OutOfRangeOption_IsAnErrorNamingIt(string option, string value, string expected)
    {
        var (code, _, error) = CliRunner.Run("bench", "--rpc", "http://127.0.0.1:1", option, value);
        Assert.Equal(1, code);
        Assert.StartsWith(expected, error.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public void NoNetwork_IsAnErrorSayingWhatToGive()
    {
        var (code, _, error) = CliRunner.Run("bench", "--txs", "10");
        Assert.Equal(1, code);
        Assert.StartsWith("error: no network to benchmark: give --dir DIR", error.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public void MissingDirectory_IsAnError()
    {
        string missing = Path.Combine(_directory, "nope");
        var (code, _, error) = CliRunner.Run("bench", "--dir", missing);
        Assert.Equal(1, code);
        Assert.Equal($"error: --dir: network directory '{missing}' does not exist", error.Trim());
    }

    [Fact]
    public void DirectoryWithoutAccounts_IsAnErrorNamingTheFile()
    {
        File.WriteAllText(Path.Combine(_directory, "network.json"), """{"version":1,"crypto":"standard","nodes":[{"name":"org1-node1","rpc":"http://127.0.0.1:1","dir":"nodes/org1-node1"}]}""");
        var (code, _, error) = CliRunner.Run("bench", "--dir", _directory);
        Assert.Equal(1, code);
        Assert.Equal($"error: --dir: '{Path.Combine(_directory, "accounts.json")}' is missing; give --keys FILE with the sender keys (accounts.json format or one hex key per line)", error.Trim());
    }

    [Fact]
    public void DirectoryThatIsNoNetwork_IsAnError()
    {
        var (code, _, error) = CliRunner.Run("bench", "--dir", _directory);
        Assert.Equal(1, code);
        Assert.Contains("holds neither network.json nor node0/node.json", error, StringComparison.Ordinal);
    }

    [Fact]
    public void MalformedKeyFile_IsAnErrorNamingTheLine()
    {
        string keys = Path.Combine(_directory, "keys.txt");
        File.WriteAllText(keys, "# senders\n0x" + new string('1', 64) + "\n0x1234\n");
        var (code, _, error) = CliRunner.Run("bench", "--rpc", "http://127.0.0.1:1", "--keys", keys);
        Assert.Equal(1, code);
        Assert.StartsWith($"error: {keys}:3: a private key must be 32 bytes of hex", error.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public void UnreachableNode_IsOneErrorLineNamingIt()
    {
        // A port that was just free: nothing listens there.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        string keys = Path.Combine(_directory, "keys.txt");
        File.WriteAllText(keys, "0x" + new string('1', 64) + "\n");
        var (code, output, error) = CliRunner.Run("bench", "--rpc", $"http://127.0.0.1:{port}", "--keys", keys, "--txs", "10");
        Assert.Equal(1, code);
        string[] lines = error.Trim().Split('\n');
        Assert.Single(lines);
        Assert.StartsWith($"error: node 127.0.0.1:{port} at http://127.0.0.1:{port}/ is unreachable", lines[0], StringComparison.Ordinal);
        Assert.Equal(string.Empty, output);
    }

    [Fact]
    public void Help_ListsTheOptions()
    {
        var (code, output, _) = CliRunner.Run("bench", "--help");
        Assert.Equal(0, code);
        foreach (string option in new[] { "--dir", "--rpc", "--workload", "--txs", "--senders", "--rate", "--transport", "--batch", "--concurrency", "--keys", "--json", "--html", "--timeout", "--sink" })
        {
            Assert.Contains(option, output, StringComparison.Ordinal);
        }
    }
}
