using Trellis.Consensus.HotStuff;
using Trellis.Consensus.HotStuff.Messages;
using Trellis.Core;

namespace Trellis.Consensus.Tests.Engine;

public sealed class ObserverVoteTests
{
    [Fact]
    public void VoteSignedByAnObserver_IsDroppedAndCounted()
    {
        // Four validators and one observer (node 4): the observer's key signs a well-formed vote for the genesis view,
        // claiming validator slot 0, and sends it under its own (authenticated) address.
        var cluster = new EngineCluster(validators: 4, observers: 1);
        HotStuffEngine engine = cluster.Nodes[1].Engine;
        Address observer = cluster.Chain.Nodes[4].Address;
        Hash256 block = engine.Genesis.Hash;
        byte[] signature = cluster.Suite.Sign(cluster.NodeKeys[4], SigningMessages.Vote(engine.Genesis.Hash, 1, block));
        byte[] vote = HotStuffCodec.Encode(new VoteMessage(1, block, 0, signature));
        long before = engine.MessagesDropped;

        engine.Receive(observer, vote);

        Assert.Equal(before + 1, engine.MessagesDropped);
        Assert.Contains("not a validator", engine.LastDropReason, StringComparison.Ordinal);
        Assert.Contains(observer.ToString(), engine.LastDropReason, StringComparison.Ordinal);
    }
}
