using Trellis.Core;
using Trellis.Crypto;
using Trellis.Network.Certificates;
using Trellis.Node.Engines;
using Trellis.Node.Tests.JsonRpc;

namespace Trellis.Node.Tests.P2p;

/// <summary>
/// Starting a node that genesis does not list (added later by a governance vote): its identity comes from its own
/// files, which must agree with each other; admission and role are left to the registry it syncs.
/// </summary>
public sealed class JoinerStartTests : IDisposable
{
    private readonly CertificateAuthority _org5 = CertificateAuthority.Create("org5");
    private readonly CertificateAuthority _org6 = CertificateAuthority.Create("org6");

    [Fact]
    public async Task StartAsync_NodeOutsideGenesisWithConsistentFiles_StartsAsAnObserverAndSaysWhy()
    {
        await using var cluster = new P2pCluster(nodes: 1);
        Joiner joiner = Joiner.Write(cluster, _org5, "org5-node1");
        var loggers = new CapturingLoggerFactory();

        await using TrellisNode node = await TrellisNode.StartAsync(joiner.Config(cluster), RealEngines(), loggers);
        using var client = new TestRpcClient(node.RpcAddress);
        var status = await client.ResultAsync("trellis_status");

        Assert.Equal("org5-node1", node.Name);
        Assert.Equal("org5-node1", status.GetProperty("node").GetString());

        // The real HotStuff engine with a key outside the genesis validator list follows as an observer.
        Assert.Equal("observer", status.GetProperty("role").GetString());
        Assert.Contains(loggers.Messages, m => m.Contains("is not in genesis; admission and role come from the registry as the chain syncs", StringComparison.Ordinal)
            && m.Contains(joiner.Address.ToLowerHex(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task StartAsync_NodeOutsideGenesis_FindsItsCaBesideALeafOnlyCertificateFile()
    {
        await using var cluster = new P2pCluster(nodes: 1);
        Joiner joiner = Joiner.Write(cluster, _org5, "org5-node1", chain: c => c.ExportCertificatePem());
        File.WriteAllText(Path.Combine(joiner.Directory, "ca.crt"), _org5.ExportCertificatePem());

        await using TrellisNode node = await TrellisNode.StartAsync(joiner.Config(cluster), RealEngines());

        Assert.Equal("org5-node1", node.Name);
    }

    [Fact]
    public async Task StartAsync_RefusesACertificateThatNamesAnotherKey()
    {
        await using var cluster = new P2pCluster(nodes: 1);
        Address other = cluster.Suite.ToAddress(cluster.Suite.DerivePublicKey(cluster.Suite.GeneratePrivateKey()));
        Joiner joiner = Joiner.Write(cluster, _org5, "org5-node1", certificateAddress: other);

        var error = await Assert.ThrowsAsync<NodeStartException>(() => TrellisNode.StartAsync(joiner.Config(cluster), RealEngines()));

        Assert.Contains($"TLS certificate '{joiner.CertificateFile}'", error.Message, StringComparison.Ordinal);
        Assert.Contains($"carries signing address {other.ToLowerHex()}", error.Message, StringComparison.Ordinal);
        Assert.Contains($"signingKeyFile '{joiner.SigningKeyFile}' is the key of {joiner.Address.ToLowerHex()}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_RefusesACertificateNotIssuedByTheCaInItsChainFile()
    {
        await using var cluster = new P2pCluster(nodes: 1);
        Joiner joiner = Joiner.Write(cluster, _org5, "org5-node1", chain: c => c.ExportCertificatePem() + "\n" + _org6.ExportCertificatePem());

        var error = await Assert.ThrowsAsync<NodeStartException>(() => TrellisNode.StartAsync(joiner.Config(cluster), RealEngines()));

        Assert.Contains($"TLS certificate '{joiner.CertificateFile}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("does not chain to CA", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_RefusesAnExpiredCertificate()
    {
        await using var cluster = new P2pCluster(nodes: 1);
        DateTimeOffset now = DateTimeOffset.UtcNow;
        Joiner joiner = Joiner.Write(cluster, _org5, "org5-node1", validity: (now.AddDays(-10), now.AddDays(-1)));

        var error = await Assert.ThrowsAsync<NodeStartException>(() => TrellisNode.StartAsync(joiner.Config(cluster), RealEngines()));

        Assert.Contains($"TLS certificate '{joiner.CertificateFile}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("expired at", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_RefusesASigningKeyOnAnotherCurve()
    {
        await using var cluster = new P2pCluster(nodes: 1);
        Joiner joiner = Joiner.Write(cluster, _org5, "org5-node1");
        File.WriteAllText(joiner.SigningKeyFile, KeyEncoding.ExportPrivateKeyPem(CurveKind.Sm2, CryptoSuites.National.GeneratePrivateKey().Bytes));

        var error = await Assert.ThrowsAsync<NodeStartException>(() => TrellisNode.StartAsync(joiner.Config(cluster), RealEngines()));

        Assert.Contains($"signingKeyFile '{joiner.SigningKeyFile}' holds a Sm2 key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_RefusesACertificateIssuedToAnotherNodeName()
    {
        await using var cluster = new P2pCluster(nodes: 1);
        Joiner joiner = Joiner.Write(cluster, _org5, "org5-node1", certificateName: "org5-node2");

        var error = await Assert.ThrowsAsync<NodeStartException>(() => TrellisNode.StartAsync(joiner.Config(cluster), RealEngines()));

        Assert.Contains("nodeName 'org5-node1' is not among the nodes of", error.Message, StringComparison.Ordinal);
        Assert.Contains("so it is taken for a node added after genesis", error.Message, StringComparison.Ordinal);
        Assert.Contains("it is issued to node 'org5-node2', but nodeName is 'org5-node1'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_NamesTheMissingFileOfANodeOutsideGenesis()
    {
        await using var cluster = new P2pCluster(nodes: 1);
        Joiner joiner = Joiner.Write(cluster, _org5, "org5-node1");
        NodeConfig config = joiner.Config(cluster);

        var noKeyField = await Assert.ThrowsAsync<NodeStartException>(() => TrellisNode.StartAsync(joiner.Config(cluster, signingKeyFile: null), RealEngines()));
        File.Delete(joiner.SigningKeyFile);
        var noKey = await Assert.ThrowsAsync<NodeStartException>(() => TrellisNode.StartAsync(config, RealEngines()));

        Joiner leafOnly = Joiner.Write(cluster, _org5, "org5-node3", chain: c => c.ExportCertificatePem());
        var noCa = await Assert.ThrowsAsync<NodeStartException>(() => TrellisNode.StartAsync(leafOnly.Config(cluster), RealEngines()));
        File.Delete(leafOnly.CertificateFile);
        var noCertificate = await Assert.ThrowsAsync<NodeStartException>(() => TrellisNode.StartAsync(leafOnly.Config(cluster), RealEngines()));

        Assert.Contains("nodeName 'org5-node1' is not among the nodes of", noKeyField.Message, StringComparison.Ordinal);
        Assert.Contains("needs signingKeyFile", noKeyField.Message, StringComparison.Ordinal);
        Assert.Contains($"signingKeyFile '{joiner.SigningKeyFile}' cannot be read", noKey.Message, StringComparison.Ordinal);
        Assert.Contains($"p2p.certificateFile '{leafOnly.CertificateFile}' holds no organisation CA certificate", noCa.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(leafOnly.Directory, "ca.crt"), noCa.Message, StringComparison.Ordinal);
        Assert.Contains($"p2p.certificateFile '{leafOnly.CertificateFile}' cannot be read", noCertificate.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NodeOfAnOrganisationThatIsNotAMember_IsRefusedEvenWithItsCaInThePeersMemberCaDirectory()
    {
        await using var cluster = new P2pCluster(nodes: 1);
        string authorities = Path.Combine(cluster.Directory, "orgs");
        System.IO.Directory.CreateDirectory(Path.Combine(authorities, "org5"));
        File.WriteAllText(Path.Combine(authorities, "org5", "ca.crt"), _org5.ExportCertificatePem());
        NodeConfig genesis = cluster.ConfigFor(0, []);
        var loggers = new CapturingLoggerFactory();
        await using TrellisNode validator = await TrellisNode.StartAsync(
            new NodeConfig
            {
                DataDir = genesis.DataDir,
                GenesisFile = genesis.GenesisFile,
                NodeName = genesis.NodeName,
                RpcPort = 0,
                SigningKeyFile = genesis.SigningKeyFile,
                P2p = new P2pConfig { ListenPort = 0, CertificateFile = genesis.P2p!.CertificateFile, PrivateKeyFile = genesis.P2p.PrivateKeyFile, MemberCaDirectory = authorities },
            },
            P2pCluster.StartOptions(),
            loggers);
        Joiner joiner = Joiner.Write(cluster, _org5, "org5-node1");
        NodeConfig own = joiner.Config(cluster);

        await using TrellisNode outsider = await TrellisNode.StartAsync(
            new NodeConfig
            {
                DataDir = own.DataDir,
                GenesisFile = own.GenesisFile,
                NodeName = own.NodeName,
                RpcPort = 0,
                SigningKeyFile = own.SigningKeyFile,
                P2p = new P2pConfig { ListenPort = 0, CertificateFile = own.P2p!.CertificateFile, PrivateKeyFile = own.P2p.PrivateKeyFile, Peers = [$"127.0.0.1:{validator.P2pEndpoint!.Port}"] },
            },
            RealEngines());

        // The committee does not list org5's CA fingerprint: neither the CA file nor the CA org5-node1 sends in its
        // hello is a trust anchor.
        await Rpc.Eventually.MatchAsync(
            () => Task.FromResult(loggers.Messages.ToArray()),
            messages => messages.Any(m => m.Contains("CN=org5-node1, O=org5", StringComparison.Ordinal) && m.Contains("not valid under the member CAs", StringComparison.Ordinal)),
            "the validator refuses org5-node1");
        Assert.Equal(0, validator.Network!.PeerCount);
        Assert.Equal(0, outsider.Network!.PeerCount);
    }

    public void Dispose()
    {
        _org5.Dispose();
        _org6.Dispose();
    }

    private static NodeStartOptions RealEngines() => new() { Engines = NetworkedEngineRegistry.CreateDefault(), PeerNetwork = P2pCluster.FastOptions };

    /// <summary>The files of a node that genesis does not list, as <c>trellis node add</c> writes them.</summary>
    private sealed record Joiner(string Name, string Directory, Address Address)
    {
        public string SigningKeyFile => Path.Combine(Directory, "signing.key");

        public string CertificateFile => Path.Combine(Directory, "tls.crt");

        public string PrivateKeyFile => Path.Combine(Directory, "tls.key");

        public static Joiner Write(
            P2pCluster cluster,
            CertificateAuthority authority,
            string name,
            Func<NodeCertificate, string>? chain = null,
            Address? certificateAddress = null,
            string? certificateName = null,
            (DateTimeOffset NotBefore, DateTimeOffset NotAfter)? validity = null)
        {
            string directory = Path.Combine(cluster.Directory, name);
            System.IO.Directory.CreateDirectory(directory);
            PrivateKey key = cluster.Suite.GeneratePrivateKey();
            Address address = cluster.Suite.ToAddress(cluster.Suite.DerivePublicKey(key));
            var joiner = new Joiner(name, directory, address);
            DateTimeOffset now = DateTimeOffset.UtcNow;
            (DateTimeOffset notBefore, DateTimeOffset notAfter) = validity ?? (now.AddMinutes(-5), now.AddDays(30));
            using NodeCertificate certificate = authority.IssueNodeCertificate(certificateName ?? name, certificateAddress ?? address, notBefore, notAfter);
            File.WriteAllText(joiner.SigningKeyFile, KeyEncoding.ExportPrivateKeyPem(cluster.Suite.Curve, key.Bytes));
            File.WriteAllText(joiner.CertificateFile, chain is null ? certificate.ExportChainPem() + authority.ExportCertificatePem() : chain(certificate));
            File.WriteAllText(joiner.PrivateKeyFile, certificate.ExportPrivateKeyPem());
            return joiner;
        }

        public NodeConfig Config(P2pCluster cluster) => Config(cluster, SigningKeyFile);

        public NodeConfig Config(P2pCluster cluster, string? signingKeyFile) => new()
        {
            DataDir = Path.Combine(Directory, "data"),
            GenesisFile = cluster.GenesisFile,
            NodeName = Name,
            RpcPort = 0,
            SigningKeyFile = signingKeyFile,
            P2p = new P2pConfig { ListenPort = 0, CertificateFile = CertificateFile, PrivateKeyFile = PrivateKeyFile },
        };
    }
}
