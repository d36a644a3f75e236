namespace Trellis.Consensus.Tests.RaftSimulation;

/// <summary>One Raft simulation's parameters. Times are virtual milliseconds.</summary>
internal sealed record RaftSimulationOptions
{
    public int Seed { get; init; }

    public int Servers { get; init; } = 3;

    /// <summary>Faults (drops, duplicates, reordering, partitions, crashes) happen in [0, FaultPhase); then the network heals and crashed servers restart.</summary>
    public long FaultPhase { get; init; } = 3000;

    /// <summary>After healing, how long every server has to commit every accepted transaction.</summary>
    public long LivenessBudget { get; init; } = 60_000;

    public double DropRate { get; init; } = 0.1;

    public double DuplicateRate { get; init; } = 0.05;

    public long MinDelay { get; init; } = 1;

    /// <summary>Delays are drawn from [MinDelay, MaxDelay]; independent draws reorder messages.</summary>
    public long MaxDelay { get; init; } = 40;

    public bool Partitions { get; init; } = true;

    public bool Crashes { get; init; } = true;

    public int Transactions { get; init; } = 40;

    /// <summary>The replicas' least election timeout; near the message delay it makes split votes and contested terms common.</summary>
    public long ElectionTimeout { get; init; } = 300;

    /// <summary>Chance that a server crashes right after handling a delivered message (its replies already sent), during the fault phase.</summary>
    public double CrashAfterMessageRate { get; init; }

    /// <summary>How many times, during the fault phase, the current leader is crashed on purpose (partly replicated entries, contested elections).</summary>
    public int LeaderCrashes { get; init; }

    /// <summary>Most transactions a leader puts in one entry.</summary>
    public int MaxTransactionsPerEntry { get; init; } = 5;

    /// <summary>A client resubmits a transaction not yet committed anywhere this often (Raft §8: clients retry).</summary>
    public long ClientRetryInterval { get; init; } = 500;

    /// <summary>If positive, the last server is not a voter before this block height (it joins, empty, as a new validator).</summary>
    public int AddLastServerAtHeight { get; init; }

    /// <summary>If positive, server 0 is not a voter from this block height on (removed; it may be the leader).</summary>
    public int RemoveFirstServerAtHeight { get; init; }

    /// <summary>Applied entries a replica keeps in memory; small so lagging servers often need catch-up by sync.</summary>
    public int RetainedAppliedEntries { get; init; } = 3;

    /// <summary>The replicas' <see cref="Trellis.Consensus.Raft.RaftOptions.PreVote"/>.</summary>
    public bool PreVote { get; init; } = true;

    /// <summary>The replicas' <see cref="Trellis.Consensus.Raft.RaftOptions.CheckQuorum"/>.</summary>
    public bool CheckQuorum { get; init; } = true;

    /// <summary>
    /// If set, this server is cut off from all others during [IsolateFrom, IsolateUntil); at IsolateFrom, -1 picks the
    /// lowest-numbered server that is not leader and -2 the leader.
    /// </summary>
    public int? IsolateServer { get; init; }

    public long IsolateFrom { get; init; }

    public long IsolateUntil { get; init; }

    public override string ToString() =>
        $"seed={Seed} n={Servers} faultPhase={FaultPhase} drop={DropRate:F3} dup={DuplicateRate:F3} delay=[{MinDelay},{MaxDelay}] electionTimeout={ElectionTimeout} partitions={Partitions} crashes={Crashes} txs={Transactions} retained={RetainedAppliedEntries} crashAfterMessage={CrashAfterMessageRate:F3} leaderCrashes={LeaderCrashes} add={AddLastServerAtHeight} remove={RemoveFirstServerAtHeight} preVote={PreVote} checkQuorum={CheckQuorum}"
        + (IsolateServer is int isolated ? $" isolate={isolated}@[{IsolateFrom},{IsolateUntil})" : "");

    /// <summary>The standard randomized scenario for a seed: the seed also picks n and the faults.</summary>
    public static RaftSimulationOptions ForSeed(int seed)
    {
        var random = new Random(seed ^ 0x7af7);
        return new RaftSimulationOptions
        {
            Seed = seed,
            Servers = random.Next(3) == 0 ? 5 : 3,
            DropRate = random.NextDouble() * 0.2,
            DuplicateRate = random.NextDouble() * 0.1,
            MinDelay = 5,
            MaxDelay = 15 + random.Next(60),
            Partitions = random.Next(3) != 0,
            Crashes = random.Next(3) != 0,
            RetainedAppliedEntries = random.Next(5),
            CrashAfterMessageRate = random.Next(2) == 0 ? 0 : random.NextDouble() * 0.02,
            LeaderCrashes = random.Next(6),
            FaultPhase = 3000 + random.Next(4000),
            ElectionTimeout = random.Next(2) == 0 ? 300 : 100,
        };
    }
}
