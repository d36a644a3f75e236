using Trellis.Core;
using Trellis.Crypto;
using Trellis.Network.Admission;
using Trellis.Network.Certificates;
using Trellis.Network.Messages;

namespace Trellis.Network.Tests.Peers;

/// <summary>
/// Real hosts over loopback TLS: the ledger signing key proof in the hello, the national suite's certificate chain
/// through SslStream, revocation and address checks at admission.
/// </summary>
public sealed class SigningKeyHandshakeTests
{
    private static readonly byte[] Payload = "hello"u8.ToArray();

    [Theory]
    [InlineData("standard")]
    [InlineData("national")]
    public async Task ValidatorsWithKeys_ConnectAndAreMarkedAsHavingProvenTheirKeys(string suiteName)
    {
        await using var network = new KeyedConsortium(CryptoSuites.Get(suiteName), nodes: 2);
        NetworkHost a = await network.StartAsync(0);
        NetworkHost b = await network.StartAsync(1, peers: [a.LocalEndpoint!]);

        await Eventually.TrueAsync(() => a.Peers.Count == 1 && b.Peers.Count == 1, "both connected");
        Assert.True(a.Peers[0].Remote.SigningKeyProven);
        Assert.True(b.Peers[0].Remote.SigningKeyProven);
        Assert.Equal(network.Addresses[1], a.Peers[0].Remote.SigningAddress);
        Assert.Equal(network.Authorities[1 % network.Authorities.Count].Fingerprint, a.Peers[0].Remote.AuthorityFingerprint);

        await a.SendAsync(b.NodeId, MessageType.Transaction, Payload);
        Assert.True(await b.Inbound.WaitToReadAsync());
    }

    [Fact]
    public async Task ValidatorWithoutAProof_IsRefused_WithTheReasonLogged()
    {
        await using var network = new KeyedConsortium(CryptoSuites.Standard, nodes: 2);
        var logger = new TestLogger<NetworkHost>();
        NetworkHost host = await network.StartAsync(0, logger: logger);

        await using RawPeer peer = await RawPeer.ConnectWithHelloAsync(host.LocalEndpoint!, network.Nodes[1]);
        Assert.True(await peer.IsClosedByPeerAsync());
        await Eventually.TrueAsync(() => logger.Contains("did not prove it holds the signing key"), "refusal logged");
        Assert.Empty(host.Peers);
    }

    [Fact]
    public async Task ProofByAnotherKey_IsRefused()
    {
        await using var network = new KeyedConsortium(CryptoSuites.National, nodes: 2);
        var logger = new TestLogger<NetworkHost>();
        NetworkHost host = await network.StartAsync(0, logger: logger);
        PrivateKey thief = CryptoSuites.National.GeneratePrivateKey();
        Hash256 hostId = network.Nodes[0].Fingerprint;

        await using RawPeer peer = await RawPeer.ConnectWithHelloAsync(host.LocalEndpoint!, network.Nodes[1], proof: (mine, theirs) =>
            SigningKeyProof.Create(CryptoSuites.National, thief, "test", network.Nodes[1].Fingerprint, hostId, mine, theirs));
        Assert.True(await peer.IsClosedByPeerAsync());
        await Eventually.TrueAsync(() => logger.Contains("failed the signing key proof"), "refusal logged");
        Assert.Empty(host.Peers);
    }

    [Fact]
    public async Task ProofForAnotherPeersCertificate_IsRefused()
    {
        // A proof made for a connection to someone else (a relay) names that other certificate.
        await using var network = new KeyedConsortium(CryptoSuites.Standard, nodes: 3);
        var logger = new TestLogger<NetworkHost>();
        NetworkHost host = await network.StartAsync(0, logger: logger);
        await using RawPeer peer = await RawPeer.ConnectWithHelloAsync(host.LocalEndpoint!, network.Nodes[1], proof: (mine, theirs) =>
            SigningKeyProof.Create(CryptoSuites.Standard, network.Keys[1], "test", network.Nodes[1].Fingerprint, network.Nodes[2].Fingerprint, mine, theirs));
        Assert.True(await peer.IsClosedByPeerAsync());
        await Eventually.TrueAsync(() => logger.Contains("failed the signing key proof"), "refusal logged");
    }

    [Fact]
    public async Task CorrectProofFromARawPeer_IsAccepted()
    {
        await using var network = new KeyedConsortium(CryptoSuites.Standard, nodes: 2);
        NetworkHost host = await network.StartAsync(0);
        await using RawPeer peer = await RawPeer.ConnectWithHelloAsync(host.LocalEndpoint!, network.Nodes[1], proof: (mine, theirs) =>
            SigningKeyProof.Create(CryptoSuites.Standard, network.Keys[1], "test", network.Nodes[1].Fingerprint, network.Nodes[0].Fingerprint, mine, theirs));
        await Eventually.TrueAsync(() => host.Peers.Count == 1, "accepted");
        Assert.True(host.Peers[0].Remote.SigningKeyProven);
    }

    [Fact]
    public async Task RevokedNodeCertificate_IsRefusedAtTheNextHandshake()
    {
        var revocations = new InMemoryRevocationSet();
        await using var network = new KeyedConsortium(CryptoSuites.National, nodes: 2, revocations: revocations);
        revocations.RevokeFingerprint(network.Nodes[1].Fingerprint, "key compromise reported by org1");
        var logger = new TestLogger<NetworkHost>();
        NetworkHost host = await network.StartAsync(0, logger: logger);
        NetworkHost revoked = await network.StartAsync(1, peers: [host.LocalEndpoint!]);
        await Eventually.TrueAsync(() => logger.Contains("is revoked: key compromise reported by org1"), "refusal logged");
        Assert.Empty(host.Peers);
        Assert.Empty(revoked.Peers);
    }

    [Fact]
    public async Task CertificateNamingAnotherAddressThanTheAdmittedEntry_IsRefused()
    {
        await using var network = new KeyedConsortium(CryptoSuites.Standard, nodes: 2, admittedAddressOverride: (1, TestConsortium.AddressOf(99)));
        var logger = new TestLogger<NetworkHost>();
        NetworkHost host = await network.StartAsync(0, logger: logger);
        await network.StartAsync(1, peers: [host.LocalEndpoint!]);
        await Eventually.TrueAsync(() => logger.Contains("but the admitted node's address is"), "refusal logged");
        Assert.Empty(host.Peers);
    }

    [Fact]
    public void Host_RefusesASigningKeyThatIsNotTheCertificates()
    {
        using CertificateAuthority ca = CertificateAuthority.Create("org0");
        PrivateKey key = CryptoSuites.Standard.GeneratePrivateKey();
        using NodeCertificate node = ca.IssueNodeCertificate("n", TestConsortium.AddressOf(1));
        var policy = new GenesisAdmissionPolicy([ca.Certificate], []);
        ArgumentException error = Assert.Throws<ArgumentException>(() => new NetworkHost(node, policy, TestConsortium.Options(), CryptoSuites.Standard, key));
        Assert.Contains("but node certificate \"n\" names", error.Message, StringComparison.Ordinal);
        ArgumentException wrongSuite = Assert.Throws<ArgumentException>(() => new NetworkHost(node, policy, TestConsortium.Options(), CryptoSuites.National, key));
        Assert.Contains("the national suite uses Sm2 keys", wrongSuite.Message, StringComparison.Ordinal);
    }

    /// <summary>Nodes with real ledger keys whose addresses their certificates carry; organisations "org0", "org1".</summary>
    private sealed class KeyedConsortium : IAsyncDisposable
    {
        private readonly List<NetworkHost> _hosts = [];
        private readonly ICryptoSuite _suite;

        public KeyedConsortium(ICryptoSuite suite, int nodes, InMemoryRevocationSet? revocations = null, (int Index, Address Address)? admittedAddressOverride = null)
        {
            _suite = suite;
            Authorities.Add(CertificateAuthority.Create("org0", suite));
            Authorities.Add(CertificateAuthority.Create("org1", suite));
            var admitted = new List<AdmittedNode>();
            for (int i = 0; i < nodes; i++)
            {
                PrivateKey key = suite.GeneratePrivateKey();
                Address address = suite.ToAddress(suite.DerivePublicKey(key));
                CertificateAuthority ca = Authorities[i % Authorities.Count];
                NodeCertificate node = ca.IssueNodeCertificate($"node{i}", address);
                Keys.Add(key);
                Addresses.Add(address);
                Nodes.Add(node);
                Address listed = admittedAddressOverride is { } o && o.Index == i ? o.Address : address;
                admitted.Add(new AdmittedNode(ca.Fingerprint, node.Fingerprint, PeerRole.Validator, listed));
                Assert.Equal(ca.Fingerprint, node.MemberAuthorityFingerprint);
            }

            Policy = new GenesisAdmissionPolicy([.. Authorities.Select(a => a.Certificate)], admitted, revocations);
        }

        public List<CertificateAuthority> Authorities { get; } = [];

        public List<NodeCertificate> Nodes { get; } = [];

        public List<PrivateKey> Keys { get; } = [];

        public List<Address> Addresses { get; } = [];

        public GenesisAdmissionPolicy Policy { get; }

        public async Task<NetworkHost> StartAsync(int index, IReadOnlyList<System.Net.EndPoint>? peers = null, TestLogger<NetworkHost>? logger = null)
        {
            var host = new NetworkHost(Nodes[index], Policy, TestConsortium.Options(peers), _suite, Keys[index], logger);
            _hosts.Add(host);
            await host.StartAsync();
            return host;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (NetworkHost host in _hosts)
            {
                await host.DisposeAsync();
            }

            foreach (NodeCertificate node in Nodes)
            {
                node.Dispose();
            }

            foreach (CertificateAuthority ca in Authorities)
            {
                ca.Dispose();
            }
        }
    }
}
