using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Trellis.Cli.Network;
using Trellis.Cli.Tests.Network;

namespace Trellis.Cli.Tests;

/// <summary><c>up</c>, <c>status</c> and <c>down</c> in process, on the paths that start no node.</summary>
public sealed class NetworkCommandsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Dir => _temp.Combine("net");

    [Theory]
    [InlineData("status")]
    [InlineData("down")]
    public void StatusAndDown_NameAMissingDirectoryInOneLine(string verb)
    {
        var (code, output, error) = CliRunner.Run(verb, "--dir", Dir);

        Assert.Equal(1, code);
        Assert.Empty(output);
        Assert.Equal($"error: network directory '{Dir}' does not exist (trellis up --dir creates one)", error.Trim());
    }

    [Theory]
    [InlineData("status")]
    [InlineData("down")]
    public void StatusAndDown_NameADirectoryWithoutANetwork(string verb)
    {
        Directory.CreateDirectory(Dir);

        var (code, _, error) = CliRunner.Run(verb, "--dir", Dir);

        Assert.Equal(1, code);
        Assert.Equal($"error: '{Dir}' holds no Trellis network: network.json is missing", error.Trim());
    }

    [Fact]
    public void Status_NamesABrokenNetworkJsonInOneLine()
    {
        Directory.CreateDirectory(Dir);
        File.WriteAllText(Path.Combine(Dir, "network.json"), "{\"version\": 1, \"nodes\": 5}");

        var (code, _, error) = CliRunner.Run("status", "--dir", Dir);

        Assert.Equal(1, code);
        Assert.StartsWith($"error: '{Path.Combine(Dir, "network.json")}' is broken: ", error, StringComparison.Ordinal);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void StatusJson_ListsEveryNodeWithHeightRoleAndHealth()
    {
        using var server = new FakeRpcServer(_ => FakeRpcServer.Result("""{"node":"org1-node1","height":"0x2a","role":"leader","peers":1,"consensus":"hotstuff","chainId":"0x539","syncing":false}"""));
        int down = PortProbeTests.FreePort();
        WriteManifest(("org1-node1", server.Port), ("org2-node1", down));

        var (code, output, error) = CliRunner.Run("status", "--dir", Dir, "--json");

        Assert.True(code == StatusCommand.SomeUnhealthy, error);
        using JsonDocument json = JsonDocument.Parse(output);
        JsonElement[] nodes = [.. json.RootElement.EnumerateArray()];
        Assert.Equal(2, nodes.Length);
        Assert.Equal(["node", "rpc", "height", "role", "healthy"], nodes[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal("org1-node1", nodes[0].GetProperty("node").GetString());
        Assert.Equal($"http://127.0.0.1:{server.Port}", nodes[0].GetProperty("rpc").GetString());
        Assert.Equal(42, nodes[0].GetProperty("height").GetInt32());
        Assert.Equal("leader", nodes[0].GetProperty("role").GetString());
        Assert.True(nodes[0].GetProperty("healthy").GetBoolean());
        Assert.Equal("org2-node1", nodes[1].GetProperty("node").GetString());
        Assert.Equal(JsonValueKind.Null, nodes[1].GetProperty("height").ValueKind);
        Assert.Equal(JsonValueKind.Null, nodes[1].GetProperty("role").ValueKind);
        Assert.False(nodes[1].GetProperty("healthy").GetBoolean());
    }

    [Fact]
    public void Status_PrintsATableAndExitsZeroWhenEveryNodeIsHealthy()
    {
        using var server = new FakeRpcServer(_ => FakeRpcServer.Result("""{"height":"0x7","role":"solo","peers":0,"syncing":false}"""));
        WriteManifest(("org1-node1", server.Port));

        var (code, output, _) = CliRunner.Run("status", "--dir", Dir);

        Assert.Equal(0, code);
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("NODE", lines[0], StringComparison.Ordinal);
        Assert.Matches(@"^org1-node1\s+solo\s+7\s+0\s+http://127\.0\.0\.1:\d+\s+ok$", lines[1]);
    }

    [Fact]
    public void Status_SaysStoppedForANodeThatIsNotRunning()
    {
        WriteManifest(("org1-node1", PortProbeTests.FreePort()));

        var (code, output, _) = CliRunner.Run("status", "--dir", Dir);

        Assert.Equal(StatusCommand.SomeUnhealthy, code);
        Assert.EndsWith("stopped", output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Down_IsIdempotentAndRemovesStalePidFiles()
    {
        NetworkGenerator.Create(Dir, new NetworkSpec { Consensus = "solo", BasePort = PortProbeTests.FreePort() });
        string pid = Path.Combine(Dir, "nodes", "org1-node1", "node.pid");
        File.WriteAllText(pid, Environment.ProcessId.ToString(CultureInfo.InvariantCulture));

        var first = CliRunner.Run("down", "--dir", Dir);
        var second = CliRunner.Run("down", "--dir", Dir);

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(0, second.ExitCode);
        Assert.Equal($"no node of {Dir} is running", second.Output.Trim());
        Assert.False(File.Exists(pid));
    }

    [Fact]
    public void Down_StillWorksWhenNetworkJsonIsBroken()
    {
        NetworkGenerator.Create(Dir, new NetworkSpec { Consensus = "solo", BasePort = PortProbeTests.FreePort() });
        File.WriteAllText(Path.Combine(Dir, "network.json"), "garbage");

        var (code, output, error) = CliRunner.Run("down", "--dir", Dir);

        Assert.Equal(0, code);
        Assert.StartsWith("warning: ", error, StringComparison.Ordinal);
        Assert.Equal($"no node of {Dir} is running", output.Trim());
    }

    [Fact]
    public void Up_NamesAJsonRpcPortInUseInOneLineAndStartsNothing()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var (code, _, error) = CliRunner.Run("up", "--consensus", "solo", "--dir", Dir, "--base-port", port.ToString(CultureInfo.InvariantCulture));

        Assert.Equal(1, code);
        Assert.Equal($"error: port {port} on 127.0.0.1 (JSON-RPC of org1-node1) is in use; stop what holds it, or create the network elsewhere with --dir and another --base-port", error.Trim());
        Assert.False(File.Exists(Path.Combine(Dir, "nodes", "org1-node1", "node.pid")));
        Assert.False(File.Exists(Path.Combine(Dir, "nodes", "org1-node1", "node.log")));
    }

    [Fact]
    public void Up_NamesAPeerPortInUseInOneLine()
    {
        int basePort = FreeBasePort();
        using var listener = new TcpListener(IPAddress.Loopback, basePort + 1001);
        listener.Start();

        var (code, _, error) = CliRunner.Run("up", "--orgs", "2", "--dir", Dir, "--base-port", basePort.ToString(CultureInfo.InvariantCulture));

        Assert.Equal(1, code);
        Assert.StartsWith($"error: port {basePort + 1001} on 127.0.0.1 (peer port of org2-node1) is in use", error.Trim(), StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public void Up_RefusesOptionsThatConflictWithTheNetworkInTheDirectory()
    {
        NetworkGenerator.Create(Dir, new NetworkSpec { Consensus = "solo", BasePort = PortProbeTests.FreePort() });

        var (code, _, error) = CliRunner.Run("up", "--dir", Dir, "--crypto", "national");

        Assert.Equal(1, code);
        Assert.Contains("holds a solo network with standard crypto; --crypto national conflicts", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Up_NamesABrokenGenesisInOneLine()
    {
        NetworkGenerator.Create(Dir, new NetworkSpec { Consensus = "solo", BasePort = PortProbeTests.FreePort() });
        File.WriteAllText(Path.Combine(Dir, "genesis.json"), "[1, 2");

        var (code, _, error) = CliRunner.Run("up", "--dir", Dir);

        Assert.Equal(1, code);
        Assert.StartsWith($"error: '{Path.Combine(Dir, "genesis.json")}' is broken: ", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public void Up_RefusesADirectoryThatHoldsSomethingElse()
    {
        Directory.CreateDirectory(Dir);
        File.WriteAllText(Path.Combine(Dir, "thesis.tex"), "precious");

        var (code, _, error) = CliRunner.Run("up", "--dir", Dir);

        Assert.Equal(1, code);
        Assert.Equal($"error: '{Dir}' is not empty and holds no Trellis network (network.json is missing); pick an empty or new directory", error.Trim());
        Assert.Equal("precious", File.ReadAllText(Path.Combine(Dir, "thesis.tex")));
    }

    [Theory]
    [InlineData("--consensus", "pbft")]
    [InlineData("--crypto", "rot13")]
    [InlineData("--orgs", "many")]
    public void Up_RefusesAnUnknownOptionValue(string option, string value)
    {
        var (code, _, error) = CliRunner.Run("up", "--dir", Dir, option, value);

        Assert.Equal(1, code);
        Assert.Contains(value, error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Dir));
    }

    [Fact]
    public void Up_RefusesAnOutOfRangeOrgCountWithoutWritingAnything()
    {
        var (code, _, error) = CliRunner.Run("up", "--dir", Dir, "--orgs", "0");

        Assert.Equal(1, code);
        Assert.Equal("error: --orgs must be from 1 to 64, got 0", error.Trim());
        Assert.False(Directory.Exists(Dir));
    }

    [Fact]
    public void Help_ListsUpStatusAndDown()
    {
        var (_, output, _) = CliRunner.Run("--help");

        Assert.Contains("up", output, StringComparison.Ordinal);
        Assert.Contains("status", output, StringComparison.Ordinal);
        Assert.Contains("down", output, StringComparison.Ordinal);
    }

    private void WriteManifest(params (string Name, int Port)[] nodes)
    {
        Directory.CreateDirectory(Dir);
        var manifest = new NetworkManifest
        {
            ChainId = 1337,
            Consensus = "hotstuff",
            Crypto = "standard",
            BasePort = nodes[0].Port,
            Nodes = [.. nodes.Select(n => new NetworkNode(n.Name, n.Name[..4], "validator", new Uri($"http://127.0.0.1:{n.Port}"), "127.0.0.1:1", "nodes/" + n.Name))],
        };
        File.WriteAllText(Path.Combine(Dir, "network.json"), manifest.ToJson());
    }

    // A base port whose JSON-RPC and peer ranges for two nodes are free right now.
    private static int FreeBasePort()
    {
        for (int attempt = 0; attempt < 50; attempt++)
        {
            // Below Linux's ephemeral range (32768 and up), so an outgoing connection cannot take the port between this
            // check and the node binding it.
            int port = Random.Shared.Next(10_000, 31_000);
            if (PortProbe.IsFree("127.0.0.1", port) && PortProbe.IsFree("127.0.0.1", port + 1) && PortProbe.IsFree("127.0.0.1", port + 1000) && PortProbe.IsFree("127.0.0.1", port + 1001))
            {
                return port;
            }
        }

        throw new InvalidOperationException("no free base port");
    }
}
