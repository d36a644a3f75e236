using System.Globalization;
using System.Text.Json;
using Trellis.Core;
using Trellis.Crypto;
using Trellis.Ledger.Transactions;

namespace Trellis.Integration.Tests;

/// <summary><c>trellis up --detach</c>, <c>status</c> and <c>down</c> on real processes, as a user runs them.</summary>
public sealed class NetworkCommandsTests : IDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(90);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "trellis-net-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        // Whatever happened, leave no node running.
        if (File.Exists(Path.Combine(_directory, "network.json")))
        {
            using TrellisProcess down = TrellisProcess.Start("down", "--dir", _directory);
            down.WaitForExitAsync(CommandTimeout).GetAwaiter().GetResult();
        }

        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task UpDetach_StatusAndDown_RunASoloNetworkInTheBackgroundAndResumeIt()
    {
        int port = IntegrationNetwork.FreePort();
        string portText = port.ToString(CultureInfo.InvariantCulture);

        var up = await TrellisProcess.RunAsync(CommandTimeout, "up", "--consensus", "solo", "--detach", "--dir", _directory, "--base-port", portText);

        Assert.True(up.ExitCode == 0, up.Error);
        Assert.Contains($"JSON-RPC  http://127.0.0.1:{portText}", up.Output, StringComparison.Ordinal);
        int pid = int.Parse(File.ReadAllText(Path.Combine(_directory, "nodes", "org1-node1", "node.pid")).Trim(), CultureInfo.InvariantCulture);

        // Detached: the node leads a session of its own, so Ctrl-C in the shell that ran up does not reach it.
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        Assert.Equal(pid.ToString(CultureInfo.InvariantCulture), fields[3]);

        JsonElement status = await StatusAsync(expectedCode: 0);
        JsonElement node = Assert.Single(status.EnumerateArray());
        Assert.Equal("org1-node1", node.GetProperty("node").GetString());
        Assert.Equal($"http://127.0.0.1:{portText}", node.GetProperty("rpc").GetString());
        Assert.Equal(0, node.GetProperty("height").GetInt32());
        Assert.True(node.GetProperty("healthy").GetBoolean());

        // A development account pays; the block it lands in shows in status.
        using (var client = new RpcClient(new Uri($"http://127.0.0.1:{portText}")))
        {
            string hash = (await client.CallAsync("eth_sendRawTransaction", $"[\"{DevelopmentTransfer()}\"]")).GetString()!;
            DateTime deadline = DateTime.UtcNow.AddSeconds(30);
            while ((await client.CallAsync("eth_getTransactionReceipt", $"[\"{hash}\"]")).ValueKind != JsonValueKind.Object)
            {
                Assert.True(DateTime.UtcNow < deadline, "no receipt");
                await Task.Delay(50);
            }
        }

        Assert.Equal(1, (await StatusAsync(expectedCode: 0))[0].GetProperty("height").GetInt32());

        // A second up refuses while the node runs.
        var again = await TrellisProcess.RunAsync(CommandTimeout, "up", "--detach", "--dir", _directory);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains($"org1-node1 (pid {pid}) of {_directory} is already running", again.Error, StringComparison.Ordinal);

        var down = await TrellisProcess.RunAsync(CommandTimeout, "down", "--dir", _directory);
        Assert.True(down.ExitCode == 0, down.Error);
        Assert.Contains($"stopped 1 node of {_directory}", down.Output, StringComparison.Ordinal);
        Assert.True(HasExited(pid), $"process {pid} still runs");
        Assert.False(File.Exists(Path.Combine(_directory, "nodes", "org1-node1", "node.pid")));
        Assert.Contains("stopping", File.ReadAllText(Path.Combine(_directory, "nodes", "org1-node1", "node.log")), StringComparison.Ordinal);

        JsonElement stopped = (await StatusAsync(expectedCode: 2))[0];
        Assert.False(stopped.GetProperty("healthy").GetBoolean());
        Assert.Equal(JsonValueKind.Null, stopped.GetProperty("height").ValueKind);

        var downAgain = await TrellisProcess.RunAsync(CommandTimeout, "down", "--dir", _directory);
        Assert.Equal(0, downAgain.ExitCode);
        Assert.Contains("no node of", downAgain.Output, StringComparison.Ordinal);

        // Resumed with its data: the block is still there.
        var resume = await TrellisProcess.RunAsync(CommandTimeout, "up", "--detach", "--dir", _directory);
        Assert.True(resume.ExitCode == 0, resume.Error);
        Assert.Contains("resuming a solo network", resume.Output, StringComparison.Ordinal);
        Assert.Equal(1, (await StatusAsync(expectedCode: 0))[0].GetProperty("height").GetInt32());
        Assert.Equal(0, (await TrellisProcess.RunAsync(CommandTimeout, "down", "--dir", _directory)).ExitCode);
    }

    [Fact]
    public async Task UpDetach_NamesTheNodeAndItsLogWhenANodeCannotStart()
    {
        int port = IntegrationNetwork.FreePort();
        var first = await TrellisProcess.RunAsync(CommandTimeout, "up", "--consensus", "solo", "--detach", "--dir", _directory, "--base-port", port.ToString(CultureInfo.InvariantCulture));
        Assert.True(first.ExitCode == 0, first.Error);
        Assert.Equal(0, (await TrellisProcess.RunAsync(CommandTimeout, "down", "--dir", _directory)).ExitCode);

        // A node whose database is damaged refuses to start; up reports its error line and where the log is.
        string database = Path.Combine(_directory, "nodes", "org1-node1", "data", "chain.db");
        foreach (string file in Directory.GetFiles(Path.GetDirectoryName(database)!))
        {
            File.Delete(file);
        }

        await File.WriteAllTextAsync(database, "this is not a SQLite database, it is a sandwich");

        var up = await TrellisProcess.RunAsync(CommandTimeout, "up", "--detach", "--dir", _directory);

        Assert.Equal(1, up.ExitCode);
        string line = Assert.Single(up.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: org1-node1 exited while starting (exit code 1): ", line, StringComparison.Ordinal);
        Assert.EndsWith($"(log: {Path.Combine(_directory, "nodes", "org1-node1", "node.log")})", line, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_directory, "nodes", "org1-node1", "node.pid")));
    }

    // Gone, or a zombie waiting for an init that reaps slowly (as in some containers): either way it no longer runs.
    private static bool HasExited(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[stat.LastIndexOf(')') + 2] == 'Z';
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return true;
        }
    }

    private async Task<JsonElement> StatusAsync(int expectedCode)
    {
        var status = await TrellisProcess.RunAsync(CommandTimeout, "status", "--dir", _directory, "--json");
        Assert.True(status.ExitCode == expectedCode, $"status exit code {status.ExitCode}: {status.Error}\n{status.Output}");
        return JsonDocument.Parse(status.Output).RootElement.Clone();
    }

    private string DevelopmentTransfer()
    {
        using JsonDocument accounts = JsonDocument.Parse(File.ReadAllText(Path.Combine(_directory, "accounts.json")));
        PrivateKey key = CryptoSuites.Standard.ImportPrivateKey(Hex.Decode(accounts.RootElement[0].GetProperty("privateKey").GetString()!));
        return Hex.Encode(new TransactionBuilder
        {
            Type = TxType.DynamicFee,
            ChainId = 1337,
            GasLimit = 21_000,
            To = Address.Parse(accounts.RootElement[1].GetProperty("address").GetString()!),
            Value = UInt256.One,
        }.Sign(CryptoSuites.Standard, key).Encode());
    }
}
