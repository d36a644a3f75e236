using System.Net;
using System.Net.Sockets;
using Trellis.Cli.Network;

namespace Trellis.Cli.Tests.Network;

public sealed class PortProbeTests
{
    [Fact]
    public void IsFree_IsFalseWhileAListenerHoldsThePortAndTrueAfter()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;

        Assert.False(PortProbe.IsFree("127.0.0.1", port));
        listener.Stop();
        Assert.True(PortProbe.IsFree("127.0.0.1", port));
    }

    [Fact]
    public void EnsureFree_NamesTheJsonRpcPortInUseAndItsNode()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        NetworkManifest manifest = Manifest(("org1-node1", FreePort(), FreePort()), ("org2-node1", port, FreePort()));

        var e = Assert.Throws<CliException>(() => PortProbe.EnsureFree(manifest));

        Assert.StartsWith($"port {port} on 127.0.0.1 (JSON-RPC of org2-node1) is in use", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnsureFree_NamesThePeerPortInUseAndItsNode()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        NetworkManifest manifest = Manifest(("org1-node1", FreePort(), port));

        var e = Assert.Throws<CliException>(() => PortProbe.EnsureFree(manifest));

        Assert.StartsWith($"port {port} on 127.0.0.1 (peer port of org1-node1) is in use", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnsureFree_PassesWhenEveryPortIsFree()
    {
        PortProbe.EnsureFree(Manifest(("org1-node1", FreePort(), FreePort()), ("org2-node1", FreePort(), FreePort())));
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static NetworkManifest Manifest(params (string Name, int Rpc, int P2p)[] nodes) => new()
    {
        ChainId = 1337,
        Consensus = "hotstuff",
        Crypto = "standard",
        BasePort = nodes[0].Rpc,
        Nodes = [.. nodes.Select(n => new NetworkNode(n.Name, n.Name[..4], "validator", new Uri($"http://127.0.0.1:{n.Rpc}"), $"127.0.0.1:{n.P2p}", "nodes/" + n.Name))],
    };
}
