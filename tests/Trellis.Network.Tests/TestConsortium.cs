using System.Net;
using Trellis.Core;
using Trellis.Network.Admission;
using Trellis.Network.Certificates;

namespace Trellis.Network.Tests;

/// <summary>
/// Real CAs and node certificates for a small consortium: organisations "org0".."orgN", nodes "node0".. assigned
/// round-robin, plus helpers to start hosts on loopback.
/// </summary>
internal sealed class TestConsortium : IAsyncDisposable
{
    private readonly List<NetworkHost> _hosts = [];

    public TestConsortium(int organisations, int nodes, int observers = 0)
    {
        for (int i = 0; i < organisations; i++)
        {
            Authorities.Add(CertificateAuthority.Create($"org{i}"));
        }

        var admitted = new List<AdmittedNode>();
        for (int i = 0; i < nodes; i++)
        {
            CertificateAuthority ca = Authorities[i % organisations];
            NodeCertificate node = ca.IssueNodeCertificate($"node{i}", AddressOf(i));
            Nodes.Add(node);
            admitted.Add(new AdmittedNode(ca.Fingerprint, node.Fingerprint, i >= nodes - observers ? PeerRole.Observer : PeerRole.Validator));
        }

        Policy = new GenesisAdmissionPolicy([.. Authorities.Select(a => a.Certificate)], admitted);
    }

    public List<CertificateAuthority> Authorities { get; } = [];

    public List<NodeCertificate> Nodes { get; } = [];

    public GenesisAdmissionPolicy Policy { get; }

    public static Address AddressOf(int i)
    {
        var bytes = new byte[Address.Length];
        bytes[0] = 0xab;
        bytes[^1] = (byte)i;
        return new Address(bytes);
    }

    public static NetworkOptions Options(IReadOnlyList<EndPoint>? peers = null, IPEndPoint? listen = null) => new()
    {
        ListenEndpoint = listen ?? new IPEndPoint(IPAddress.Loopback, 0),
        Peers = peers ?? [],
        NetworkId = "test",
        HandshakeTimeout = TimeSpan.FromSeconds(5),
        PingInterval = TimeSpan.FromSeconds(2),
        PingTimeout = TimeSpan.FromSeconds(10),
        ReconnectInitialDelay = TimeSpan.FromMilliseconds(50),
        ReconnectMaxDelay = TimeSpan.FromMilliseconds(500),
    };

    public async Task<NetworkHost> StartAsync(NodeCertificate node, NetworkOptions options, TestLogger<NetworkHost>? logger = null, IAdmissionPolicy? policy = null)
    {
        var host = new NetworkHost(node, policy ?? Policy, options, logger);
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
