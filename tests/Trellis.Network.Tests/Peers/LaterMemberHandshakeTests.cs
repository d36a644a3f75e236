using System.Security.Cryptography;
using Google.Protobuf;
using Trellis.Core;
using Trellis.Crypto;
using Trellis.Network.Admission;
using Trellis.Network.Certificates;
using Trellis.Network.Framing;
using Trellis.Network.Messages;
using Trellis.Network.Peers;

namespace Trellis.Network.Tests.Peers;

/// <summary>
/// A member admitted after genesis is known to the ledger by its CA fingerprint only, and TLS does not deliver its
/// self-signed CA: its nodes send the CA in their first hello. Real hosts over loopback TLS, and hostile hellos from a
/// hand-driven peer.
/// </summary>
public sealed class LaterMemberHandshakeTests
{
    [Theory]
    [InlineData("standard")]
    [InlineData("national")]
    public async Task NodesOfMembersKnownOnlyByFingerprint_ConnectBothWays_AndProveTheirKeys(string suiteName)
    {
        ICryptoSuite suite = CryptoSuites.Get(suiteName);
        using var world = new LaterMembers(suite);

        // org1 is from genesis; org2 and org3 were voted in later. Each node holds its own CA and genesis's, not the
        // other later member's: only the hello can bring it.
        await using var hosts = new Hosts();
        var logger = new TestLogger<NetworkHost>();
        NetworkHost one = await hosts.StartAsync(world.Node1, world.Policy(world.Org1.Certificate), suite, world.Key1, logger);
        NetworkHost two = await hosts.StartAsync(world.Node2, world.Policy(world.Org1.Certificate, world.Org2.Certificate), suite, world.Key2, peers: [one.LocalEndpoint!]);
        NetworkHost three = await hosts.StartAsync(world.Node3, world.Policy(world.Org1.Certificate, world.Org3.Certificate), suite, world.Key3, peers: [one.LocalEndpoint!, two.LocalEndpoint!]);

        await Eventually.TrueAsync(
            () => one.Peers.Count == 2 && two.Peers.Count == 2 && three.Peers.Count == 2,
            "all three connected",
            detail: () => string.Join(" | ", logger.Lines));
        Assert.All(one.Peers, p => Assert.True(p.Remote.SigningKeyProven));
        Assert.All(three.Peers, p => Assert.True(p.Remote.SigningKeyProven));
        Assert.Contains(one.Peers, p => p.Remote.AuthorityFingerprint == world.Org2.Fingerprint && p.Remote.SigningAddress == world.Node2.SigningAddress);
        Assert.Contains(two.Peers, p => p.Remote.AuthorityFingerprint == world.Org3.Fingerprint);

        await three.SendAsync(one.NodeId, MessageType.Transaction, "tx"u8.ToArray());
        Assert.True(await one.Inbound.WaitToReadAsync());
    }

    [Fact]
    public async Task HelloWithoutTheCa_IsRefusedAsAnUnknownIssuer_AndNoLaterFrameIsDelivered()
    {
        using var world = new LaterMembers(CryptoSuites.Standard);
        await using var hosts = new Hosts();
        var logger = new TestLogger<NetworkHost>();
        NetworkHost host = await hosts.StartAsync(world.Node1, world.Policy(world.Org1.Certificate), null, null, logger);

        // The consensus frame rides right behind the hello: it must never reach the consumer.
        byte[] consensus = FrameFormat.Encode(new Envelope { Type = MessageType.Consensus, Payload = ByteString.CopyFrom([1, 2, 3]) });
        await using RawPeer peer = await RawPeer.ConnectAsync(host.LocalEndpoint!, world.Node2);
        await peer.WriteAsync([.. Offer([]), .. consensus]);

        Assert.True(await peer.IsClosedByPeerAsync());
        await Eventually.TrueAsync(() => logger.Contains("\"CN=node2, O=org2\" is not valid under the member CAs") && logger.Contains("which is not a member CA"), "refusal logged");
        Assert.Empty(host.Peers);
        Assert.False(host.Inbound.TryRead(out _));
    }

    [Fact]
    public async Task HelloWithTheCa_AdmitsTheLaterMembersNode()
    {
        using var world = new LaterMembers(CryptoSuites.Standard);
        await using var hosts = new Hosts();
        NetworkHost host = await hosts.StartAsync(world.Node1, world.Policy(world.Org1.Certificate), null, null);

        await using RawPeer peer = await RawPeer.ConnectAsync(host.LocalEndpoint!, world.Node2);
        await peer.WriteAsync(Offer([world.Org2.Certificate.RawData]));
        Assert.Equal(MessageType.Hello, (await peer.ReadEnvelopeAsync()).Type);
        await peer.WriteAsync(FrameFormat.Encode(new Envelope { Type = MessageType.Hello, Payload = new Hello().ToByteString() }));
        Assert.Equal(MessageType.Hello, (await peer.ReadEnvelopeAsync()).Type);

        await Eventually.TrueAsync(() => host.Peers.Count == 1, "admitted");
        Assert.Equal(world.Org2.Fingerprint, host.Peers[0].Remote.AuthorityFingerprint);
    }

    [Fact]
    public async Task HostileCaLists_AreRefusedWithAReason_AndTheConnectionClosed()
    {
        using var world = new LaterMembers(CryptoSuites.Standard);
        byte[] ca = world.Org2.Certificate.RawData;
        await AssertRefusedAsync(world, world.Node2, [ca, ca, ca, ca, ca], "carries 5 CA certificates; at most 4 are allowed");
        await AssertRefusedAsync(world, world.Node2, [new byte[9000]], "CA certificate 1 in its hello is 9000 bytes; at most 8192 are allowed");
        await AssertRefusedAsync(world, world.Node2, [RandomNumberGenerator.GetBytes(300)], "CA certificate 1 in its hello");
        await AssertRefusedAsync(world, world.Node2, [ca[..^1]], "is not a valid DER X.509 certificate");
        await AssertRefusedAsync(world, world.Node2, [world.Node3.Certificate.RawData], "is not a CA");
    }

    [Fact]
    public async Task CaOfANonMember_IsRefusedEvenWhenSentInTheHello()
    {
        using var world = new LaterMembers(CryptoSuites.Standard);
        await AssertRefusedAsync(world, world.OutsiderNode, [world.Outsider.Certificate.RawData], "\"CN=outsider CA, O=outsider\", which is not a member CA");
    }

    [Fact]
    public async Task MembersCaThatDidNotSignTheLeaf_IsRefusedAsABadSignature()
    {
        // An impostor makes its own "org2 CA" (same name, other key), issues a certificate for a registered node and
        // sends org2's real (public) CA along: the fingerprint matches a member, the signature does not.
        using var world = new LaterMembers(CryptoSuites.Standard);
        await AssertRefusedAsync(
            world,
            world.ForgedNode2,
            [world.Forged.Certificate.RawData, world.Org2.Certificate.RawData],
            "names member CA \"CN=org2 CA, O=org2\" as issuer, but",
            forgedPin: true);
    }

    [Fact]
    public async Task RevokedLaterMemberCa_IsRefused()
    {
        using var world = new LaterMembers(CryptoSuites.Standard);
        var revocations = new InMemoryRevocationSet();
        revocations.RevokeFingerprint(world.Org2.Fingerprint, "key compromise");
        await AssertRefusedAsync(world, world.Node2, [world.Org2.Certificate.RawData], "is revoked: key compromise", revocations: revocations);
    }

    [Fact]
    public async Task ExpiredLaterMemberNode_IsRefused()
    {
        using var world = new LaterMembers(CryptoSuites.Standard);
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using NodeCertificate expired = world.Org2.IssueNodeCertificate("node2", world.Node2.SigningAddress, now.AddDays(-10), now.AddDays(-1));
        await AssertRefusedAsync(world, expired, [world.Org2.Certificate.RawData], "expired at", pin: expired.Fingerprint);
    }

    private static byte[] Offer(IEnumerable<byte[]> authorities)
    {
        var hello = new Hello { ProtocolVersion = PeerHandshake.ProtocolVersion, NetworkId = "test", Nonce = ByteString.CopyFrom(RandomNumberGenerator.GetBytes(32)) };
        foreach (byte[] authority in authorities)
        {
            hello.CaCertificates.Add(ByteString.CopyFrom(authority));
        }

        return FrameFormat.Encode(new Envelope { Type = MessageType.Hello, Payload = hello.ToByteString() });
    }

    private static async Task AssertRefusedAsync(
        LaterMembers world,
        NodeCertificate node,
        byte[][] authorities,
        string reason,
        bool forgedPin = false,
        InMemoryRevocationSet? revocations = null,
        Hash256? pin = null)
    {
        await using var hosts = new Hosts();
        var logger = new TestLogger<NetworkHost>();
        RegistryAdmissionPolicy policy = world.Policy([world.Org1.Certificate], forgedPin ? world.ForgedNode2.Fingerprint : pin, revocations);
        NetworkHost host = await hosts.StartAsync(world.Node1, policy, null, null, logger);

        await using RawPeer peer = await RawPeer.ConnectAsync(host.LocalEndpoint!, node);
        await peer.WriteAsync(Offer(authorities));
        Assert.True(await peer.IsClosedByPeerAsync(), $"connection closed for: {reason}");
        await Eventually.TrueAsync(() => logger.Contains(reason), $"refusal logged: {reason}", detail: () => string.Join(" | ", logger.Lines));
        Assert.Empty(host.Peers);
        Assert.False(host.Inbound.TryRead(out _));
    }

    /// <summary>org1 (genesis), org2 and org3 (voted in later: fingerprints only), an outsider and an impostor's "org2 CA".</summary>
    private sealed class LaterMembers : IDisposable
    {
        public LaterMembers(ICryptoSuite suite)
        {
            Org1 = CertificateAuthority.Create("org1", suite);
            Org2 = CertificateAuthority.Create("org2", suite);
            Org3 = CertificateAuthority.Create("org3", suite);
            Outsider = CertificateAuthority.Create("outsider", suite);
            Forged = CertificateAuthority.Create("org2", suite);
            Key1 = suite.GeneratePrivateKey();
            Key2 = suite.GeneratePrivateKey();
            Key3 = suite.GeneratePrivateKey();
            Node1 = Org1.IssueNodeCertificate("node1", suite.ToAddress(suite.DerivePublicKey(Key1)));
            Node2 = Org2.IssueNodeCertificate("node2", suite.ToAddress(suite.DerivePublicKey(Key2)));
            Node3 = Org3.IssueNodeCertificate("node3", suite.ToAddress(suite.DerivePublicKey(Key3)));
            OutsiderNode = Outsider.IssueNodeCertificate("node4", TestConsortium.AddressOf(4));
            ForgedNode2 = Forged.IssueNodeCertificate("node2", Node2.SigningAddress);
        }

        public CertificateAuthority Org1 { get; }

        public CertificateAuthority Org2 { get; }

        public CertificateAuthority Org3 { get; }

        public CertificateAuthority Outsider { get; }

        public CertificateAuthority Forged { get; }

        public PrivateKey Key1 { get; }

        public PrivateKey Key2 { get; }

        public PrivateKey Key3 { get; }

        public NodeCertificate Node1 { get; }

        public NodeCertificate Node2 { get; }

        public NodeCertificate Node3 { get; }

        public NodeCertificate OutsiderNode { get; }

        public NodeCertificate ForgedNode2 { get; }

        public RegistryAdmissionPolicy Policy(params System.Security.Cryptography.X509Certificates.X509Certificate2[] known) => Policy(known, null, null);

        /// <summary>The ledger's view: members by fingerprint, every node registered (node2 pinned to <paramref name="node2Pin"/> if given).</summary>
        public RegistryAdmissionPolicy Policy(
            System.Security.Cryptography.X509Certificates.X509Certificate2[] known,
            Hash256? node2Pin,
            IRevocationSet? revocations)
        {
            var members = new[]
            {
                KeyValuePair.Create("org1", Org1.Fingerprint),
                KeyValuePair.Create("org2", Org2.Fingerprint),
                KeyValuePair.Create("org3", Org3.Fingerprint),
            };
            RegisteredPeer[] nodes =
            [
                new(Node1.SigningAddress, "org1", PeerRole.Validator, Node1.Fingerprint),
                new(Node2.SigningAddress, "org2", PeerRole.Validator, node2Pin ?? Node2.Fingerprint),
                new(Node3.SigningAddress, "org3", PeerRole.Validator, Node3.Fingerprint),
                new(OutsiderNode.SigningAddress, "org1", PeerRole.Validator, OutsiderNode.Fingerprint),
            ];
            return new RegistryAdmissionPolicy(members, known, nodes, revocations);
        }

        public void Dispose()
        {
            foreach (IDisposable item in new IDisposable[] { Node1, Node2, Node3, OutsiderNode, ForgedNode2, Org1, Org2, Org3, Outsider, Forged })
            {
                item.Dispose();
            }
        }
    }

    /// <summary>Hosts started by a test, disposed together.</summary>
    private sealed class Hosts : IAsyncDisposable
    {
        private readonly List<NetworkHost> _hosts = [];

        public async Task<NetworkHost> StartAsync(
            NodeCertificate node,
            IAdmissionPolicy policy,
            ICryptoSuite? suite,
            PrivateKey? key,
            TestLogger<NetworkHost>? logger = null,
            IReadOnlyList<System.Net.EndPoint>? peers = null)
        {
            var host = new NetworkHost(node, policy, TestConsortium.Options(peers), suite, key, logger);
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
        }
    }
}
