using System.Globalization;

namespace Trellis.Cli.Bench;

/// <summary>Writes the human-readable summary table of a run.</summary>
internal static class BenchSummaryWriter
{
    /// <summary>Writes <paramref name="result"/> as aligned rows.</summary>
    public static void Write(BenchResult result, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(output);
        string loop = result.Loop == "open"
            ? $"open loop at {Number(result.TargetRate ?? 0)} tx/s"
            : $"closed loop (max pending {(result.MaxPending is > 0 ? Integer(result.MaxPending.Value) : "unbounded")})";
        output.WriteLine();
        output.WriteLine($"trellis bench: {result.Workload}, {Integer(result.Transactions)} transactions, {Integer(result.Senders)} senders, {result.Crypto} suite{(result.Consensus is null ? string.Empty : ", " + result.Consensus)}");
        output.WriteLine($"  {result.Transport} batches of {Integer(result.Batch)}, {Integer(result.Concurrency)} in flight, {loop}, {Integer(result.Endpoints.Count)} endpoint(s)");
        output.WriteLine();
        if (!result.SinkOnly)
        {
            string ceiling = result.Sink is null ? string.Empty : $"   (generator ceiling {Number(result.Sink.TransactionsPerSecond)} tx/s)";
            Row(output, "committed TPS", $"{Number(result.CommittedTps)} tx/s{ceiling}");
            Row(output, "duration", $"{Seconds(result.DurationSeconds)} (first submission to last commit)");
            Row(output, "submission rate", $"{Number(result.SubmissionTps)} tx/s over {Seconds(result.SubmissionSeconds)}");
            Row(output, "latency p50", Milliseconds(result.Latency.P50Ms));
            Row(output, "latency p95", Milliseconds(result.Latency.P95Ms));
            Row(output, "latency p99", Milliseconds(result.Latency.P99Ms));
            Row(output, "latency max", Milliseconds(result.Latency.MaxMs));
            Row(output, "success", $"{(result.SuccessRate * 100).ToString("0.00", CultureInfo.InvariantCulture)}% ({Integer(result.Succeeded)} succeeded, {Integer(result.Reverted)} reverted, {Integer(result.Rejected)} refused, {Integer(result.Missing)} not committed)");
            Row(output, "blocks", $"{Integer(result.BlocksObserved)} observed; receipts by {result.ReceiptCheck}");
        }
        else
        {
            Row(output, "submission rate", $"{Number(result.SubmissionTps)} tx/s over {Seconds(result.SubmissionSeconds)} (accepted and discarded)");
        }

        if (result.MaxScheduleLagMs is double lag)
        {
            Row(output, "schedule lag", $"{Milliseconds(lag)} at most behind the open-loop clock");
        }

        Row(output, "generator", $"CPU {Number(result.GeneratorCpuPercent)}%, peak RSS {Megabytes(result.GeneratorPeakRssBytes)}");
        if (result.NodeCpuMicrosecondsPerTx is double perTx)
        {
            Row(output, "node CPU per tx", $"{Number(perTx)} us ({Number(1e6 / Math.Max(perTx, 1e-9))} tx per CPU-second, all nodes together)");
        }
        if (result.Sink is SinkCeiling sink && !result.SinkOnly)
        {
            Row(output, "generator ceiling", $"{Number(sink.TransactionsPerSecond)} tx/s to an in-process sink ({Integer(sink.Transactions)} tx in {Seconds(sink.Seconds)}, CPU {Number(sink.GeneratorCpuPercent)}%)");
        }

        if (result.Nodes.Count > 0)
        {
            output.WriteLine();
            int width = Math.Max(4, result.Nodes.Max(n => n.Name.Length));
            output.WriteLine($"  {"node".PadRight(width)}  {"CPU %",7}  {"CPU s",7}  {"waited s",8}  {"peak RSS",10}  note");
            foreach (NodeUsage node in result.Nodes)
            {
                string cpu = node.CpuPercent is double c ? Number(c) : "-";
                string seconds = node.CpuSeconds is double s ? s.ToString("0.00", CultureInfo.InvariantCulture) : "-";
                string waited = node.RunQueueWaitSeconds is double w ? w.ToString("0.00", CultureInfo.InvariantCulture) : "-";
                string rss = node.PeakRssBytes is long r ? Megabytes(r) : "-";
                output.WriteLine($"  {node.Name.PadRight(width)}  {cpu,7}  {seconds,7}  {waited,8}  {rss,10}  {node.Note}");
            }
        }

        if (result.Rejections.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("  refused at submission:");
            foreach (RejectionCount rejection in result.Rejections.Take(5))
            {
                output.WriteLine($"    {Integer(rejection.Count),8} x {rejection.Message}");
            }
        }

        foreach (string note in result.Notes)
        {
            output.WriteLine($"  note: {note}");
        }

        output.WriteLine();
    }

    private static void Row(TextWriter output, string name, string value) => output.WriteLine($"  {name,-18} {value}");

    private static string Integer(long value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    private static string Number(double value) => value.ToString(value >= 100 ? "#,0" : "0.0", CultureInfo.InvariantCulture);

    private static string Seconds(double value) => value.ToString("0.000", CultureInfo.InvariantCulture) + " s";

    private static string Milliseconds(double value) => value.ToString("0.0", CultureInfo.InvariantCulture) + " ms";

    private static string Megabytes(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB";
}
