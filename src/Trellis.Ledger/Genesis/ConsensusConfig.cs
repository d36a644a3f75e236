namespace Trellis.Ledger.Genesis;

/// <summary>The consensus section of the chain configuration.</summary>
public sealed class ConsensusConfig
{
    /// <summary>The engine names accepted in <c>consensus.engine</c>.</summary>
    public static IReadOnlyList<string> Engines { get; } = ["solo", "raft", "hotstuff"];

    /// <summary>"solo", "raft" or "hotstuff".</summary>
    public required string Engine { get; init; }

    /// <summary>Target time between blocks in milliseconds (default 1000).</summary>
    public int BlockIntervalMs { get; init; } = 1000;

    /// <summary>The most transactions a proposer puts in one block (default 10000).</summary>
    public int MaxTransactionsPerBlock { get; init; } = 10_000;

    /// <summary>How long a view (HotStuff) or election (Raft) waits before timing out, in milliseconds (default 4 × the block interval).</summary>
    public int ViewTimeoutMs { get; init; } = 4000;
}
