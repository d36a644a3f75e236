using Google.Protobuf;
using Trellis.Core;
using Trellis.Ledger.Blocks;
using Trellis.Network;
using Trellis.Network.Messages;
using Trellis.Network.Peers;
using Trellis.Node.P2p;
using Trellis.Node.Tests.JsonRpc;
using Trellis.Node.Tests.Rpc;

namespace Trellis.Node.Tests.P2p;

/// <summary>
/// An admitted but hostile peer (a bare transport holding a genesis certificate) lies about its height and answers
/// block-range requests with bad data: nothing it sends is applied, and the node carries on.
/// </summary>
public sealed class HostilePeerTests
{
    public static TheoryData<string, string> Lies => new()
    {
        { "garbage", "the answer is not a BlockRangeResponse" },
        { "wrong message type", "answered with a BlockAnnouncement message instead of a block range" },
        { "wrong first height", "the answer starts at height 2, not the 1 asked for" },
        { "more blocks than asked", "the answer holds 5 blocks; 4 were asked for" },
        { "heights out of order", "block 0 of the answer has height 2, not 1" },
        { "separate certificates", "carries 1 separate certificates" },
        { "undecodable block", "block 0 of the answer does not decode" },
        { "broken certificate", "the engine refused block 1: block 1 carries no valid test certificate" },
        { "forged execution", "the engine refused block 1: " },
        { "wrong parent", "block 1 names parent" },
    };

    [Theory]
    [MemberData(nameof(Lies))]
    public async Task HostileRangeResponses_ChangeNothingAndTheNodeStillSyncsFromAnHonestAnswer(string lie, string reason)
    {
        await using var cluster = new P2pCluster(nodes: 2);
        TrellisNode source = await cluster.StartAsync(0);
        for (int i = 0; i < 3; i++)
        {
            await source.TestEngine().CommitPendingAsync();
        }

        Block[] honest = [.. Enumerable.Range(1, 3).Select(h => source.Blocks.GetBlock((ulong)h)!)];
        await source.DisposeAsync();

        // The victim knows only the rogue.
        var logs = new CapturingLoggerFactory();
        TrellisNode victim = await cluster.StartAsync(1, logs);
        Hash256 genesis = victim.Blocks.HeadHash;
        NetworkHost rogue = await cluster.StartRogueAsync(victim);
        bool lying = true;
        using var stop = new CancellationTokenSource();
        Task serving = ServeAsync(rogue, request => lying ? Lie(lie, request, honest, cluster) : Honest(request, honest), stop.Token);
        Task announcing = AnnounceAsync(rogue, () => lying ? 50UL : 3UL, stop.Token);
        try
        {
            await Eventually.MatchAsync(() => Task.FromResult(victim.Network!.Synchronizer.RejectedResponses), n => n >= 1, $"the victim refusing the rogue's '{lie}' answer", 20);
            Assert.True(logs.Messages.Any(m => m.Contains("refusing block range from 1 sent by rogue", StringComparison.Ordinal) && m.Contains(reason, StringComparison.Ordinal)), string.Join("\n", logs.Messages));

            Assert.Equal(0UL, victim.Blocks.Head!.Height);
            Assert.Equal(genesis, victim.Blocks.HeadHash);
            Assert.Equal(0, victim.Network!.Synchronizer.BlocksApplied);
            using var client = new TestRpcClient(victim.RpcAddress);
            Assert.Equal("0x0", (await client.ResultAsync("trellis_status")).GetProperty("height").GetString());

            lying = false;
            await PeerNetworkTests.WaitForHeightAsync(victim, 3);
            Assert.Equal(honest[2].Header.ComputeHash(cluster.Suite), victim.Blocks.HeadHash);
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(serving, announcing);
        }
    }

    [Fact]
    public async Task BadRangeRequests_AreAnsweredEmptyAndGoodOnesWithinTheLimits()
    {
        await using var cluster = new P2pCluster(nodes: 1);
        TrellisNode node = await cluster.StartAsync(0);
        for (int i = 0; i < 3; i++)
        {
            await node.TestEngine().CommitPendingAsync();
        }

        NetworkHost rogue = await cluster.StartRogueAsync(node);
        await Eventually.MatchAsync(() => Task.FromResult(rogue.Peers.Count), n => n == 1, "the rogue connected");
        Hash256 peer = rogue.Peers[0].Remote.NodeFingerprint;

        async Task<BlockRangeResponse> AskAsync(byte[] payload)
        {
            InboundMessage answer = await rogue.RequestAsync(peer, MessageType.BlockRangeRequest, payload, TimeSpan.FromSeconds(5));
            Assert.Equal(MessageType.BlockRangeResponse, answer.Type);
            return BlockRangeResponse.Parser.ParseFrom(answer.Payload.Span);
        }

        static byte[] Range(ulong first, uint count) => new BlockRangeRequest { FirstHeight = first, Count = count }.ToByteArray();

        Assert.Empty((await AskAsync(Range(4, 10))).Blocks);
        Assert.Empty((await AskAsync(Range(1, 0))).Blocks);
        Assert.Empty((await AskAsync(Range(ulong.MaxValue, uint.MaxValue))).Blocks);
        Assert.Empty((await AskAsync([0xff, 0xff, 0xff])).Blocks);

        BlockRangeResponse tail = await AskAsync(Range(2, uint.MaxValue));
        Assert.Equal(2UL, tail.FirstHeight);
        Assert.Equal(2, tail.Blocks.Count);
        Assert.Empty(tail.Certificates);
        for (int i = 0; i < tail.Blocks.Count; i++)
        {
            Block block = Block.Decode(tail.Blocks[i].Span);
            Assert.Equal(node.Blocks.GetBlockHash(2 + (ulong)i), block.Header.ComputeHash(cluster.Suite));
            Assert.True(node.TestEngine().VerifyCommitCertificate(block, out _));
        }

        BlockRangeResponse genesis = await AskAsync(Range(0, 1));
        Assert.Equal(node.Blocks.GetBlockHash(0), Block.Decode(genesis.Blocks[0].Span).Header.ComputeHash(cluster.Suite));

        // The limits: at most maxBlocks, and never past maxBytes.
        Assert.Equal(2, BlockRangeServer.CreateResponse(node.Blocks, 0, 4, maxBlocks: 2, maxBytes: 1 << 20).Blocks.Count);
        Assert.Empty(BlockRangeServer.CreateResponse(node.Blocks, 0, 4, maxBlocks: 64, maxBytes: 10).Blocks);
        Assert.True(node.Network!.RangeRequestsServed >= 6);
    }

    [Fact]
    public async Task MalformedAndUnknownMessages_AreCountedAndDroppedWithoutHarm()
    {
        await using var cluster = new P2pCluster(nodes: 1);
        TrellisNode node = await cluster.StartAsync(0);
        NetworkHost rogue = await cluster.StartRogueAsync(node);
        await Eventually.MatchAsync(() => Task.FromResult(rogue.Peers.Count), n => n == 1, "the rogue connected");

        rogue.Broadcast(MessageType.Transaction, new byte[] { 0x0a, 0xff });
        rogue.Broadcast(MessageType.BlockAnnouncement, new byte[] { 0x12, 0x03, 1, 2, 3 });
        rogue.Broadcast((MessageType)99, new byte[] { 1 });
        rogue.Broadcast(MessageType.BlockRangeRequest, new BlockRangeRequest { FirstHeight = 0, Count = 1 }.ToByteArray());
        var junk = new TransactionBatch();
        junk.Transactions.Add(ByteString.CopyFrom(0x02, 0xc0));
        junk.Transactions.Add(ByteString.CopyFrom(new byte[200_000]));
        rogue.Broadcast(MessageType.Transaction, junk.ToByteArray());

        await Eventually.MatchAsync(() => Task.FromResult(node.Network!.MalformedMessages), n => n >= 3, "three malformed messages counted");
        await Eventually.MatchAsync(() => Task.FromResult(node.Network!.DroppedMessages), n => n >= 1, "the unknown type dropped");
        await Eventually.MatchAsync(() => Task.FromResult(node.Network!.TransactionsRejected), n => n >= 2, "both junk transactions refused by the pool");
        Assert.Equal(0, node.Pool.Count);
        Assert.Equal(1, node.Network!.PeerCount);
        using var client = new TestRpcClient(node.RpcAddress);
        Assert.Equal("0x0", (await client.ResultAsync("eth_blockNumber")).GetString());
    }

    private static (MessageType Type, byte[] Payload) Honest(BlockRangeRequest request, Block[] honest)
    {
        var response = new BlockRangeResponse { FirstHeight = request.FirstHeight };
        for (ulong h = request.FirstHeight; h < request.FirstHeight + request.Count && h >= 1 && h <= (ulong)honest.Length; h++)
        {
            response.Blocks.Add(ByteString.CopyFrom(honest[h - 1].Encode()));
        }

        return (MessageType.BlockRangeResponse, response.ToByteArray());
    }

    private static (MessageType Type, byte[] Payload) Lie(string lie, BlockRangeRequest request, Block[] honest, P2pCluster cluster)
    {
        var response = new BlockRangeResponse { FirstHeight = request.FirstHeight };
        void Add(Block block) => response.Blocks.Add(ByteString.CopyFrom(block.Encode()));
        switch (lie)
        {
            case "garbage":
                return (MessageType.BlockRangeResponse, [0xff, 0xff, 0xff, 0x01]);
            case "wrong message type":
                Add(honest[0]);
                return (MessageType.BlockAnnouncement, response.ToByteArray());
            case "wrong first height":
                response.FirstHeight = request.FirstHeight + 1;
                Add(honest[1]);
                break;
            case "more blocks than asked":
                for (uint i = 0; i <= request.Count; i++)
                {
                    Add(honest[0]);
                }

                break;
            case "heights out of order":
                Add(honest[1]);
                Add(honest[0]);
                break;
            case "separate certificates":
                Add(honest[0]);
                response.Certificates.Add(ByteString.CopyFrom(1, 2, 3));
                break;
            case "undecodable block":
                response.Blocks.Add(ByteString.CopyFrom(0xc3, 0x01, 0x02));
                break;
            case "broken certificate":
                Add(new Block(honest[0].Header.WithCertificate(new byte[32]), honest[0].Transactions));
                break;
            case "forged execution":
                // A certificate that matches the header, but the header's state root is not what execution gives.
                BlockHeader forged = CopyWithStateRoot(honest[0].Header, Hash256.Parse("0x" + new string('5', 64)));
                Add(new Block(forged.WithCertificate(TestNetworkedEngine.CertificateFor(cluster.Suite, forged.ComputeHash(cluster.Suite))), honest[0].Transactions));
                break;
            case "wrong parent":
                Add(honest[1].Header.Height == 2 ? Relabel(honest[1], 1, cluster) : honest[1]);
                break;
            default:
                throw new ArgumentException(lie);
        }

        return (MessageType.BlockRangeResponse, response.ToByteArray());
    }

    // Block 2 presented as block 1: right height, certified, but its parent is not genesis.
    private static Block Relabel(Block block, ulong height, P2pCluster cluster)
    {
        BlockHeader h = block.Header;
        var header = new BlockHeader
        {
            ParentHash = h.ParentHash,
            Height = height,
            Timestamp = h.Timestamp,
            Proposer = h.Proposer,
            TransactionsRoot = h.TransactionsRoot,
            ReceiptsRoot = h.ReceiptsRoot,
            StateRoot = h.StateRoot,
            LogsBloom = h.LogsBloom,
            GasUsed = h.GasUsed,
            GasLimit = h.GasLimit,
        };
        return new Block(header.WithCertificate(TestNetworkedEngine.CertificateFor(cluster.Suite, header.ComputeHash(cluster.Suite))), block.Transactions);
    }

    private static BlockHeader CopyWithStateRoot(BlockHeader h, Hash256 stateRoot) => new()
    {
        ParentHash = h.ParentHash,
        Height = h.Height,
        Timestamp = h.Timestamp,
        Proposer = h.Proposer,
        TransactionsRoot = h.TransactionsRoot,
        ReceiptsRoot = h.ReceiptsRoot,
        StateRoot = stateRoot,
        LogsBloom = h.LogsBloom,
        GasUsed = h.GasUsed,
        GasLimit = h.GasLimit,
    };

    private static async Task ServeAsync(NetworkHost rogue, Func<BlockRangeRequest, (MessageType Type, byte[] Payload)> answer, CancellationToken stop)
    {
        try
        {
            await foreach (InboundMessage message in rogue.Inbound.ReadAllAsync(stop))
            {
                if (message.Type == MessageType.BlockRangeRequest && message.ExpectsResponse)
                {
                    (MessageType type, byte[] payload) = answer(BlockRangeRequest.Parser.ParseFrom(message.Payload.Span));
                    await rogue.RespondAsync(message, type, payload, stop);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or PeerDisconnectedException)
        {
            // The test is over.
        }
    }

    private static async Task AnnounceAsync(NetworkHost rogue, Func<ulong> height, CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                rogue.Broadcast(MessageType.BlockAnnouncement, new BlockAnnouncement { Height = height() }.ToByteArray());
                await Task.Delay(100, stop);
            }
        }
        catch (OperationCanceledException)
        {
            // The test is over.
        }
    }
}
