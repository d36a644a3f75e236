using Xunit.Abstractions;

namespace Trellis.Consensus.Tests.Simulation;

/// <summary>
/// The default run: seeds 1–100 of <see cref="SimulationOptions.ForSeed"/>, each a theory case (so a failure names
/// its seed). Four classes so xunit runs them in parallel.
/// </summary>
public static class RandomSeedTests
{
    public static TheoryData<int> Seeds(int first, int count)
    {
        var seeds = new TheoryData<int>();
        for (int seed = first; seed < first + count; seed++)
        {
            seeds.Add(seed);
        }

        return seeds;
    }

    public class Seeds1To25(ITestOutputHelper output)
    {
        [Theory]
        [MemberData(nameof(Seeds), 1, 25, MemberType = typeof(RandomSeedTests))]
        public void RandomFaults_KeepAgreementLivenessAndDurability(int seed) => SimulatorTests.AssertPasses(output, SimulationOptions.ForSeed(seed));
    }

    public class Seeds26To50(ITestOutputHelper output)
    {
        [Theory]
        [MemberData(nameof(Seeds), 26, 25, MemberType = typeof(RandomSeedTests))]
        public void RandomFaults_KeepAgreementLivenessAndDurability(int seed) => SimulatorTests.AssertPasses(output, SimulationOptions.ForSeed(seed));
    }

    public class Seeds51To75(ITestOutputHelper output)
    {
        [Theory]
        [MemberData(nameof(Seeds), 51, 25, MemberType = typeof(RandomSeedTests))]
        public void RandomFaults_KeepAgreementLivenessAndDurability(int seed) => SimulatorTests.AssertPasses(output, SimulationOptions.ForSeed(seed));
    }

    public class Seeds76To100(ITestOutputHelper output)
    {
        [Theory]
        [MemberData(nameof(Seeds), 76, 25, MemberType = typeof(RandomSeedTests))]
        public void RandomFaults_KeepAgreementLivenessAndDurability(int seed) => SimulatorTests.AssertPasses(output, SimulationOptions.ForSeed(seed));
    }

    /// <summary>
    /// Seeds 1–40 again with two views per leader, the node's setting: a timeout certificate then moves to the next
    /// leader's term (<see cref="Consensus.HotStuff.ValidatorSet.ViewAfterTimeout"/>), so views are skipped under
    /// faults; agreement, liveness and durability must hold as with one view per leader.
    /// </summary>
    public class TwoViewsPerLeader(ITestOutputHelper output)
    {
        [Theory]
        [MemberData(nameof(Seeds), 1, 40, MemberType = typeof(RandomSeedTests))]
        public void RandomFaults_KeepAgreementLivenessAndDurability(int seed) =>
            SimulatorTests.AssertPasses(output, SimulationOptions.ForSeed(seed) with { ViewsPerLeader = 2 });

        /// <summary>
        /// Two replicas of four restarted in a view they had voted in, without the TC that took them there: they used to
        /// resume in it and stall everyone (the other two could not follow them, and they ignored the others' timeouts
        /// for the earlier view). Found by the two-views-per-leader soak.
        /// </summary>
        [Theory]
        [InlineData(120)]
        public void RegressionSeed_RestartedReplicasRejoinTheOthers(int seed) =>
            SimulatorTests.AssertPasses(output, SimulationOptions.ForSeed(seed) with { ViewsPerLeader = 2 });
    }
}
