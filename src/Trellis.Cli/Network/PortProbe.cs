using System.Net;
using System.Net.Sockets;

namespace Trellis.Cli.Network;

/// <summary>Checks before starting that every port a network needs is free, so a clash is named up front.</summary>
internal static class PortProbe
{
    /// <summary>True when a listener can bind <paramref name="host"/>:<paramref name="port"/> right now.</summary>
    public static bool IsFree(string host, int port)
    {
        IPAddress address = ResolveListenAddress(host);
        try
        {
            using var listener = new TcpListener(address, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>
    /// Throws a one-line <see cref="CliException"/> naming the first port of <paramref name="manifest"/> that is in use
    /// and the node and purpose it was meant for.
    /// </summary>
    public static void EnsureFree(NetworkManifest manifest)
    {
        foreach (NetworkNode node in manifest.Nodes)
        {
            if (!IsFree(node.RpcHost, node.RpcPort))
            {
                throw new CliException($"port {node.RpcPort} on {node.RpcHost} (JSON-RPC of {node.Name}) is in use; stop what holds it, or create the network elsewhere with --dir and another --base-port");
            }

            if (node.P2p is not null && !IsFree(node.P2pHost!, node.P2pPort))
            {
                throw new CliException($"port {node.P2pPort} on {node.P2pHost} (peer port of {node.Name}) is in use; stop what holds it, or create the network elsewhere with --dir and another --base-port");
            }
        }
    }

    private static IPAddress ResolveListenAddress(string host)
    {
        if (IPAddress.TryParse(host, out IPAddress? address))
        {
            return address;
        }

        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return IPAddress.Loopback;
        }

        throw new CliException($"host '{host}' is not an IP address; network.json and node.json listen on IP addresses");
    }
}
