using Trellis.Consensus.HotStuff;
using Trellis.Consensus.HotStuff.Messages;
using Trellis.Consensus.Tests.Simulation;
using Trellis.Core;

namespace Trellis.Consensus.Tests.HotStuff;

/// <summary>
/// Four replicas with two views per leader (the node's setting), validator 1 crashed from the start, every message
/// delivered after 5 virtual ms. Validator 1 leads views 8r + 2 and 8r + 3; view 8r + 1's votes go to it. A timeout
/// certificate skips the rest of a timed-out leader's term, so each rotation loses exactly two views (8r + 1 and
/// 8r + 2): view 8r + 3 is never entered, no more than two views fail in a row, and the live validators commit.
/// </summary>
public class CrashedLeaderTests
{
    private const int Dead = 1;
    private const long Delay = 5;
    private const long TickEvery = 10;
    private static readonly HotStuffOptions Options = new() { BaseTimeout = 100, MaxTimeout = 6400 };

    [Fact]
    public void ACrashedLeader_CostsTwoViewsPerRotation_AndTheOthersKeepCommitting()
    {
        var run = Run(horizon: 5_000);

        // Only the view whose QC the crashed validator would form, and the first view of its own term, time out.
        Assert.NotEmpty(run.FailedViews);
        Assert.All(run.FailedViews, view => Assert.Contains(view % 8, new long[] { 1, 2 }));

        // Its second view is skipped, by every live validator.
        Assert.DoesNotContain(run.EnteredViews, view => view % 8 == 3);
        Assert.True(run.MaxFailuresInARow <= 2, $"{run.MaxFailuresInARow} views failed in a row");

        // Each rotation of 8 views costs ~100 + 100 ms of timeouts and certifies 5 blocks, so 5 s commit well over 40
        // (spending a timeout on each of the crashed leader's two views, with doubling from the first failure, cost
        // 100 + 200 + 400 ms per rotation).
        for (int i = 0; i < 4; i++)
        {
            if (i != Dead)
            {
                Assert.True(run.Committed[i].Count >= 40, $"validator {i} committed {run.Committed[i].Count} blocks in 5 s");
            }
        }

        // And they agree.
        int shortest = run.Committed.Where((_, i) => i != Dead).Min(c => c.Count);
        for (int h = 0; h < shortest; h++)
        {
            Assert.Equal(run.Committed[0][h], run.Committed[2][h]);
            Assert.Equal(run.Committed[0][h], run.Committed[3][h]);
        }
    }

    [Fact]
    public void WithNoCrash_NoViewTimesOut()
    {
        var run = Run(horizon: 1_000, dead: -1);
        Assert.Empty(run.FailedViews);
        Assert.True(run.Committed[0].Count >= 50, $"committed {run.Committed[0].Count} blocks in 1 s");
    }

    private static RunResult Run(long horizon, int dead = Dead)
    {
        var fixture = new HotStuffFixture(4);
        var validators = new ValidatorSet([.. fixture.Keys.Select(fixture.Suite.DerivePublicKey)], viewsPerLeader: 2);
        var replicas = new HotStuffReplica?[4];
        var result = new RunResult();
        var queue = new PriorityQueue<(int To, int From, HotStuffMessage Message), (long At, long Sequence)>();
        long sequence = 0;
        long now = 0;

        void Handle(int from, HotStuffOutput output)
        {
            foreach (var outgoing in output.Messages)
            {
                for (int to = 0; to < 4; to++)
                {
                    bool addressed = outgoing.To == OutgoingMessage.Broadcast ? to != from : to == outgoing.To;
                    if (addressed && to != dead)
                    {
                        queue.Enqueue((to, from, outgoing.Message), (now + Delay, sequence++));
                    }
                }
            }

            foreach (var block in output.Committed)
            {
                result.Committed[from].Add(block.Hash);
            }

            foreach (var timeout in output.Timeouts.Where(t => t.Certified))
            {
                result.FailedViews.Add(timeout.View);
                result.MaxFailuresInARow = Math.Max(result.MaxFailuresInARow, timeout.FailuresInARow);
            }

            result.EnteredViews.Add(replicas[from]!.CurrentView);
        }

        for (int i = 0; i < 4; i++)
        {
            if (i != dead)
            {
                replicas[i] = new HotStuffReplica(
                    fixture.Suite, validators, i, fixture.Keys[i], fixture.Genesis, Options, new InMemorySafetyStorage(), new SimulatedLedger(fixture.Suite), new SimulatedPool());
            }
        }

        for (int i = 0; i < 4; i++)
        {
            if (replicas[i] is { } replica)
            {
                Handle(i, replica.Start(0));
            }
        }

        for (now = 0; now <= horizon; now++)
        {
            while (queue.TryPeek(out var next, out var due) && due.At <= now)
            {
                queue.Dequeue();
                Handle(next.To, replicas[next.To]!.Receive(next.From, next.Message, now));
            }

            if (now % TickEvery == 0)
            {
                for (int i = 0; i < 4; i++)
                {
                    if (replicas[i] is { } replica)
                    {
                        Handle(i, replica.Tick(now));
                    }
                }
            }
        }

        return result;
    }

    private sealed class RunResult
    {
        public List<Hash256>[] Committed { get; } = [[], [], [], []];

        public HashSet<long> FailedViews { get; } = [];

        public HashSet<long> EnteredViews { get; } = [];

        public int MaxFailuresInARow { get; set; }
    }
}
