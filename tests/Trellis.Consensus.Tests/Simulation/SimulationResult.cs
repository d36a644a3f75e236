namespace Trellis.Consensus.Tests.Simulation;

/// <summary>What a simulation observed, and every invariant it saw broken.</summary>
internal sealed class SimulationResult
{
    public required SimulationOptions Options { get; init; }

    public List<string> Violations { get; } = [];

    public long MessagesSent { get; set; }

    public long MessagesWhileIdle { get; set; }

    public Dictionary<string, long> MessagesByKind { get; } = [];

    public long MinCommittedHeight { get; set; }

    public long MaxCommittedHeight { get; set; }

    public int AcceptedTransactions { get; set; }

    public long EndTime { get; set; }

    public int Crashes { get; set; }

    public bool Passed => Violations.Count == 0;

    public string Describe() =>
        $"{Options}\n  end={EndTime}ms committed heights [{MinCommittedHeight}, {MaxCommittedHeight}] accepted txs={AcceptedTransactions} crashes={Crashes} messages={MessagesSent}" +
        (Passed ? string.Empty : "\n  VIOLATIONS:\n  - " + string.Join("\n  - ", Violations.Take(20))) +
        $"\n  reproduce: TRELLIS_SIM_SEED={Options.Seed} dotnet test tests/Trellis.Consensus.Tests --filter PinnedSeed";
}
