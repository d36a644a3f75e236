using Trellis.Consensus.HotStuff;
using Trellis.Ledger.Blocks;

namespace Trellis.Consensus.Tests.Engine;

public class HotStuffEngineTests
{
    [Fact]
    public async Task TransactionsSubmittedToAnyEngine_CommitOnAllFour_WithIdenticalBlocks()
    {
        await using var cluster = new EngineCluster();
        cluster.StartAll();
        for (int i = 0; i < 8; i++)
        {
            cluster.Submit(i % 4, cluster.Transfer(i, 0));
        }

        await cluster.WaitUntilAsync(() => cluster.Nodes.All(n => n.Pool.Count == 0 && CommittedTransactions(n) == 8), "8 transfers committed on all four");
        ulong height = cluster.AssertSameChain(0, 1, 2, 3);
        Assert.True(height >= 1);
        var node = cluster.Nodes[0];
        for (ulong h = 1; h <= node.Height; h++)
        {
            var block = node.Blocks.GetBlock(h)!;
            Assert.True(node.Engine.VerifyCommitCertificate(block, out var error), error);
        }

        // Account 1 received 1 wei from account 0 and paid 1 wei plus 21,000 gas at 1 wei to account 2 and the proposer.
        foreach (var n in cluster.Nodes)
        {
            var state = new State.WorldState(n.Store, cluster.Suite, n.Blocks.Head!.StateRoot);
            Assert.Equal(EngineCluster.Funding - new Core.UInt256(21_000), state.GetBalance(cluster.Accounts[1]));
        }
    }

    [Fact]
    public async Task IdleChain_MakesNoBlocksAndNoViewChanges()
    {
        await using var cluster = new EngineCluster(viewTimeoutMs: 100);
        cluster.StartAll();
        cluster.Submit(0, cluster.Transfer(0, 0));
        await cluster.WaitUntilAsync(() => cluster.Nodes.All(n => CommittedTransactions(n) == 1), "the transfer committed everywhere");
        await Task.Delay(300);
        ulong height = cluster.Nodes.Max(n => n.Height);
        long messages = Interlocked.Read(ref cluster.Network.Delivered);

        // Ten view timeouts' worth of idleness: nothing is proposed, nobody times out.
        await Task.Delay(1000);
        Assert.Equal(height, cluster.Nodes.Max(n => n.Height));
        Assert.Equal(messages, Interlocked.Read(ref cluster.Network.Delivered));

        // And work after idleness commits again.
        cluster.Submit(2, cluster.Transfer(1, 0));
        await cluster.WaitUntilAsync(() => cluster.Nodes.All(n => CommittedTransactions(n) == 2), "the second transfer committed everywhere");
        cluster.AssertSameChain(0, 1, 2, 3);
    }

    [Fact]
    public async Task OneEngineStopped_TheOtherThreeKeepCommitting_ThenItCatchesUp()
    {
        await using var cluster = new EngineCluster();
        cluster.StartAll();
        await cluster.Nodes[3].StopAsync();
        for (int i = 0; i < 6; i++)
        {
            cluster.Submit(i % 3, cluster.Transfer(i, 0));
        }

        await cluster.WaitUntilAsync(() => cluster.Nodes.Take(3).All(n => CommittedTransactions(n) == 6), "6 transfers committed on the three running engines");
        cluster.AssertSameChain(0, 1, 2);
        Assert.Equal(0UL, cluster.Nodes[3].Height);

        // The lagging node catches up through block sync, verifying each certificate.
        var node0 = cluster.Nodes[0];
        var blocks = Enumerable.Range(1, (int)node0.Height).Select(h => node0.Blocks.GetBlock((ulong)h)!).ToList();
        cluster.Nodes[3].Restart();
        var result = await cluster.Nodes[3].Engine.ApplySyncedBlocksAsync(blocks, CancellationToken.None);
        Assert.Null(result.Error);
        Assert.Equal(blocks.Count, result.Applied);
        cluster.AssertSameChain(0, 3);

        // And then takes part in consensus again.
        cluster.Submit(3, cluster.Transfer(6, 0));
        await cluster.WaitUntilAsync(() => cluster.Nodes.All(n => CommittedTransactions(n) >= 7 || (n.Index == 3 && n.Pool.Count == 0 && n.Height >= node0.Height)), "the next transfer committed");
        await cluster.WaitUntilAsync(() => cluster.Nodes[3].Height == cluster.Nodes[0].Height, "node 3 at the head");
        cluster.AssertSameChain(0, 1, 2, 3);
    }

    [Fact]
    public async Task TwoEnginesStopped_NothingCommits_AndAfterRestartAllConverge()
    {
        await using var cluster = new EngineCluster();
        cluster.StartAll();
        cluster.Submit(0, cluster.Transfer(0, 0));
        await cluster.WaitUntilAsync(() => cluster.Nodes.All(n => CommittedTransactions(n) == 1), "the first transfer committed everywhere");

        await cluster.Nodes[2].StopAsync();
        await cluster.Nodes[3].StopAsync();
        cluster.Submit(0, cluster.Transfer(1, 0));
        cluster.Submit(1, cluster.Transfer(2, 0));

        // Blocks certified before the stop may still commit; after that nothing can.
        await Task.Delay(500);
        ulong[] before = [.. cluster.Nodes.Select(n => n.Height)];
        await Task.Delay(1500);
        Assert.Equal(before[0], cluster.Nodes[0].Height);
        Assert.Equal(before[1], cluster.Nodes[1].Height);
        cluster.AssertSameChain(0, 1, 2, 3);

        // Restarted on the same stores and safety files, the quorum is back: everything commits, with no fork.
        cluster.Nodes[2].Restart();
        cluster.Nodes[3].Restart();
        cluster.Submit(2, cluster.Transfer(1, 0));
        cluster.Submit(3, cluster.Transfer(2, 0));
        await cluster.WaitUntilAsync(() => cluster.Nodes.Take(2).All(n => CommittedTransactions(n) == 3), "all three transfers committed on the nodes that stayed up");
        var top = cluster.Nodes[0];
        var blocks = Enumerable.Range(1, (int)top.Height).Select(h => top.Blocks.GetBlock((ulong)h)!).ToList();
        foreach (var node in cluster.Nodes.Skip(2))
        {
            if (node.Height < top.Height)
            {
                var result = await node.Engine.ApplySyncedBlocksAsync(blocks, CancellationToken.None);
                Assert.Null(result.Error);
            }
        }

        await cluster.WaitUntilAsync(() => cluster.Nodes.All(n => n.Height >= top.Height), "every node at the head");
        cluster.AssertSameChain(0, 1, 2, 3);
    }

    [Fact]
    public async Task AllFourRestarted_OnTheirStoresAndSafetyFiles_ContinueTheSameChain()
    {
        await using var cluster = new EngineCluster();
        cluster.StartAll();
        for (int i = 0; i < 4; i++)
        {
            cluster.Submit(i, cluster.Transfer(i, 0));
        }

        await cluster.WaitUntilAsync(() => cluster.Nodes.All(n => CommittedTransactions(n) == 4), "4 transfers committed everywhere");
        foreach (var node in cluster.Nodes)
        {
            await node.StopAsync();
        }

        Assert.True(File.Exists(Path.Combine(cluster.Nodes[0].DataDirectory, HotStuffEngine.SafetyFileName)));
        ulong height = cluster.AssertSameChain(0, 1, 2, 3);
        foreach (var node in cluster.Nodes)
        {
            node.Restart();
        }

        for (int i = 4; i < 8; i++)
        {
            cluster.Submit(i % 4, cluster.Transfer(i, 0));
        }

        await cluster.WaitUntilAsync(() => cluster.Nodes.All(n => CommittedTransactions(n) == 8), "4 more transfers committed after the restart");
        Assert.True(cluster.AssertSameChain(0, 1, 2, 3) > height);
        foreach (var node in cluster.Nodes)
        {
            for (ulong h = 1; h <= node.Height; h++)
            {
                Assert.True(node.Engine.VerifyCommitCertificate(node.Blocks.GetBlock(h)!, out var error), error);
            }
        }
    }

    [Fact]
    public async Task Observer_FedOnlySyncedBlocks_EndsWithTheSameChain()
    {
        await using var cluster = new EngineCluster(validators: 4, observers: 1);
        cluster.StartAll();
        var observer = cluster.Nodes[4];
        Assert.Equal("observer", observer.Engine.Role);
        Assert.Equal(-1, observer.Engine.ValidatorIndex);
        for (int i = 0; i < 4; i++)
        {
            cluster.Submit(i, cluster.Transfer(i, 0));
        }

        await cluster.WaitUntilAsync(() => cluster.Nodes.Take(4).All(n => CommittedTransactions(n) == 4), "4 transfers committed");
        Assert.Equal(0UL, observer.Height);
        var source = cluster.Nodes[1];
        var blocks = Enumerable.Range(1, (int)source.Height).Select(h => source.Blocks.GetBlock((ulong)h)!).ToList();
        var result = await observer.Engine.ApplySyncedBlocksAsync(blocks, CancellationToken.None);
        Assert.Equal((blocks.Count, (string?)null), (result.Applied, result.Error));
        cluster.AssertSameChain(1, 4);
        Assert.Equal(4, CommittedTransactions(observer));
        Assert.True(observer.Engine.KnownNetworkHeight >= source.Height);
    }

    [Fact]
    public async Task SyncedBlock_WithATamperedTransactionList_IsRefused()
    {
        await using var cluster = new EngineCluster(validators: 4, observers: 1);
        cluster.StartAll();
        cluster.Submit(0, cluster.Transfer(0, 0));
        await cluster.WaitUntilAsync(() => cluster.Nodes.Take(4).All(n => CommittedTransactions(n) == 1), "the transfer committed");
        var source = cluster.Nodes[0];
        var blocks = Enumerable.Range(1, (int)source.Height).Select(h => source.Blocks.GetBlock((ulong)h)!).ToList();
        int withTransaction = blocks.FindIndex(b => b.Transactions.Count > 0);
        var original = blocks[withTransaction];
        blocks[withTransaction] = new Block(original.Header, []);
        var result = await cluster.Nodes[4].Engine.ApplySyncedBlocksAsync(blocks, CancellationToken.None);
        Assert.Equal(withTransaction, result.Applied);
        Assert.Contains("certificate", result.Error, StringComparison.Ordinal);
        Assert.Equal((ulong)withTransaction, cluster.Nodes[4].Height);
    }

    [Fact]
    public void Options_FromChain_ReadConsensusKeys()
    {
        var cluster = new EngineCluster(validators: 1, blockIntervalMs: 250, viewTimeoutMs: 1500, maxTransactionsPerBlock: 77);
        var options = HotStuffEngineOptions.FromChain(cluster.Chain, "/tmp/x");
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.BlockInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), options.ViewTimeout);
        Assert.Equal(77, options.MaxTransactionsPerBlock);
        Assert.Equal(30_000_000UL, options.BlockGasLimit);
        Assert.Equal("/tmp/x", options.DataDirectory);
        Assert.Equal(1500, options.ToReplicaOptions().BaseTimeout);
        Assert.Throws<ArgumentOutOfRangeException>((options with { MaxTransactionsPerBlock = 0 }).Validate);
    }

    internal static int CommittedTransactions(EngineCluster.ClusterNode node)
    {
        int count = 0;
        for (ulong h = 1; h <= node.Height; h++)
        {
            count += node.Blocks.GetBlock(h)!.Transactions.Count;
        }

        return count;
    }
}
