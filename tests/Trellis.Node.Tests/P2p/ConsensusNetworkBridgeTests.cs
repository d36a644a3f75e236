using Trellis.Network;
using Trellis.Network.Messages;
using Trellis.Network.Peers;
using Trellis.Node.P2p;

namespace Trellis.Node.Tests.P2p;

/// <summary>
/// The consensus engines address validators by signing address; the bridge maps that to the connection. A validator
/// must stay reachable for as long as its connection is up, whatever order the host's connect and disconnect events of
/// a replaced connection are handled in.
/// </summary>
public sealed class ConsensusNetworkBridgeTests
{
    [Fact]
    public async Task AConnectedValidator_IsReachable_EvenWhenTheBridgeMissedItsConnectEvent()
    {
        await using var cluster = new P2pCluster(nodes: 1);
        TrellisNode node = await cluster.StartAsync(0);
        NetworkHost rogue = await cluster.StartRogueAsync(node);
        await PeerNetworkTests.WaitForPeersAsync(node, 1);

        // A bridge over the node's host that was never told of the connection: the state a lost race between a
        // replaced connection's disconnect and its replacement's connect used to leave behind.
        var bridge = new ConsensusNetworkBridge(node.Network!.Host);
        byte[] message = [1, 2, 3, 4];
        Assert.True(bridge.Send(cluster.Rogue.Address, message));
        Assert.Equal(0, bridge.DroppedMessages);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        InboundMessage received = await rogue.Inbound.ReadAsync(timeout.Token);
        while (received.Type != MessageType.Consensus)
        {
            received = await rogue.Inbound.ReadAsync(timeout.Token);
        }

        Assert.Equal(message, received.Payload.ToArray());

        // A disconnect event for a peer whose connection is still up forgets nothing.
        bridge.OnPeerDisconnected(node.Network.Host.Peers.Single().Remote);
        Assert.True(bridge.Send(cluster.Rogue.Address, message));

        // A validator with no connection is a counted drop, not an exception.
        Assert.False(bridge.Send(cluster.Nodes[0].Address, message));
        Assert.Equal(1, bridge.DroppedMessages);
    }
}
