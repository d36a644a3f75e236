using Trellis.Cli.Bench;

namespace Trellis.Cli.Tests.Bench;

/// <summary>A hand-made run result for the output writers.</summary>
internal static class SampleResults
{
    public static BenchResult Create(string note = "a <note> & \"quotes\"") => new()
    {
        StartedAt = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero),
        Workload = "transfer",
        Transport = "http",
        Loop = "closed",
        Batch = 100,
        Concurrency = 8,
        MaxPending = 8000,
        Senders = 100,
        Crypto = "standard",
        Consensus = "solo",
        ChainId = 1337,
        SinkOnly = false,
        Endpoints = ["http://127.0.0.1:8545"],
        Transactions = 1000,
        Submitted = 1000,
        Rejected = 10,
        Committed = 990,
        Succeeded = 985,
        Reverted = 5,
        Missing = 0,
        SuccessRate = 0.985,
        DurationSeconds = 2,
        CommittedTps = 495,
        SubmissionSeconds = 1,
        SubmissionTps = 990,
        Latency = new LatencySummary(990, 10, 120, 100, 300, 400, 500),
        LatencyHistogram = [new HistogramBucket(0, 250, 900), new HistogramBucket(250, 500, 90)],
        LatencyCdfMs = [10, 100, 300, 500],
        Throughput = [new ThroughputSample(0, 1000, 400), new ThroughputSample(1, 0, 590)],
        Rejections = [new RejectionCount("nonce too low: # < expected #", "nonce too low: 4 < expected 5", 10)],
        Nodes = [new NodeUsage("node0", "http://127.0.0.1:8545", 4242, 87.5, 200L * 1024 * 1024, "pid from node0/node.pid") { CpuSeconds = 1.75, RunQueueWaitSeconds = 0.25 }, new NodeUsage("remote", "http://10.0.0.2:8545", null, null, null, "not measured: remote node")],
        GeneratorCpuPercent = 40,
        GeneratorCpuSeconds = 0.8,
        NodeCpuMicrosecondsPerTx = 1767.677,
        GeneratorPeakRssBytes = 100L * 1024 * 1024,
        ReceiptCheck = "eth_getBlockReceipts",
        BlocksObserved = 12,
        TimedOut = false,
        Sink = new SinkCeiling(1000, 0.05, 20000, 150),
        Notes = [note],
    };
}
