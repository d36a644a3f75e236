namespace Trellis.Cli.Bench;

/// <summary>Everything one <c>trellis bench</c> run measured; written as the summary table, JSON and HTML.</summary>
internal sealed record BenchResult
{
    /// <summary>The JSON schema name and version.</summary>
    public const string Schema = "trellis-bench/1";

    public required DateTimeOffset StartedAt { get; init; }

    public required string Workload { get; init; }

    public required string Transport { get; init; }

    /// <summary>"closed" or "open".</summary>
    public required string Loop { get; init; }

    public double? TargetRate { get; init; }

    public required int Batch { get; init; }

    public required int Concurrency { get; init; }

    /// <summary>The closed loop's bound on uncommitted transactions (0 = none; null in an open loop).</summary>
    public int? MaxPending { get; init; }

    public required int Senders { get; init; }

    public required string Crypto { get; init; }

    public string? Consensus { get; init; }

    public required ulong ChainId { get; init; }

    /// <summary>True when the endpoints were sinks: only submission was measured.</summary>
    public required bool SinkOnly { get; init; }

    public required IReadOnlyList<string> Endpoints { get; init; }

    public required long Transactions { get; init; }

    public required long Submitted { get; init; }

    public required long Rejected { get; init; }

    public required long Committed { get; init; }

    public required long Succeeded { get; init; }

    public required long Reverted { get; init; }

    /// <summary>Sent, not refused, and not seen in a block before the run ended.</summary>
    public required long Missing { get; init; }

    /// <summary>Succeeded / transactions.</summary>
    public required double SuccessRate { get; init; }

    /// <summary>First submission to last commit, seconds.</summary>
    public required double DurationSeconds { get; init; }

    /// <summary>Committed / duration.</summary>
    public required double CommittedTps { get; init; }

    /// <summary>First submission to last answer, seconds.</summary>
    public required double SubmissionSeconds { get; init; }

    /// <summary>Accepted submissions / submission seconds.</summary>
    public required double SubmissionTps { get; init; }

    /// <summary>Open loop: the longest a batch left after its scheduled time, ms.</summary>
    public double? MaxScheduleLagMs { get; init; }

    public required LatencySummary Latency { get; init; }

    public required IReadOnlyList<HistogramBucket> LatencyHistogram { get; init; }

    /// <summary>Sorted latency samples for the CDF chart (at most a few hundred, evenly spaced by rank).</summary>
    public required IReadOnlyList<double> LatencyCdfMs { get; init; }

    public required IReadOnlyList<ThroughputSample> Throughput { get; init; }

    public required IReadOnlyList<RejectionCount> Rejections { get; init; }

    public required IReadOnlyList<NodeUsage> Nodes { get; init; }

    /// <summary>The bench process's CPU in percent of one core over the timed phase.</summary>
    public required double GeneratorCpuPercent { get; init; }

    /// <summary>The bench process's CPU seconds over the timed phase.</summary>
    public double GeneratorCpuSeconds { get; init; }

    /// <summary>
    /// CPU microseconds all measured nodes spent per committed transaction: a cost figure that holds on a shared
    /// machine where the rate does not (null when no node was measured).
    /// </summary>
    public double? NodeCpuMicrosecondsPerTx { get; init; }

    public required long GeneratorPeakRssBytes { get; init; }

    /// <summary>How receipt statuses were read ("eth_getBlockReceipts", "eth_getTransactionReceipt", or "none").</summary>
    public required string ReceiptCheck { get; init; }

    public required int BlocksObserved { get; init; }

    /// <summary>True when the run ended on the stall timeout rather than with every transaction resolved.</summary>
    public required bool TimedOut { get; init; }

    public SinkCeiling? Sink { get; init; }

    public IReadOnlyList<string> Notes { get; init; } = [];
}
