using System.Globalization;

namespace Trellis.Cli.Network;

/// <summary>One node of a network directory, as <c>network.json</c> lists it.</summary>
/// <param name="Name">Node name (<c>org&lt;k&gt;-node&lt;m&gt;</c>), also its directory under <c>nodes/</c>.</param>
/// <param name="Org">The member organisation that runs it.</param>
/// <param name="Role">"validator" or "observer".</param>
/// <param name="Rpc">JSON-RPC URL, for example <c>http://127.0.0.1:8545</c>.</param>
/// <param name="P2p">Peer listen endpoint <c>host:port</c>, or null when the network has no peer network (solo).</param>
/// <param name="Dir">The node's directory relative to the network directory (<c>nodes/&lt;name&gt;</c>).</param>
internal sealed record NetworkNode(string Name, string Org, string Role, Uri Rpc, string? P2p, string Dir)
{
    /// <summary>The JSON-RPC port.</summary>
    public int RpcPort => Rpc.Port;

    /// <summary>The JSON-RPC host.</summary>
    public string RpcHost => Rpc.Host.Trim('[', ']');

    /// <summary>The JSON-RPC URL without a trailing slash, as users type it.</summary>
    public string RpcText => Rpc.GetLeftPart(UriPartial.Authority);

    /// <summary>The peer listen host, or null without a peer network.</summary>
    public string? P2pHost => P2p is null ? null : SplitEndpoint(P2p).Host;

    /// <summary>The peer listen port, or 0 without a peer network.</summary>
    public int P2pPort => P2p is null ? 0 : SplitEndpoint(P2p).Port;

    /// <summary>Splits <c>host:port</c> (IPv6 hosts in brackets).</summary>
    /// <exception cref="FormatException">Not host:port with a port from 1 to 65535.</exception>
    public static (string Host, int Port) SplitEndpoint(string endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        int colon = endpoint.LastIndexOf(':');
        if (colon <= 0 || colon == endpoint.Length - 1)
        {
            throw new FormatException($"\"{endpoint}\" is not host:port");
        }

        string host = endpoint[..colon].Trim('[', ']');
        if (host.Length == 0 || !int.TryParse(endpoint.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
        {
            throw new FormatException($"\"{endpoint}\" is not host:port with a port from 1 to 65535");
        }

        return (host, port);
    }
}
