namespace Trellis.Consensus.Tests.RaftSimulation;

/// <summary>What a Raft simulation observed; it passed when <see cref="Violations"/> is empty.</summary>
internal sealed class RaftSimulationResult
{
    public required RaftSimulationOptions Options { get; init; }

    public List<string> Violations { get; } = [];

    public bool Passed => Violations.Count == 0;

    public long EndTime { get; set; }

    public long MessagesSent { get; set; }

    public int AcceptedTransactions { get; set; }

    public int Crashes { get; set; }

    public int Elections { get; set; }

    public int CatchUps { get; set; }

    public long HighestTerm { get; set; }

    /// <summary>Leaders elected (new terms) once the isolated server had rejoined.</summary>
    public int ElectionsAfterRejoin { get; set; }

    /// <summary>The server the run isolated, or -1.</summary>
    public int IsolatedServer { get; set; } = -1;

    /// <summary>The highest term any replica had when the isolated server rejoined.</summary>
    public long TermAtRejoin { get; set; }

    /// <summary>True if some leader had stepped down (same term, no higher term seen) while isolated from the majority.</summary>
    public bool IsolatedLeaderSteppedDown { get; set; }

    public int MinApplied { get; set; }

    public int MaxApplied { get; set; }

    /// <summary>The most blocks (non-empty entries) any server applied.</summary>
    public long MaxBlocks { get; set; }

    public string Describe() =>
        $"{Options} -> end t={EndTime}, {MessagesSent} messages, {AcceptedTransactions} transactions accepted, {Crashes} crashes, {Elections} leaders elected (highest term {HighestTerm}), {CatchUps} catch-ups by sync, applied {MinApplied}..{MaxApplied}"
        + (Passed ? ": passed" : $": FAILED (reproduce with TRELLIS_SIM_SEED={Options.Seed} dotnet test tests/Trellis.Consensus.Tests --filter RaftPinnedSeed)\n  " + string.Join("\n  ", Violations));
}
