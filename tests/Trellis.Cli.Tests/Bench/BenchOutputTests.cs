using System.Text.Json;
using Trellis.Cli.Bench;

namespace Trellis.Cli.Tests.Bench;

public class BenchOutputTests
{
    [Fact]
    public void Json_FollowsTheDocumentedSchema()
    {
        using JsonDocument document = JsonDocument.Parse(BenchJsonWriter.ToJson(SampleResults.Create()));
        JsonElement root = document.RootElement;
        Assert.Equal("trellis-bench/1", root.GetProperty("schema").GetString());
        Assert.Equal("2025-01-02T03:04:05.0000000+00:00", root.GetProperty("startedAt").GetString());

        JsonElement settings = root.GetProperty("settings");
        Assert.Equal("transfer", settings.GetProperty("workload").GetString());
        Assert.Equal("http", settings.GetProperty("transport").GetString());
        Assert.Equal("closed", settings.GetProperty("loop").GetString());
        Assert.Equal(JsonValueKind.Null, settings.GetProperty("targetRate").ValueKind);
        Assert.Equal(100, settings.GetProperty("batch").GetInt32());
        Assert.Equal(8, settings.GetProperty("concurrency").GetInt32());
        Assert.Equal(8000, settings.GetProperty("maxPending").GetInt32());
        Assert.Equal(100, settings.GetProperty("senders").GetInt32());
        Assert.Equal(1000, settings.GetProperty("transactions").GetInt32());

        JsonElement network = root.GetProperty("network");
        Assert.Equal(1337UL, network.GetProperty("chainId").GetUInt64());
        Assert.Equal("standard", network.GetProperty("crypto").GetString());
        Assert.Equal("solo", network.GetProperty("consensus").GetString());
        Assert.False(network.GetProperty("sink").GetBoolean());
        Assert.Equal("http://127.0.0.1:8545", network.GetProperty("endpoints")[0].GetString());

        JsonElement counts = root.GetProperty("counts");
        Assert.Equal(1000, counts.GetProperty("submitted").GetInt64());
        Assert.Equal(10, counts.GetProperty("rejected").GetInt64());
        Assert.Equal(990, counts.GetProperty("committed").GetInt64());
        Assert.Equal(985, counts.GetProperty("succeeded").GetInt64());
        Assert.Equal(5, counts.GetProperty("reverted").GetInt64());
        Assert.Equal(0, counts.GetProperty("missing").GetInt64());

        JsonElement results = root.GetProperty("results");
        Assert.Equal(495, results.GetProperty("committedTps").GetDouble());
        Assert.Equal(2, results.GetProperty("durationSeconds").GetDouble());
        Assert.Equal(990, results.GetProperty("submissionTps").GetDouble());
        Assert.Equal(0.985, results.GetProperty("successRate").GetDouble());
        Assert.Equal("eth_getBlockReceipts", results.GetProperty("receiptCheck").GetString());
        Assert.False(results.GetProperty("timedOut").GetBoolean());

        JsonElement latency = root.GetProperty("latencyMs");
        Assert.Equal(100, latency.GetProperty("p50").GetDouble());
        Assert.Equal(300, latency.GetProperty("p95").GetDouble());
        Assert.Equal(400, latency.GetProperty("p99").GetDouble());
        Assert.Equal(500, latency.GetProperty("max").GetDouble());
        Assert.Equal(2, latency.GetProperty("histogram").GetArrayLength());
        Assert.Equal(900, latency.GetProperty("histogram")[0].GetProperty("count").GetInt64());
        Assert.Equal(4, latency.GetProperty("cdf").GetArrayLength());

        Assert.Equal(590, root.GetProperty("throughput")[1].GetProperty("committed").GetInt64());
        Assert.Equal(10, root.GetProperty("rejections")[0].GetProperty("count").GetInt64());

        JsonElement node = root.GetProperty("nodes")[0];
        Assert.Equal(4242, node.GetProperty("pid").GetInt32());
        Assert.Equal(87.5, node.GetProperty("cpuPercent").GetDouble());
        Assert.Equal(200L * 1024 * 1024, node.GetProperty("peakRssBytes").GetInt64());
        Assert.Equal(1.75, node.GetProperty("cpuSeconds").GetDouble());
        Assert.Equal(0.25, node.GetProperty("runQueueWaitSeconds").GetDouble());
        Assert.Equal(1767.677, results.GetProperty("nodeCpuMicrosecondsPerTx").GetDouble());
        JsonElement remote = root.GetProperty("nodes")[1];
        Assert.Equal(JsonValueKind.Null, remote.GetProperty("pid").ValueKind);
        Assert.Equal(JsonValueKind.Null, remote.GetProperty("cpuPercent").ValueKind);

        JsonElement generator = root.GetProperty("generator");
        Assert.Equal(40, generator.GetProperty("cpuPercent").GetDouble());
        Assert.Equal(0.8, generator.GetProperty("cpuSeconds").GetDouble());
        Assert.Equal(20000, generator.GetProperty("ceiling").GetProperty("tps").GetDouble());
        Assert.Equal("a <note> & \"quotes\"", root.GetProperty("notes")[0].GetString());
    }

    [Fact]
    public void Html_HoldsTheThreeChartsAndTheFigures()
    {
        string html = BenchHtmlWriter.ToHtml(SampleResults.Create());
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("<svg id=\"throughput\"", html, StringComparison.Ordinal);
        Assert.Contains("<svg id=\"latency-histogram\"", html, StringComparison.Ordinal);
        Assert.Contains("<svg id=\"latency-cdf\"", html, StringComparison.Ordinal);
        Assert.Contains("<rect class=\"bar\"", html, StringComparison.Ordinal);
        Assert.Contains("<polyline class=\"cdf\"", html, StringComparison.Ordinal);
        Assert.Contains("495 tx/s", html, StringComparison.Ordinal);
        Assert.Contains("20,000 tx/s", html, StringComparison.Ordinal);
        Assert.Contains("87.5", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_IsSelfContained()
    {
        string html = BenchHtmlWriter.ToHtml(SampleResults.Create());
        foreach (string external in new[] { "http://", "https://", "<script", "<link", "src=", "@import", "url(" })
        {
            Assert.DoesNotContain(external, html.Replace("http://127.0.0.1:8545", string.Empty, StringComparison.Ordinal).Replace("http://10.0.0.2:8545", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void Html_EscapesTextFromTheNetwork()
    {
        string html = BenchHtmlWriter.ToHtml(SampleResults.Create("<script>alert(1)</script>"));
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Summary_PrintsTpsBesideTheGeneratorCeilingAndTheNodeTable()
    {
        using var output = new StringWriter();
        BenchSummaryWriter.Write(SampleResults.Create(), output);
        string text = output.ToString();
        Assert.Contains("committed TPS      495 tx/s   (generator ceiling 20,000 tx/s)", text, StringComparison.Ordinal);
        Assert.Contains("latency p99        400.0 ms", text, StringComparison.Ordinal);
        Assert.Contains("98.50%", text, StringComparison.Ordinal);
        Assert.Contains("node0", text, StringComparison.Ordinal);
        Assert.Contains("200.0 MiB", text, StringComparison.Ordinal);
        Assert.Contains("node CPU per tx    1,768 us (566 tx per CPU-second", text, StringComparison.Ordinal);
        Assert.Contains("10 x nonce too low: 4 < expected 5", text, StringComparison.Ordinal);
    }
}
