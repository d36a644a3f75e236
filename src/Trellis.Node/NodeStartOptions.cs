using Trellis.Node.Engines;
using Trellis.Node.P2p;

namespace Trellis.Node;

/// <summary>What a node is built with beyond its configuration files: the engines it can run and peer-network tuning.</summary>
public sealed record NodeStartOptions
{
    /// <summary>The networked consensus engines available by name (default: those built into Trellis).</summary>
    public NetworkedEngineRegistry Engines { get; init; } = NetworkedEngineRegistry.CreateDefault();

    /// <summary>Gossip, block serving and block sync settings.</summary>
    public PeerNetworkOptions PeerNetwork { get; init; } = new();
}
