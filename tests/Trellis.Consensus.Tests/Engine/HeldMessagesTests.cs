using Trellis.Consensus.HotStuff.Messages;
using Trellis.Core;

namespace Trellis.Consensus.Tests.Engine;

/// <summary>
/// Messages of a later epoch are held until the node switches, and a member peer must not be able to make that
/// store grow without bound: only epochs near the node's head are held, each sender gets a share, and the bytes are
/// capped. Every refusal is counted as a dropped message with its reason.
/// </summary>
public class HeldMessagesTests
{
    [Fact]
    public async Task MessagesOfAFarEpoch_AreNotHeld()
    {
        await using var cluster = new EngineCluster();
        cluster.StartAll();
        var engine = cluster.Nodes[0].Engine;
        engine.Receive(cluster.Nodes[1].Address, Vote(epoch: 10));
        Assert.Equal(1, engine.HeldMessages);

        long dropped = engine.MessagesDropped;
        engine.Receive(cluster.Nodes[1].Address, Vote(epoch: 1_000_000));
        engine.Receive(cluster.Nodes[1].Address, Vote(epoch: ulong.MaxValue));
        Assert.Equal(1, engine.HeldMessages);
        Assert.Equal(dropped + 2, engine.MessagesDropped);
        Assert.Contains("not held for a switch", engine.LastDropReason);
    }

    [Fact]
    public async Task OneSender_GetsAShareOfTheHeldMessages_AndTheOthersStillGetTheirs()
    {
        await using var cluster = new EngineCluster();
        cluster.StartAll();
        var engine = cluster.Nodes[0].Engine;
        for (int i = 0; i < 300; i++)
        {
            engine.Receive(cluster.Nodes[1].Address, Vote(epoch: 5, view: i + 1));
        }

        Assert.Equal(256, engine.HeldMessages);
        Assert.Contains("from this sender", engine.LastDropReason);

        engine.Receive(cluster.Nodes[2].Address, Vote(epoch: 5));
        Assert.Equal(257, engine.HeldMessages);
    }

    [Fact]
    public async Task HeldBytes_AreCapped()
    {
        await using var cluster = new EngineCluster();
        cluster.StartAll();
        var engine = cluster.Nodes[0].Engine;
        for (int i = 0; i < 40; i++)
        {
            // Large messages (a hostile member's), from three senders so the per-sender share is not what stops them.
            engine.Receive(cluster.Nodes[1 + (i % 3)].Address, Vote(epoch: 5, view: i + 1, signatureBytes: 1024 * 1024));
        }

        Assert.InRange(engine.HeldMessages, 30, 31);
        Assert.Contains("would exceed 32 MiB", engine.LastDropReason);
    }

    private static byte[] Vote(ulong epoch, long view = 1, int signatureBytes = 65) =>
        HotStuffCodec.Encode(new VoteMessage(view, new Hash256(new byte[32]), 1, new byte[signatureBytes]), epoch);
}
