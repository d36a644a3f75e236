namespace Trellis.Cli.Bench;

/// <summary>Transactions submitted and committed in one second of the run (second 0 starts at the first submission).</summary>
internal sealed record ThroughputSample(int Second, long Submitted, long Committed);
