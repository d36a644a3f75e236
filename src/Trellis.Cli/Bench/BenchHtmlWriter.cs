using System.Globalization;
using System.Net;
using System.Text;

namespace Trellis.Cli.Bench;

/// <summary>
/// Writes a run as one self-contained HTML page: the summary, per-node use, and three inline SVG charts (throughput
/// over time, latency histogram, latency CDF). No scripts, stylesheets, fonts or images are fetched from anywhere.
/// </summary>
internal static class BenchHtmlWriter
{
    private const int Width = 760;
    private const int Height = 260;
    private const int Left = 64;
    private const int Right = 16;
    private const int Top = 16;
    private const int Bottom = 40;

    /// <summary>The HTML text of <paramref name="result"/>.</summary>
    public static string ToHtml(BenchResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var html = new StringBuilder(32 * 1024);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>trellis bench: ")
            .Append(E(result.Workload)).Append("</title>\n<style>\n")
            .Append("body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:820px}")
            .Append("table{border-collapse:collapse;margin:1em 0}td,th{padding:4px 10px;border-bottom:1px solid #ddd;text-align:left}")
            .Append("td.n{text-align:right;font-variant-numeric:tabular-nums}h2{margin-top:1.6em}")
            .Append("svg{background:#fafafa;border:1px solid #ddd}.axis{stroke:#888}.label{font-size:11px;fill:#555}")
            .Append(".bar{fill:#4a7bd0}.sub{fill:none;stroke:#d0704a;stroke-width:2}.cdf{fill:none;stroke:#4a7bd0;stroke-width:2}")
            .Append(".note{color:#855}\n</style>\n</head>\n<body>\n");
        html.Append("<h1>trellis bench: ").Append(E(result.Workload)).Append("</h1>\n<p>")
            .Append(E($"{Integer(result.Transactions)} transactions from {Integer(result.Senders)} senders, {result.Crypto} suite{(result.Consensus is null ? string.Empty : ", " + result.Consensus)}, chain {result.ChainId.ToString(CultureInfo.InvariantCulture)}; {result.Transport} batches of {Integer(result.Batch)}, {Integer(result.Concurrency)} in flight, {(result.Loop == "open" ? "open loop at " + Number(result.TargetRate ?? 0) + " tx/s" : "closed loop")}; started {result.StartedAt.ToString("u", CultureInfo.InvariantCulture)}."))
            .Append("</p>\n<p>Endpoints: ").Append(E(string.Join(", ", result.Endpoints))).Append("</p>\n");

        html.Append("<h2>Summary</h2>\n<table>\n");
        if (!result.SinkOnly)
        {
            Row(html, "Committed TPS", Number(result.CommittedTps) + " tx/s");
            if (result.Sink is SinkCeiling sink)
            {
                Row(html, "Generator ceiling (sink)", Number(sink.TransactionsPerSecond) + " tx/s");
            }

            Row(html, "Duration (first submission to last commit)", Fixed(result.DurationSeconds, "0.000") + " s");
            Row(html, "Submission rate", Number(result.SubmissionTps) + " tx/s");
            Row(html, "Latency p50 / p95 / p99 / max", $"{Fixed(result.Latency.P50Ms, "0.0")} / {Fixed(result.Latency.P95Ms, "0.0")} / {Fixed(result.Latency.P99Ms, "0.0")} / {Fixed(result.Latency.MaxMs, "0.0")} ms");
            Row(html, "Success rate", Fixed(result.SuccessRate * 100, "0.00") + " %");
            Row(html, "Succeeded / reverted / refused / not committed", $"{Integer(result.Succeeded)} / {Integer(result.Reverted)} / {Integer(result.Rejected)} / {Integer(result.Missing)}");
            Row(html, "Blocks observed", Integer(result.BlocksObserved));
        }
        else
        {
            Row(html, "Submission rate to the sink", Number(result.SubmissionTps) + " tx/s");
        }

        Row(html, "Generator CPU / peak RSS", $"{Number(result.GeneratorCpuPercent)} % / {Megabytes(result.GeneratorPeakRssBytes)}");
        if (result.NodeCpuMicrosecondsPerTx is double perTx)
        {
            Row(html, "Node CPU per transaction", Number(perTx) + " µs");
        }
        html.Append("</table>\n");

        if (result.Nodes.Count > 0)
        {
            html.Append("<h2>Nodes</h2>\n<table>\n<tr><th>node</th><th>RPC</th><th>CPU %</th><th>CPU s</th><th>waited for a core, s</th><th>peak RSS</th><th>note</th></tr>\n");
            foreach (NodeUsage node in result.Nodes)
            {
                html.Append("<tr><td>").Append(E(node.Name)).Append("</td><td>").Append(E(node.Rpc)).Append("</td><td class=\"n\">")
                    .Append(node.CpuPercent is double c ? Number(c) : "-").Append("</td><td class=\"n\">")
                    .Append(node.CpuSeconds is double s ? Fixed(s, "0.00") : "-").Append("</td><td class=\"n\">")
                    .Append(node.RunQueueWaitSeconds is double w ? Fixed(w, "0.00") : "-").Append("</td><td class=\"n\">")
                    .Append(node.PeakRssBytes is long r ? Megabytes(r) : "-").Append("</td><td>").Append(E(node.Note)).Append("</td></tr>\n");
            }

            html.Append("</table>\n");
        }

        html.Append("<h2>Throughput over time</h2>\n<p>Bars: transactions committed per second; line: submitted per second.</p>\n");
        AppendThroughput(html, result.Throughput);
        if (!result.SinkOnly)
        {
            html.Append("<h2>Latency distribution</h2>\n<p>Submission to observed commit, ").Append(Integer(result.Latency.Count)).Append(" transactions.</p>\n");
            AppendHistogram(html, result.LatencyHistogram);
            html.Append("<h2>Latency CDF</h2>\n");
            AppendCdf(html, result.LatencyCdfMs);
        }

        if (result.Rejections.Count > 0)
        {
            html.Append("<h2>Refused at submission</h2>\n<table>\n<tr><th>count</th><th>message</th></tr>\n");
            foreach (RejectionCount rejection in result.Rejections)
            {
                html.Append("<tr><td class=\"n\">").Append(Integer(rejection.Count)).Append("</td><td>").Append(E(rejection.Message)).Append("</td></tr>\n");
            }

            html.Append("</table>\n");
        }

        foreach (string note in result.Notes)
        {
            html.Append("<p class=\"note\">Note: ").Append(E(note)).Append("</p>\n");
        }

        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static void AppendThroughput(StringBuilder html, IReadOnlyList<ThroughputSample> samples)
    {
        double max = 1;
        foreach (ThroughputSample s in samples)
        {
            max = Math.Max(max, Math.Max(s.Submitted, s.Committed));
        }

        int n = Math.Max(1, samples.Count);
        StartChart(html, "throughput", "transactions committed and submitted per second", max, "tx/s", 0, n, "second");
        double slot = (double)(Width - Left - Right) / n;
        var line = new StringBuilder();
        foreach (ThroughputSample s in samples)
        {
            double x = Left + (s.Second * slot);
            double h = s.Committed / max * (Height - Top - Bottom);
            html.Append("<rect class=\"bar\" x=\"").Append(F(x + 1)).Append("\" y=\"").Append(F(Height - Bottom - h)).Append("\" width=\"")
                .Append(F(Math.Max(1, slot - 2))).Append("\" height=\"").Append(F(h)).Append("\"><title>second ")
                .Append(s.Second.ToString(CultureInfo.InvariantCulture)).Append(": ").Append(Integer(s.Committed)).Append(" committed, ")
                .Append(Integer(s.Submitted)).Append(" submitted</title></rect>\n");
            line.Append(line.Length == 0 ? string.Empty : " ").Append(F(x + (slot / 2))).Append(',').Append(F(Height - Bottom - (s.Submitted / max * (Height - Top - Bottom))));
        }

        html.Append("<polyline class=\"sub\" points=\"").Append(line).Append("\"/>\n</svg>\n");
    }

    private static void AppendHistogram(StringBuilder html, IReadOnlyList<HistogramBucket> buckets)
    {
        double max = 1;
        foreach (HistogramBucket b in buckets)
        {
            max = Math.Max(max, b.Count);
        }

        double top = buckets.Count == 0 ? 1 : buckets[^1].ToMs;
        StartChart(html, "latency-histogram", "transactions per latency bucket", max, "tx", 0, top, "ms");
        double slot = (double)(Width - Left - Right) / Math.Max(1, buckets.Count);
        for (int i = 0; i < buckets.Count; i++)
        {
            double h = buckets[i].Count / max * (Height - Top - Bottom);
            html.Append("<rect class=\"bar\" x=\"").Append(F(Left + (i * slot) + 1)).Append("\" y=\"").Append(F(Height - Bottom - h)).Append("\" width=\"")
                .Append(F(Math.Max(1, slot - 2))).Append("\" height=\"").Append(F(h)).Append("\"><title>")
                .Append(Fixed(buckets[i].FromMs, "0.0")).Append('-').Append(Fixed(buckets[i].ToMs, "0.0")).Append(" ms: ")
                .Append(Integer(buckets[i].Count)).Append("</title></rect>\n");
        }

        html.Append("</svg>\n");
    }

    private static void AppendCdf(StringBuilder html, IReadOnlyList<double> sorted)
    {
        double top = sorted.Count == 0 ? 1 : Math.Max(1e-9, sorted[^1]);
        StartChart(html, "latency-cdf", "fraction of transactions committed within a latency", 100, "%", 0, top, "ms");
        var line = new StringBuilder();
        for (int i = 0; i < sorted.Count; i++)
        {
            double x = Left + (sorted[i] / top * (Width - Left - Right));
            double fraction = sorted.Count == 1 ? 1 : (double)i / (sorted.Count - 1);
            line.Append(line.Length == 0 ? string.Empty : " ").Append(F(x)).Append(',').Append(F(Height - Bottom - (fraction * (Height - Top - Bottom))));
        }

        html.Append("<polyline class=\"cdf\" points=\"").Append(line).Append("\"/>\n</svg>\n");
    }

    private static void StartChart(StringBuilder html, string id, string title, double yMax, string yUnit, double xMin, double xMax, string xUnit)
    {
        html.Append("<svg id=\"").Append(id).Append("\" width=\"").Append(Width).Append("\" height=\"").Append(Height)
            .Append("\" viewBox=\"0 0 ").Append(Width).Append(' ').Append(Height).Append("\" role=\"img\" aria-label=\"").Append(E(title)).Append("\">\n")
            .Append("<line class=\"axis\" x1=\"").Append(Left).Append("\" y1=\"").Append(Height - Bottom).Append("\" x2=\"").Append(Width - Right).Append("\" y2=\"").Append(Height - Bottom).Append("\"/>\n")
            .Append("<line class=\"axis\" x1=\"").Append(Left).Append("\" y1=\"").Append(Top).Append("\" x2=\"").Append(Left).Append("\" y2=\"").Append(Height - Bottom).Append("\"/>\n");
        for (int i = 0; i <= 4; i++)
        {
            double y = Height - Bottom - (i / 4.0 * (Height - Top - Bottom));
            html.Append("<text class=\"label\" x=\"").Append(Left - 6).Append("\" y=\"").Append(F(y + 4)).Append("\" text-anchor=\"end\">")
                .Append(Number(yMax * i / 4)).Append("</text>\n");
            double x = Left + (i / 4.0 * (Width - Left - Right));
            html.Append("<text class=\"label\" x=\"").Append(F(x)).Append("\" y=\"").Append(Height - Bottom + 16).Append("\" text-anchor=\"middle\">")
                .Append(Number(xMin + ((xMax - xMin) * i / 4))).Append("</text>\n");
        }

        html.Append("<text class=\"label\" x=\"").Append((Width + Left) / 2).Append("\" y=\"").Append(Height - 6).Append("\" text-anchor=\"middle\">").Append(E(xUnit)).Append("</text>\n")
            .Append("<text class=\"label\" x=\"12\" y=\"").Append(Top + 8).Append("\">").Append(E(yUnit)).Append("</text>\n");
    }

    private static void Row(StringBuilder html, string name, string value) =>
        html.Append("<tr><th>").Append(E(name)).Append("</th><td class=\"n\">").Append(E(value)).Append("</td></tr>\n");

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Fixed(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private static string Integer(long value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    private static string Number(double value) => value.ToString(value >= 100 ? "#,0" : "0.#", CultureInfo.InvariantCulture);

    private static string Megabytes(long bytes) => (bytes / (1024.0 * 1024.0)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB";
}
