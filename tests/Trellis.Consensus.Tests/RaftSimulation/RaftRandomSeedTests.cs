using Xunit.Abstractions;

namespace Trellis.Consensus.Tests.RaftSimulation;

/// <summary>
/// The default run: seeds 1–100 of <see cref="RaftSimulationOptions.ForSeed"/>, each a theory case (so a failure
/// names its seed). Four classes so xunit runs them in parallel.
/// </summary>
public static class RaftRandomSeedTests
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

    public class RaftSeeds1To25(ITestOutputHelper output)
    {
        [Theory]
        [MemberData(nameof(Seeds), 1, 25, MemberType = typeof(RaftRandomSeedTests))]
        public void RandomFaults_KeepSafetyLivenessAndDurability(int seed) => RaftSimulatorTests.AssertPasses(output, RaftSimulationOptions.ForSeed(seed));
    }

    public class RaftSeeds26To50(ITestOutputHelper output)
    {
        [Theory]
        [MemberData(nameof(Seeds), 26, 25, MemberType = typeof(RaftRandomSeedTests))]
        public void RandomFaults_KeepSafetyLivenessAndDurability(int seed) => RaftSimulatorTests.AssertPasses(output, RaftSimulationOptions.ForSeed(seed));
    }

    public class RaftSeeds51To75(ITestOutputHelper output)
    {
        [Theory]
        [MemberData(nameof(Seeds), 51, 25, MemberType = typeof(RaftRandomSeedTests))]
        public void RandomFaults_KeepSafetyLivenessAndDurability(int seed) => RaftSimulatorTests.AssertPasses(output, RaftSimulationOptions.ForSeed(seed));
    }

    public class RaftSeeds76To100(ITestOutputHelper output)
    {
        [Theory]
        [MemberData(nameof(Seeds), 76, 25, MemberType = typeof(RaftRandomSeedTests))]
        public void RandomFaults_KeepSafetyLivenessAndDurability(int seed) => RaftSimulatorTests.AssertPasses(output, RaftSimulationOptions.ForSeed(seed));
    }
}
