namespace Trellis.Consensus.Tests.Simulation;

/// <summary>One simulation's parameters. Times are virtual milliseconds.</summary>
internal sealed record SimulationOptions
{
    public int Seed { get; init; }

    public int Validators { get; init; } = 4;

    /// <summary>How many validators are Byzantine (at most f); they are chosen by the seed.</summary>
    public int Byzantine { get; init; }

    public ByzantineBehaviour Behaviour { get; init; } = ByzantineBehaviour.All;

    /// <summary>Faults (drops, duplicates, partitions, crashes) happen in [0, FaultPhase); then the network heals and crashed validators restart.</summary>
    public long FaultPhase { get; init; } = 2000;

    /// <summary>After healing, how long every honest validator has to commit every accepted transaction.</summary>
    public long LivenessBudget { get; init; } = 60_000;

    public double DropRate { get; init; } = 0.1;

    public double DuplicateRate { get; init; } = 0.05;

    public long MinDelay { get; init; } = 1;

    public long MaxDelay { get; init; } = 40;

    public bool Partitions { get; init; } = true;

    public bool Crashes { get; init; } = true;

    public int Transactions { get; init; } = 30;

    /// <summary>Consecutive views each validator leads (1 as in the paper; the node uses 2, where a timeout skips the rest of the term).</summary>
    public int ViewsPerLeader { get; init; } = 1;

    /// <summary>Pools behave like the node's: no proposals and no view timeouts while there is no work.</summary>
    public bool IdleWhenEmpty { get; init; }

    /// <summary>When positive, a second batch of transactions is submitted at this time (after an idle period).</summary>
    public long SecondBurstAt { get; init; }

    /// <summary>Messages sent in [IdleWindowStart, SecondBurstAt) are counted in <see cref="SimulationResult.MessagesWhileIdle"/>.</summary>
    public long IdleWindowStart { get; init; }

    /// <summary>Runs for exactly this long with no early stop (message counting); 0 to stop once liveness holds.</summary>
    public long FixedDuration { get; init; }

    public override string ToString() =>
        $"seed={Seed} n={Validators} byzantine={Byzantine} ({Behaviour}) faultPhase={FaultPhase} drop={DropRate} dup={DuplicateRate} delay=[{MinDelay},{MaxDelay}] partitions={Partitions} crashes={Crashes} txs={Transactions}" +
        (ViewsPerLeader == 1 ? string.Empty : $" viewsPerLeader={ViewsPerLeader}");

    /// <summary>The standard randomized scenario for a seed: the seed also picks n, the number of Byzantine validators and the faults.</summary>
    public static SimulationOptions ForSeed(int seed)
    {
        var random = new Random(seed ^ 0x5eed);
        int n = random.Next(4) switch { 0 or 1 => 4, 2 => 5, _ => 7 };
        int f = (n - 1) / 3;
        return new SimulationOptions
        {
            Seed = seed,
            Validators = n,
            Byzantine = random.Next(f + 1),
            Behaviour = (ByzantineBehaviour)random.Next(1, (int)ByzantineBehaviour.All + 1),
            DropRate = random.NextDouble() * 0.2,
            DuplicateRate = random.NextDouble() * 0.1,
            MinDelay = 5,
            MaxDelay = 15 + random.Next(60),
            Partitions = random.Next(3) != 0,
            Crashes = random.Next(3) != 0,
        };
    }
}
