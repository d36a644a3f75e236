using System.Text;
using System.Text.Json;

namespace Trellis.Cli.Bench;

/// <summary>
/// Writes a run as JSON (schema <c>trellis-bench/1</c>, documented in docs/benchmarking.md). Times are seconds or
/// milliseconds as the field name says; rates are per second; absent figures are null.
/// </summary>
internal static class BenchJsonWriter
{
    /// <summary>The JSON text of <paramref name="result"/>.</summary>
    public static string ToJson(BenchResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("schema", BenchResult.Schema);
            w.WriteString("startedAt", result.StartedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture));

            w.WriteStartObject("settings");
            w.WriteString("workload", result.Workload);
            w.WriteString("transport", result.Transport);
            w.WriteString("loop", result.Loop);
            WriteNullable(w, "targetRate", result.TargetRate);
            w.WriteNumber("batch", result.Batch);
            w.WriteNumber("concurrency", result.Concurrency);
            if (result.MaxPending is int maxPending)
            {
                w.WriteNumber("maxPending", maxPending);
            }
            else
            {
                w.WriteNull("maxPending");
            }

            w.WriteNumber("senders", result.Senders);
            w.WriteNumber("transactions", result.Transactions);
            w.WriteEndObject();

            w.WriteStartObject("network");
            w.WriteNumber("chainId", result.ChainId);
            w.WriteString("crypto", result.Crypto);
            if (result.Consensus is null)
            {
                w.WriteNull("consensus");
            }
            else
            {
                w.WriteString("consensus", result.Consensus);
            }

            w.WriteBoolean("sink", result.SinkOnly);
            w.WriteStartArray("endpoints");
            foreach (string endpoint in result.Endpoints)
            {
                w.WriteStringValue(endpoint);
            }

            w.WriteEndArray();
            w.WriteEndObject();

            w.WriteStartObject("counts");
            w.WriteNumber("submitted", result.Submitted);
            w.WriteNumber("rejected", result.Rejected);
            w.WriteNumber("committed", result.Committed);
            w.WriteNumber("succeeded", result.Succeeded);
            w.WriteNumber("reverted", result.Reverted);
            w.WriteNumber("missing", result.Missing);
            w.WriteEndObject();

            w.WriteStartObject("results");
            w.WriteNumber("committedTps", Round(result.CommittedTps));
            w.WriteNumber("durationSeconds", Round(result.DurationSeconds));
            w.WriteNumber("submissionTps", Round(result.SubmissionTps));
            w.WriteNumber("submissionSeconds", Round(result.SubmissionSeconds));
            w.WriteNumber("successRate", Math.Round(result.SuccessRate, 6));
            WriteNullable(w, "maxScheduleLagMs", result.MaxScheduleLagMs);
            w.WriteNumber("blocksObserved", result.BlocksObserved);
            w.WriteString("receiptCheck", result.ReceiptCheck);
            w.WriteBoolean("timedOut", result.TimedOut);
            WriteNullable(w, "nodeCpuMicrosecondsPerTx", result.NodeCpuMicrosecondsPerTx);
            w.WriteEndObject();

            w.WriteStartObject("latencyMs");
            w.WriteNumber("count", result.Latency.Count);
            w.WriteNumber("min", Round(result.Latency.MinMs));
            w.WriteNumber("mean", Round(result.Latency.MeanMs));
            w.WriteNumber("p50", Round(result.Latency.P50Ms));
            w.WriteNumber("p95", Round(result.Latency.P95Ms));
            w.WriteNumber("p99", Round(result.Latency.P99Ms));
            w.WriteNumber("max", Round(result.Latency.MaxMs));
            w.WriteStartArray("histogram");
            foreach (HistogramBucket bucket in result.LatencyHistogram)
            {
                w.WriteStartObject();
                w.WriteNumber("fromMs", Round(bucket.FromMs));
                w.WriteNumber("toMs", Round(bucket.ToMs));
                w.WriteNumber("count", bucket.Count);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("cdf");
            foreach (double value in result.LatencyCdfMs)
            {
                w.WriteNumberValue(Round(value));
            }

            w.WriteEndArray();
            w.WriteEndObject();

            w.WriteStartArray("throughput");
            foreach (ThroughputSample sample in result.Throughput)
            {
                w.WriteStartObject();
                w.WriteNumber("second", sample.Second);
                w.WriteNumber("submitted", sample.Submitted);
                w.WriteNumber("committed", sample.Committed);
                w.WriteEndObject();
            }

            w.WriteEndArray();

            w.WriteStartArray("rejections");
            foreach (RejectionCount rejection in result.Rejections)
            {
                w.WriteStartObject();
                w.WriteString("message", rejection.Message);
                w.WriteNumber("count", rejection.Count);
                w.WriteEndObject();
            }

            w.WriteEndArray();

            w.WriteStartArray("nodes");
            foreach (NodeUsage node in result.Nodes)
            {
                w.WriteStartObject();
                w.WriteString("name", node.Name);
                w.WriteString("rpc", node.Rpc);
                WriteNullable(w, "pid", node.Pid);
                WriteNullable(w, "cpuPercent", node.CpuPercent);
                WriteNullable(w, "cpuSeconds", node.CpuSeconds);
                WriteNullable(w, "runQueueWaitSeconds", node.RunQueueWaitSeconds);
                WriteNullable(w, "peakRssBytes", node.PeakRssBytes);
                w.WriteString("note", node.Note);
                w.WriteEndObject();
            }

            w.WriteEndArray();

            w.WriteStartObject("generator");
            w.WriteNumber("cpuPercent", Round(result.GeneratorCpuPercent));
            w.WriteNumber("cpuSeconds", Round(result.GeneratorCpuSeconds));
            w.WriteNumber("peakRssBytes", result.GeneratorPeakRssBytes);
            if (result.Sink is SinkCeiling sink)
            {
                w.WriteStartObject("ceiling");
                w.WriteNumber("transactions", sink.Transactions);
                w.WriteNumber("seconds", Round(sink.Seconds));
                w.WriteNumber("tps", Round(sink.TransactionsPerSecond));
                w.WriteNumber("cpuPercent", Round(sink.GeneratorCpuPercent));
                w.WriteEndObject();
            }
            else
            {
                w.WriteNull("ceiling");
            }

            w.WriteEndObject();

            w.WriteStartArray("notes");
            foreach (string note in result.Notes)
            {
                w.WriteStringValue(note);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static double Round(double value) => double.IsFinite(value) ? Math.Round(value, 3) : 0;

    private static void WriteNullable(Utf8JsonWriter w, string name, double? value)
    {
        if (value is double v)
        {
            w.WriteNumber(name, Round(v));
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, long? value)
    {
        if (value is long v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, int? value) => WriteNullable(w, name, value is int v ? (long)v : null);
}
