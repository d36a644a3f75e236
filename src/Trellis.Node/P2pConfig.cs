using System.Net;

namespace Trellis.Node;

/// <summary>
/// The <c>p2p</c> section of <c>node.json</c>: where the node listens for peers, its TLS certificate and key, and the
/// peers it dials. Paths are absolute (resolved against the configuration file's directory when read).
/// </summary>
public sealed class P2pConfig
{
    /// <summary>The interface to listen on: an IP address or <c>localhost</c> (default 127.0.0.1).</summary>
    public string ListenHost { get; init; } = "127.0.0.1";

    /// <summary>The port to listen on (0 picks a free port).</summary>
    public required int ListenPort { get; init; }

    /// <summary>The node's TLS certificate (PEM), issued by its organisation's CA.</summary>
    public required string CertificateFile { get; init; }

    /// <summary>The TLS certificate's private key (PKCS#8 PEM).</summary>
    public required string PrivateKeyFile { get; init; }

    /// <summary>The peers to dial, as <c>host:port</c> (<c>[v6-address]:port</c> for IPv6).</summary>
    public IReadOnlyList<string> Peers { get; init; } = [];

    /// <summary>
    /// Optional: a directory with the CA certificates of organisations admitted after genesis (each <c>*.crt</c> in it
    /// and each <c>*/ca.crt</c> one level down; <c>trellis up</c> points it at its <c>orgs</c> directory). A certificate
    /// there is a trust anchor only while the ledger's committee lists its SHA-256 fingerprint as a member's CA.
    /// </summary>
    /// <remarks>
    /// Needed because a TLS peer never receives a later member's root: .NET on Linux trims the self-signed root from the
    /// chain it sends, and genesis holds only the founding members' CA certificates.
    /// </remarks>
    public string? MemberCaDirectory { get; init; }

    /// <summary>The listen address as an endpoint.</summary>
    /// <exception cref="FormatException"><see cref="ListenHost"/> is not an IP address or <c>localhost</c>.</exception>
    public IPEndPoint ListenEndpoint => new(PeerAddress.ParseListenHost(ListenHost), ListenPort);

    /// <summary>The peers as endpoints (<see cref="IPEndPoint"/> for IP literals, <see cref="DnsEndPoint"/> for names).</summary>
    /// <exception cref="FormatException">A peer is not a valid <c>host:port</c>.</exception>
    public IReadOnlyList<EndPoint> PeerEndpoints
    {
        get
        {
            var endpoints = new EndPoint[Peers.Count];
            for (int i = 0; i < endpoints.Length; i++)
            {
                endpoints[i] = PeerAddress.Parse(Peers[i]);
            }

            return endpoints;
        }
    }
}
