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
}
