using Xunit.Abstractions;

namespace Trellis.Integration.Tests;

/// <summary>
/// Issue 5: consortium networks made by <c>trellis up</c> on real processes over loopback TLS, under crash faults.
/// n = 4 HotStuff validators tolerate f = 1 (quorum 3); n = 3 Raft nodes tolerate f = 1 (majority 2). With one node
/// stopped the rest keep committing; with two stopped the chain stalls without forking; restarted nodes catch up and
/// every node ends with identical block hashes at every height; a node that joins with no data syncs the whole chain.
/// </summary>
public sealed class ConsensusFaultTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Progress = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("hotstuff", 4)]
    [InlineData("raft", 3)]
    public async Task OneStopped_KeepsCommitting_TwoStopped_Stalls_Restarted_AllAgree(string consensus, int nodes)
    {
        using ConsortiumNetwork network = await ConsortiumNetwork.UpAsync(output, consensus, nodes);
        var live = new HashSet<int>(Enumerable.Range(0, nodes));
        int[] Live()
        {
            lock (live)
            {
                return [.. live.Order()];
            }
        }

        using var load = new CancellationTokenSource();
        Task<int> sender = network.SendLoadAsync(Live, TimeSpan.FromMilliseconds(20), load.Token);
        try
        {
            await network.WaitForHeightAsync(3, Progress, Live());

            // One stopped (the fault budget): the others keep committing.
            lock (live)
            {
                live.Remove(1);
            }

            await network.StopAsync(1);
            ulong before = await network.HeightAsync(0);
            await network.WaitForHeightAsync(before + 3, Progress, Live());
            output.WriteLine($"one stopped: {before} -> {await network.HeightAsync(0)}");

            // Two stopped (over the budget): no quorum, so no block commits; the live ones agree on what they have.
            lock (live)
            {
                live.Remove(2);
            }

            await network.StopAsync(2);
            int[] survivors = Live();

            // A block already certified when the node stopped may still commit: let it settle, then watch.
            await Task.Delay(TimeSpan.FromSeconds(2));
            ulong[] stalled = [.. await Task.WhenAll(survivors.Select(network.HeightAsync))];
            await Task.Delay(TimeSpan.FromSeconds(5));
            ulong[] after = [.. await Task.WhenAll(survivors.Select(network.HeightAsync))];
            Assert.Equal(stalled, after);
            if (survivors.Length == 2)
            {
                ulong common = Math.Min(after[0], after[1]);
                Assert.Equal(await network.BlockHashesAsync(survivors[0], common), await network.BlockHashesAsync(survivors[1], common));
            }

            output.WriteLine($"two stopped: stalled at {string.Join(", ", stalled)} (nodes {string.Join(", ", survivors)})");

            // Both back: the chain moves again and everyone ends with the same blocks.
            await network.StartAsync(1);
            await network.StartAsync(2);
            lock (live)
            {
                live.Add(1);
                live.Add(2);
            }

            ulong target = after.Max() + 3;
            await network.WaitForHeightAsync(target, TimeSpan.FromSeconds(45), Enumerable.Range(0, nodes).ToArray());
        }
        finally
        {
            await load.CancelAsync();
            output.WriteLine($"{await sender} transactions accepted");
        }

        await AssertSameBlocksAsync(network, nodes);
    }

    [Theory]
    [InlineData("hotstuff", 4)]
    [InlineData("raft", 3)]
    public async Task LateJoiner_WithNoData_SyncsTheWholeChain(string consensus, int nodes)
    {
        using ConsortiumNetwork network = await ConsortiumNetwork.UpAsync(output, consensus, nodes);
        int late = nodes - 1;
        await network.StopAsync(late);
        network.WipeData(late);
        int[] others = [.. Enumerable.Range(0, nodes - 1)];

        using (var load = new CancellationTokenSource())
        {
            Task<int> sender = network.SendLoadAsync(() => others, TimeSpan.FromMilliseconds(20), load.Token);
            await network.WaitForHeightAsync(10, TimeSpan.FromSeconds(60), others);
            await load.CancelAsync();
            output.WriteLine($"{await sender} transactions accepted before the late node joined");
        }

        ulong head = await network.HeightAsync(0);
        await network.StartAsync(late);
        await network.WaitForHeightAsync(head, TimeSpan.FromSeconds(45), late);

        await AssertSameBlocksAsync(network, nodes);
    }

    // Every node has the same hash at every height up to the lowest head.
    private async Task AssertSameBlocksAsync(ConsortiumNetwork network, int nodes)
    {
        ulong[] heads = [.. await Task.WhenAll(Enumerable.Range(0, nodes).Select(network.HeightAsync))];
        ulong common = heads.Min();
        string[] reference = await network.BlockHashesAsync(0, common);
        for (int i = 1; i < nodes; i++)
        {
            string[] hashes = await network.BlockHashesAsync(i, common);
            for (ulong h = 0; h <= common; h++)
            {
                Assert.True(reference[h] == hashes[h], $"block {h}: {network.Names[0]} has {reference[h]}, {network.Names[i]} has {hashes[h]}");
            }
        }

        output.WriteLine($"all {nodes} nodes agree on blocks 0..{common} (heads {string.Join(", ", heads)})");
    }
}
