using Trellis.Consensus.Raft;
using Trellis.Core;
using Trellis.Ledger.Blocks;
using Trellis.State;

namespace Trellis.Consensus.Tests.Raft;

public sealed class RaftEngineTests
{
    [Fact]
    public async Task ThreeEngines_CommitTheSameBlocksWithEveryTransaction()
    {
        await using var cluster = new RaftCluster(validators: 3);
        int leader = await cluster.WaitForLeaderAsync();
        var hashes = new List<Hash256>();
        for (ulong nonce = 0; nonce < 10; nonce++)
        {
            for (int account = 0; account < 4; account++)
            {
                byte[] raw = cluster.Transfer(account, nonce, wei: 1000);
                Assert.True(cluster.SubmitEverywhere(raw));
                hashes.Add(TxHash(cluster, raw));
            }
        }

        await cluster.WaitForTransactionsAsync(hashes);
        ulong height = cluster.AssertSameChains();
        Assert.True(height >= 1);

        // Every account sent 10 transfers of 1000 wei and received 10 from its neighbour: balances are equal everywhere.
        foreach (var node in cluster.Nodes)
        {
            var state = new WorldState(node.Store, cluster.Suite, node.Blocks!.Head!.StateRoot);
            Assert.Equal(10UL, state.GetNonce(cluster.Accounts[0]));
            Assert.Equal(RaftCluster.Funding - new UInt256(10 * 21_000), state.GetBalance(cluster.Accounts[0]));
            Assert.Equal(0, node.Pool!.Count);
        }

        // Each block carries its leader's certificate, and any engine accepts it.
        for (ulong h = 1; h <= height; h++)
        {
            Block block = cluster.Nodes[0].Blocks!.GetBlock(h)!;
            Assert.True(cluster.Nodes[2].Engine!.VerifyCommitCertificate(block, out string? error), error);
            Assert.Equal(cluster.Nodes[leader].Address, block.Header.Proposer);
        }
    }

    [Fact]
    public async Task LeaderKilled_ANewLeaderIsElectedAndCommitsContinue()
    {
        await using var cluster = new RaftCluster(validators: 3);
        int first = await cluster.WaitForLeaderAsync();
        byte[] before = cluster.Transfer(0, 0);
        cluster.SubmitEverywhere(before);
        await cluster.WaitForTransactionsAsync([TxHash(cluster, before)]);

        await cluster.StopAsync(first);
        int second = await cluster.WaitForLeaderAsync(i => i != first);
        Assert.NotEqual(first, second);
        var survivors = Enumerable.Range(0, 3).Where(i => i != first).ToArray();
        byte[] after = cluster.Transfer(1, 0);
        cluster.SubmitEverywhere(after);
        await cluster.WaitForTransactionsAsync([TxHash(cluster, after)], survivors);
        Assert.Equal(cluster.Nodes[second].Address, cluster.Nodes[second].Blocks!.Head!.Proposer);

        // The old leader comes back from its store and Raft log and converges on the same chain.
        cluster.Start(first);
        await cluster.WaitForTransactionsAsync([TxHash(cluster, after)]);
        cluster.AssertSameChains();
    }

    [Fact]
    public async Task MinorityPartition_MakesNoProgressWhileTheMajorityCommits()
    {
        await using var cluster = new RaftCluster(validators: 3);
        int leader = await cluster.WaitForLeaderAsync();
        cluster.Network.Isolate(cluster.Nodes[leader].Address);
        ulong isolatedHeight = cluster.Nodes[leader].Blocks!.Head!.Height;

        // The isolated leader gets transactions of its own but can never commit them alone.
        byte[] lonely = cluster.Transfer(2, 0);
        Assert.True(cluster.Nodes[leader].Engine!.Submit(lonely).IsAccepted);
        var majority = Enumerable.Range(0, 3).Where(i => i != leader).ToArray();
        int newLeader = await cluster.WaitForLeaderAsync(i => i != leader);
        byte[] raw = cluster.Transfer(0, 0);
        cluster.SubmitEverywhere(raw, i => i != leader);
        await cluster.WaitForTransactionsAsync([TxHash(cluster, raw)], majority);
        await Task.Delay(300);
        Assert.Equal(isolatedHeight, cluster.Nodes[leader].Blocks!.Head!.Height);
        Assert.True(cluster.Nodes[newLeader].Engine!.CurrentTerm > 1);

        // Healed, the old leader steps down, drops its uncommitted block and follows.
        cluster.Network.Reconnect(cluster.Nodes[leader].Address);
        await cluster.WaitForTransactionsAsync([TxHash(cluster, raw)]);
        Assert.NotEqual("leader", cluster.Nodes[leader].Engine!.Role);
        cluster.AssertSameChains();
        Assert.Null(cluster.Nodes[leader].Blocks!.FindTransaction(TxHash(cluster, lonely)));
    }

    [Fact]
    public async Task AllEnginesRestarted_KeepIdenticalChainsAndContinue()
    {
        await using var cluster = new RaftCluster(validators: 3);
        await cluster.WaitForLeaderAsync();
        for (ulong nonce = 0; nonce < 3; nonce++)
        {
            byte[] raw = cluster.Transfer(0, nonce);
            cluster.SubmitEverywhere(raw);
            await cluster.WaitForTransactionsAsync([TxHash(cluster, raw)]);
        }

        ulong height = cluster.AssertSameChains();
        var hashes = Enumerable.Range(0, (int)height + 1).Select(h => cluster.Nodes[0].Blocks!.GetBlockHash((ulong)h)).ToArray();
        for (int i = 0; i < 3; i++)
        {
            await cluster.StopAsync(i);
        }

        for (int i = 0; i < 3; i++)
        {
            cluster.Start(i);
            Assert.Equal(height, cluster.Nodes[i].Blocks!.Head!.Height);
        }

        await cluster.WaitForLeaderAsync();
        byte[] next = cluster.Transfer(0, 3);
        cluster.SubmitEverywhere(next);
        await cluster.WaitForTransactionsAsync([TxHash(cluster, next)]);
        cluster.AssertSameChains();
        for (int h = 0; h < hashes.Length; h++)
        {
            Assert.Equal(hashes[h], cluster.Nodes[1].Blocks!.GetBlockHash((ulong)h));
        }
    }

    [Fact]
    public async Task LaggingEngine_IsToldToCatchUpAndDoesSoThroughBlockSync()
    {
        await using var cluster = new RaftCluster(validators: 3, retainedAppliedEntries: 1);
        int leader = await cluster.WaitForLeaderAsync();
        int lagging = (leader + 1) % 3;
        cluster.Network.Isolate(cluster.Nodes[lagging].Address);
        var active = Enumerable.Range(0, 3).Where(i => i != lagging).ToArray();
        Hash256 last = default;
        for (ulong nonce = 0; nonce < 6; nonce++)
        {
            byte[] raw = cluster.Transfer(1, nonce);
            cluster.SubmitEverywhere(raw, i => i != lagging);
            last = TxHash(cluster, raw);
            await cluster.WaitForTransactionsAsync([last], active);
        }

        ulong target = cluster.Nodes[leader].Blocks!.Head!.Height;
        Assert.True(target >= 4);
        Assert.Equal(0UL, cluster.Nodes[lagging].Blocks!.Head!.Height);
        cluster.Network.Reconnect(cluster.Nodes[lagging].Address);

        // The leader compacted the blocks it needs: its engine learns the network height and waits for block sync.
        var engine = cluster.Nodes[lagging].Engine!;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (engine.KnownNetworkHeight < target && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.True(engine.KnownNetworkHeight >= target, $"known network height {engine.KnownNetworkHeight} < {target}");
        var synced = await engine.ApplySyncedBlocksAsync(cluster.Nodes[leader].BlocksFrom(1), CancellationToken.None);
        Assert.Null(synced.Error);
        Assert.True(synced.Applied >= (int)target);

        // Back in the log, it follows new blocks through Raft again. If the leader compacted past it once more before
        // it was back (a new term's first entry, or the new block itself), it is told to catch up again, and block sync
        // (the node's, played here by the test) hands it what it lacks.
        byte[] next = cluster.Transfer(1, 6);
        cluster.SubmitEverywhere(next);
        Hash256[] wanted = [TxHash(cluster, next), last];
        var lagger = cluster.Nodes[lagging];
        deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline && !wanted.All(h => lagger.Blocks!.FindTransaction(h) is not null))
        {
            ulong have = lagger.Blocks!.Head!.Height;
            if (engine.KnownNetworkHeight > have)
            {
                var ahead = cluster.Nodes.Where(n => n != lagger).MaxBy(n => n.Blocks!.Head!.Height)!;
                Assert.Null((await engine.ApplySyncedBlocksAsync(ahead.BlocksFrom(have + 1), CancellationToken.None)).Error);
            }

            await Task.Delay(50);
        }

        await cluster.WaitForTransactionsAsync(wanted);
        cluster.AssertSameChains();
    }

    [Fact]
    public async Task Observer_FollowsThroughSyncAndRefusesATamperedBlock()
    {
        await using var cluster = new RaftCluster(validators: 3, observers: 1);
        var observer = cluster.Nodes[3].Engine!;
        Assert.Equal("observer", observer.Role);
        Assert.Equal(-1, observer.ValidatorIndex);
        await cluster.WaitForLeaderAsync();
        byte[] raw = cluster.Transfer(0, 0, wei: 5);
        cluster.SubmitEverywhere(raw, i => i < 3);
        await cluster.WaitForTransactionsAsync([TxHash(cluster, raw)], [0, 1, 2]);
        Assert.Equal(0UL, cluster.Nodes[3].Blocks!.Head!.Height);

        var blocks = cluster.Nodes[0].BlocksFrom(1);
        Block original = blocks[0];

        // Same header and transactions, but the certificate's signature bytes are altered.
        byte[] certificate = original.Header.ConsensusCertificate.ToArray();
        certificate[^10] ^= 0x40;
        var tampered = new Block(original.Header.WithCertificate(certificate), original.Transactions);
        var refused = await observer.ApplySyncedBlocksAsync([tampered], CancellationToken.None);
        Assert.Equal(0, refused.Applied);
        Assert.NotNull(refused.Error);
        Assert.Equal(0UL, cluster.Nodes[3].Blocks!.Head!.Height);

        var applied = await observer.ApplySyncedBlocksAsync(blocks, CancellationToken.None);
        Assert.Null(applied.Error);
        Assert.Equal(blocks.Count, applied.Applied);
        cluster.AssertSameChains([0, 3]);
    }

    [Fact]
    public async Task Receive_HostileBytes_AreDroppedWithAReasonAndNeverThrow()
    {
        await using var cluster = new RaftCluster(validators: 3);
        var engine = cluster.Nodes[0].Engine!;
        var random = new Random(7);
        for (int i = 0; i < 200; i++)
        {
            var bytes = new byte[random.Next(0, 64)];
            random.NextBytes(bytes);
            engine.Receive(cluster.Nodes[1].Address, bytes);
        }

        engine.Receive(Address.Zero, new byte[] { 0x0a, 0x00 });
        Assert.True(engine.MessagesDropped > 0);
        Assert.NotNull(engine.LastDropReason);
        Assert.False(engine.Completion.IsFaulted);

        // Still works afterwards.
        await cluster.WaitForLeaderAsync();
        byte[] raw = cluster.Transfer(0, 0);
        cluster.SubmitEverywhere(raw);
        await cluster.WaitForTransactionsAsync([TxHash(cluster, raw)]);
    }

    [Fact]
    public async Task SingleValidator_CommitsAlone()
    {
        await using var cluster = new RaftCluster(validators: 1);
        Assert.Equal(0, await cluster.WaitForLeaderAsync());
        byte[] raw = cluster.Transfer(0, 0);
        Assert.True(cluster.SubmitEverywhere(raw));
        await cluster.WaitForTransactionsAsync([TxHash(cluster, raw)]);
    }

    [Fact]
    public async Task FromChain_ReadsTheConsensusSection()
    {
        await using var cluster = new RaftCluster(validators: 1);
        var chain = cluster.Chain;
        var options = RaftEngineOptions.FromChain(chain, "/data");
        Assert.Equal(TimeSpan.FromMilliseconds(300), options.ElectionTimeout);
        Assert.Equal(50, options.MaxTransactionsPerBlock);
        Assert.Equal(30_000_000UL, options.BlockGasLimit);
        Assert.Equal("/data", options.DataDirectory);
        Assert.Equal(30, options.ToReplicaOptions().HeartbeatInterval);
    }

    private static Hash256 TxHash(RaftCluster cluster, byte[] raw) => cluster.Suite.Hash(raw);
}
