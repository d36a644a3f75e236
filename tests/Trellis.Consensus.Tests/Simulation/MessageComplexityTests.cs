using Xunit.Abstractions;

namespace Trellis.Consensus.Tests.Simulation;

/// <summary>
/// Messages per committed block in a fault-free network (the steady state HotStuff's linearity is about): a view
/// costs a proposal broadcast (n − 1) and n − 1 votes to the next leader, so about 2(n − 1) messages per block.
/// </summary>
public class MessageComplexityTests(ITestOutputHelper output)
{
    [Fact]
    public void MessagesPerCommittedBlock_GrowLinearlyWithValidators()
    {
        var perBlock = new Dictionary<int, double>();
        foreach (int n in new[] { 4, 7, 10, 16 })
        {
            var result = Simulator.Run(new SimulationOptions
            {
                Seed = 3,
                Validators = n,
                DropRate = 0,
                DuplicateRate = 0,
                Partitions = false,
                Crashes = false,
                MinDelay = 5,
                MaxDelay = 20,
                FaultPhase = 0,
                FixedDuration = 1000,
                Transactions = 0,
            });
            Assert.True(result.Passed, result.Describe());
            perBlock[n] = (double)result.MessagesSent / result.MinCommittedHeight;
            output.WriteLine($"| {n} | {result.MinCommittedHeight} | {result.MessagesSent} | {perBlock[n]:F1} | {perBlock[n] / (n - 1):F2} | {string.Join(", ", result.MessagesByKind.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value}"))} |");
        }

        foreach (var (n, messages) in perBlock)
        {
            // Linear: within 25 % of 2(n − 1); quadratic all-to-all voting would be n(n − 1) and far outside this.
            Assert.InRange(messages / (2.0 * (n - 1)), 0.9, 1.25);
        }
    }
}
