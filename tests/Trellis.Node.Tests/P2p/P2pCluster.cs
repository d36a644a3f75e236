using System.Net;
using System.Text;
using Trellis.Core;
using Trellis.Crypto;
using Trellis.Ledger.Genesis;
using Trellis.Ledger.Transactions;
using Trellis.Network;
using Trellis.Network.Admission;
using Trellis.Network.Certificates;
using Trellis.Node.Engines;
using Trellis.Node.P2p;
using LedgerNodeConfig = Trellis.Ledger.Genesis.NodeConfig;

namespace Trellis.Node.Tests.P2p;

/// <summary>
/// A consortium on loopback for tests: two organisations with real CAs, nodes with real signing keys and TLS
/// certificates written to files, a genesis naming them all (engine "hotstuff", served by
/// <see cref="TestNetworkedEngine"/>), and funded accounts (keys 1, 2, 3). Node i is "node{i}"; the last
/// <c>observers</c> nodes are observers. An extra admitted validator, "rogue", has a certificate but no node: tests
/// drive it with a bare <see cref="NetworkHost"/>.
/// </summary>
internal sealed class P2pCluster : IAsyncDisposable
{
    public const ulong ChainId = 4242;

    private readonly List<TrellisNode> _running = [];
    private readonly List<NetworkHost> _hosts = [];

    public P2pCluster(int nodes, int observers = 0, string engine = "hotstuff")
    {
        Directory = Path.Combine(Path.GetTempPath(), "trellis-p2p-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        Suite = CryptoSuites.Standard;
        Authorities = [CertificateAuthority.Create("org1"), CertificateAuthority.Create("org2")];
        var alloc = new Dictionary<Address, GenesisAccount>();
        Accounts = new PrivateKey[3];
        for (int i = 0; i < Accounts.Length; i++)
        {
            var raw = new byte[32];
            raw[31] = (byte)(i + 1);
            Accounts[i] = Suite.ImportPrivateKey(raw);
            alloc[Suite.ToAddress(Suite.DerivePublicKey(Accounts[i]))] = new GenesisAccount { Balance = UInt256.Parse("1000000000000000000000") };
        }

        var genesisNodes = new List<LedgerNodeConfig>();
        for (int i = 0; i <= nodes; i++)
        {
            bool rogue = i == nodes;
            string name = rogue ? "rogue" : $"node{i}";
            CertificateAuthority ca = Authorities[i % 2];
            var raw = new byte[32];
            raw[0] = 0x11;
            raw[31] = (byte)(i + 1);
            PrivateKey key = Suite.ImportPrivateKey(raw);
            Address address = Suite.ToAddress(Suite.DerivePublicKey(key));
            NodeCertificate certificate = ca.IssueNodeCertificate(name, address);
            bool observer = !rogue && i >= nodes - observers;
            var member = new ClusterNode(name, ca.Organisation, observer, key, address, certificate, Path.Combine(Directory, name));
            System.IO.Directory.CreateDirectory(member.Directory);
            File.WriteAllText(member.SigningKeyFile, KeyEncoding.ExportPrivateKeyPem(Suite.Curve, key.Bytes));
            File.WriteAllText(member.CertificateFile, certificate.ExportCertificatePem());
            File.WriteAllText(member.PrivateKeyFile, certificate.ExportPrivateKeyPem());
            genesisNodes.Add(new LedgerNodeConfig
            {
                Name = name,
                Org = ca.Organisation,
                Role = observer ? NodeRole.Observer : NodeRole.Validator,
                PublicKey = Suite.DerivePublicKey(key),
                Address = address,
                TlsCertificateFingerprint = certificate.Fingerprint.ToArray(),
            });
            if (rogue)
            {
                Rogue = member;
            }
            else
            {
                Nodes.Add(member);
            }
        }

        Chain = new ChainConfig
        {
            ChainId = ChainId,
            Suite = Suite,
            Consensus = new ConsensusConfig { Engine = engine },
            BlockGasLimit = 30_000_000,
            Alloc = alloc,
            // Account k acts for organisation k + 1 in governance.
            Members = [.. Authorities.Select((a, k) => new MemberConfig { Name = a.Organisation, CaCertificate = a.ExportCertificatePem(), Admins = [Suite.ToAddress(Suite.DerivePublicKey(Accounts[k]))] })],
            Nodes = genesisNodes,
        };
        GenesisFile = Path.Combine(Directory, "genesis.json");
        File.WriteAllText(GenesisFile, Chain.ToJson(), new UTF8Encoding(false));
    }

    public string Directory { get; }

    public ICryptoSuite Suite { get; }

    public List<CertificateAuthority> Authorities { get; }

    public PrivateKey[] Accounts { get; }

    public List<ClusterNode> Nodes { get; } = [];

    public ClusterNode Rogue { get; } = null!;

    public ChainConfig Chain { get; }

    public string GenesisFile { get; }

    /// <summary>Peer-network settings that make tests quick.</summary>
    public static PeerNetworkOptions FastOptions { get; } = new()
    {
        GossipInterval = TimeSpan.FromMilliseconds(5),
        SyncGracePeriod = TimeSpan.FromMilliseconds(100),
        SyncCheckInterval = TimeSpan.FromMilliseconds(50),
        SyncRequestTimeout = TimeSpan.FromSeconds(2),
        PeerRetryDelay = TimeSpan.FromMilliseconds(100),
        AnnounceInterval = TimeSpan.FromMilliseconds(300),
        MaxBlocksPerRequest = 4,
    };

    public static NodeStartOptions StartOptions(PeerNetworkOptions? options = null)
    {
        var engines = new NetworkedEngineRegistry();
        engines.Register("hotstuff", context => new TestNetworkedEngine(context));
        return new NodeStartOptions { Engines = engines, PeerNetwork = options ?? FastOptions };
    }

    public NodeConfig ConfigFor(int index, IEnumerable<IPEndPoint> peers, int listenPort = 0) => ConfigFor(Nodes[index], peers, listenPort);

    public NodeConfig ConfigFor(ClusterNode node, IEnumerable<IPEndPoint> peers, int listenPort = 0) => new()
    {
        DataDir = Path.Combine(node.Directory, "data"),
        GenesisFile = GenesisFile,
        NodeName = node.Name,
        RpcPort = 0,
        SigningKeyFile = node.Observer ? null : node.SigningKeyFile,
        P2p = new P2pConfig
        {
            ListenPort = listenPort,
            CertificateFile = node.CertificateFile,
            PrivateKeyFile = node.PrivateKeyFile,
            Peers = [.. peers.Select(p => $"127.0.0.1:{p.Port}")],
        },
    };

    /// <summary>Starts node <paramref name="index"/>, dialling <paramref name="peers"/>.</summary>
    public Task<TrellisNode> StartAsync(int index, params TrellisNode[] peers) => StartAsync(index, null, peers);

    /// <summary>Starts node <paramref name="index"/> with a logger factory, dialling <paramref name="peers"/>.</summary>
    public async Task<TrellisNode> StartAsync(int index, Microsoft.Extensions.Logging.ILoggerFactory? loggers, params TrellisNode[] peers)
    {
        TrellisNode node = await TrellisNode.StartAsync(ConfigFor(index, peers.Select(p => p.P2pEndpoint!)), StartOptions(), loggers);
        _running.Add(node);
        return node;
    }

    /// <summary>Starts node <paramref name="index"/> with explicit start options (for example the real engines), dialling <paramref name="peers"/>.</summary>
    public async Task<TrellisNode> StartWithAsync(int index, NodeStartOptions options, params TrellisNode[] peers)
    {
        TrellisNode node = await TrellisNode.StartAsync(ConfigFor(index, peers.Select(p => p.P2pEndpoint!)), options);
        _running.Add(node);
        return node;
    }

    /// <summary>Starts a bare transport holding the rogue's certificate, admitted like any genesis node.</summary>
    public async Task<NetworkHost> StartRogueAsync(params TrellisNode[] peers)
    {
        var admitted = new List<AdmittedNode>();
        foreach (ClusterNode node in Nodes.Append(Rogue))
        {
            CertificateAuthority ca = Authorities.Single(a => a.Organisation == node.Org);
            admitted.Add(new AdmittedNode(ca.Fingerprint, node.Certificate.Fingerprint, node.Observer ? PeerRole.Observer : PeerRole.Validator, node.Address));
        }

        var policy = new GenesisAdmissionPolicy([.. Authorities.Select(a => a.Certificate)], admitted);
        var host = new NetworkHost(Rogue.Certificate, policy, new NetworkOptions
        {
            Peers = [.. peers.Select(p => (EndPoint)p.P2pEndpoint!)],
            NetworkId = "trellis-" + ChainId,
            ReconnectInitialDelay = TimeSpan.FromMilliseconds(50),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(500),
        }, Suite, Rogue.SigningKey);
        _hosts.Add(host);
        await host.StartAsync();
        return host;
    }

    public string Transfer(int from, ulong nonce, Address to, UInt256 wei) => Hex.Encode(new TransactionBuilder
    {
        Type = TxType.DynamicFee,
        ChainId = ChainId,
        Nonce = nonce,
        MaxPriorityFeePerGas = UInt256.One,
        MaxFeePerGas = UInt256.One,
        GasLimit = 21_000,
        To = to,
        Value = wei,
    }.Sign(Suite, Accounts[from]).Encode());

    /// <summary>A signed call from account <paramref name="from"/> to <paramref name="to"/> with <paramref name="data"/>.</summary>
    public string Call(int from, ulong nonce, Address to, byte[] data) => Hex.Encode(new TransactionBuilder
    {
        Type = TxType.DynamicFee,
        ChainId = ChainId,
        Nonce = nonce,
        MaxPriorityFeePerGas = UInt256.One,
        MaxFeePerGas = UInt256.One,
        GasLimit = 2_000_000,
        To = to,
        Data = data,
    }.Sign(Suite, Accounts[from]).Encode());

    public async ValueTask DisposeAsync()
    {
        foreach (TrellisNode node in _running)
        {
            await node.DisposeAsync();
        }

        foreach (NetworkHost host in _hosts)
        {
            await host.DisposeAsync();
        }

        foreach (ClusterNode node in Nodes.Append(Rogue))
        {
            node.Certificate.Dispose();
        }

        foreach (CertificateAuthority ca in Authorities)
        {
            ca.Dispose();
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temporary directory is cleaned up by the system.
        }
    }

    /// <summary>One member node's keys, certificate and files.</summary>
    internal sealed record ClusterNode(string Name, string Org, bool Observer, PrivateKey SigningKey, Address Address, NodeCertificate Certificate, string Directory)
    {
        public string SigningKeyFile => Path.Combine(Directory, "signing.key");

        public string CertificateFile => Path.Combine(Directory, "tls.crt");

        public string PrivateKeyFile => Path.Combine(Directory, "tls.key");
    }
}

/// <summary>Helpers to reach a node's test engine.</summary>
internal static class TrellisNodeTestExtensions
{
    public static TestNetworkedEngine TestEngine(this TrellisNode node) => (TestNetworkedEngine)node.Engine;
}
