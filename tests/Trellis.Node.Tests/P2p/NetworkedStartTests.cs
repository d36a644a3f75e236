using System.Net;
using System.Net.Sockets;
using Trellis.Crypto;
using Trellis.Node.Tests.JsonRpc;

namespace Trellis.Node.Tests.P2p;

/// <summary>Starting a node of a networked engine: what it checks, and the errors that name what is wrong.</summary>
public sealed class NetworkedStartTests
{
    [Theory]
    [InlineData("hotstuff")]
    [InlineData("raft")]
    public async Task StartAsync_SaysAnEngineMissingFromTheRegistryIsNotAvailable(string engine)
    {
        await using var cluster = new P2pCluster(nodes: 1, engine: engine);
        var empty = new NodeStartOptions { Engines = new Engines.NetworkedEngineRegistry() };

        var error = await Assert.ThrowsAsync<NodeStartException>(() => TrellisNode.StartAsync(cluster.ConfigFor(0, []), empty));

        Assert.Contains($"consensus engine '{engine}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("is not available in this build", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_RefusesANetworkedEngineWithoutP2pOrNodeName()
    {
        await using var cluster = new P2pCluster(nodes: 1);
        NodeConfig config = cluster.ConfigFor(0, []);

        var noP2p = await Assert.ThrowsAsync<NodeStartException>(() => TrellisNode.StartAsync(WithP2p(config, null), P2pCluster.StartOptions()));
        var noName = await Assert.ThrowsAsync<NodeStartException>(() => TrellisNode.StartAsync(WithName(config, null), P2pCluster.StartOptions()));

        Assert.Contains("no p2p section", noP2p.Message, StringComparison.Ordinal);
        Assert.Contains("needs nodeName", noName.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_RefusesAValidatorWithoutItsSigningKeyOrWithAnotherNodesKey()
    {
        await using var cluster = new P2pCluster(nodes: 2);
        NodeConfig config = cluster.ConfigFor(0, []);

        var missing = await Assert.ThrowsAsync<NodeStartException>(() => TrellisNode.StartAsync(WithKey(config, null), P2pCluster.StartOptions()));
        var other = await Assert.ThrowsAsync<NodeStartException>(() => TrellisNode.StartAsync(WithKey(config, cluster.Nodes[1].SigningKeyFile), P2pCluster.StartOptions()));

        Assert.Contains("node 'node0' is a hotstuff validator and needs its ledger signing key", missing.Message, StringComparison.Ordinal);
        Assert.Contains(cluster.Nodes[1].Address.ToLowerHex(), other.Message, StringComparison.Ordinal);
        Assert.Contains(cluster.Nodes[0].Address.ToLowerHex(), other.Message, StringComparison.Ordinal);
        Assert.Contains("genesis gives node 'node0'", other.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_NamesAnUnreadableSigningKeyAndOneOnTheWrongCurve()
    {
        await using var cluster = new P2pCluster(nodes: 1);
        string garbage = Path.Combine(cluster.Directory, "garbage.key");
        File.WriteAllText(garbage, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        string sm2 = Path.Combine(cluster.Directory, "sm2.key");
        File.WriteAllText(sm2, KeyEncoding.ExportPrivateKeyPem(CurveKind.Sm2, CryptoSuites.National.GeneratePrivateKey().Bytes));

        var unreadable = await Assert.ThrowsAsync<NodeStartException>(() => TrellisNode.StartAsync(WithKey(cluster.ConfigFor(0, []), garbage), P2pCluster.StartOptions()));
        var wrongCurve = await Assert.ThrowsAsync<NodeStartException>(() => TrellisNode.StartAsync(WithKey(cluster.ConfigFor(0, []), sm2), P2pCluster.StartOptions()));

        Assert.Contains($"signingKeyFile '{garbage}' is not a usable private key", unreadable.Message, StringComparison.Ordinal);
        Assert.Contains("holds a Sm2 key", wrongCurve.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_RefusesATlsCertificateThatGenesisDoesNotPinForThisNode()
    {
        await using var cluster = new P2pCluster(nodes: 2);
        NodeConfig config = cluster.ConfigFor(0, []);
        NodeConfig swapped = WithP2p(config, new P2pConfig { ListenPort = 0, CertificateFile = cluster.Nodes[1].CertificateFile, PrivateKeyFile = cluster.Nodes[1].PrivateKeyFile });
        NodeConfig mismatched = WithP2p(config, new P2pConfig { ListenPort = 0, CertificateFile = cluster.Nodes[0].CertificateFile, PrivateKeyFile = cluster.Nodes[1].PrivateKeyFile });

        var wrongNode = await Assert.ThrowsAsync<NodeStartException>(() => TrellisNode.StartAsync(swapped, P2pCluster.StartOptions()));
        var wrongKey = await Assert.ThrowsAsync<NodeStartException>(() => TrellisNode.StartAsync(mismatched, P2pCluster.StartOptions()));

        // node1's certificate is issued by org2, so against node0's organisation (org1) it does not even chain.
        Assert.Contains(cluster.Nodes[1].CertificateFile, wrongNode.Message, StringComparison.Ordinal);
        Assert.Contains(cluster.Nodes[1].PrivateKeyFile, wrongKey.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_NamesAPeerPortAlreadyInUseAndLeavesNothingOpen()
    {
        await using var cluster = new P2pCluster(nodes: 1);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var error = await Assert.ThrowsAsync<NodeStartException>(() => TrellisNode.StartAsync(cluster.ConfigFor(0, [], listenPort: port), P2pCluster.StartOptions()));

        Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
        Assert.Contains("p2p.listenPort", error.Message, StringComparison.Ordinal);
        listener.Stop();
        await using TrellisNode node = await TrellisNode.StartAsync(cluster.ConfigFor(0, [], listenPort: port), P2pCluster.StartOptions());
        Assert.Equal(port, node.P2pEndpoint!.Port);
    }

    [Fact]
    public async Task Solo_IgnoresAP2pSectionAndReportsItselfSolo()
    {
        await using var cluster = new P2pCluster(nodes: 1, engine: "solo");

        await using TrellisNode node = await TrellisNode.StartAsync(cluster.ConfigFor(0, []));
        using var client = new TestRpcClient(node.RpcAddress);

        Assert.Null(node.Network);
        var status = await client.ResultAsync("trellis_status");
        Assert.Equal("solo", status.GetProperty("role").GetString());
        Assert.Equal("solo", status.GetProperty("consensus").GetString());
        Assert.Equal(0, status.GetProperty("peers").GetInt32());
        Assert.Equal("node0", status.GetProperty("node").GetString());
    }

    private static NodeConfig WithP2p(NodeConfig c, P2pConfig? p2p) => new()
    {
        DataDir = c.DataDir,
        GenesisFile = c.GenesisFile,
        NodeName = c.NodeName,
        RpcPort = 0,
        SigningKeyFile = c.SigningKeyFile,
        P2p = p2p,
    };

    private static NodeConfig WithName(NodeConfig c, string? name) => new()
    {
        DataDir = c.DataDir,
        GenesisFile = c.GenesisFile,
        NodeName = name,
        RpcPort = 0,
        SigningKeyFile = c.SigningKeyFile,
        P2p = c.P2p,
    };

    private static NodeConfig WithKey(NodeConfig c, string? key) => new()
    {
        DataDir = c.DataDir,
        GenesisFile = c.GenesisFile,
        NodeName = c.NodeName,
        RpcPort = 0,
        SigningKeyFile = key,
        P2p = c.P2p,
    };
}
