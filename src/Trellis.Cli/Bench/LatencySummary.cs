namespace Trellis.Cli.Bench;

/// <summary>Commit latency of the committed transactions, in milliseconds (nearest-rank percentiles).</summary>
internal sealed record LatencySummary(long Count, double MinMs, double MeanMs, double P50Ms, double P95Ms, double P99Ms, double MaxMs)
{
    /// <summary>No committed transaction.</summary>
    public static LatencySummary Empty { get; } = new(0, 0, 0, 0, 0, 0, 0);
}
