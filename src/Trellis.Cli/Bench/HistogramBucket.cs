namespace Trellis.Cli.Bench;

/// <summary>Latencies from <paramref name="FromMs"/> (inclusive) to <paramref name="ToMs"/> (exclusive; the last bucket includes it).</summary>
internal sealed record HistogramBucket(double FromMs, double ToMs, long Count);
