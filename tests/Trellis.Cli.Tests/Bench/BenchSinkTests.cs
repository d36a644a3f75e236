using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Trellis.Cli.Bench;

namespace Trellis.Cli.Tests.Bench;

public class BenchSinkTests
{
    [Fact]
    public async Task Sink_AnswersEveryCallOfABatchWithAHashAndCountsThem()
    {
        await using BenchSink sink = await BenchSink.StartAsync("127.0.0.1", 0, 4321, CancellationToken.None);
        using var http = new HttpClient();
        const string body = """
            [{"jsonrpc":"2.0","id":7,"method":"eth_sendRawTransaction","params":["0x02f8"]},
             {"jsonrpc":"2.0","id":8,"method":"eth_sendRawTransaction","params":["0xnot-even-hex"]},
             {"jsonrpc":"2.0","id":9,"method":"eth_chainId","params":[]},
             {"jsonrpc":"2.0","id":10,"method":"web3_clientVersion","params":[]}]
            """;
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using HttpResponseMessage response = await http.PostAsync(sink.Address, content);
        using JsonDocument answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        JsonElement[] items = [.. answer.RootElement.EnumerateArray().OrderBy(e => e.GetProperty("id").GetInt32())];
        Assert.Equal(4, items.Length);
        Assert.Matches("^0x[0-9a-f]{64}$", items[0].GetProperty("result").GetString());
        Assert.Matches("^0x[0-9a-f]{64}$", items[1].GetProperty("result").GetString());
        Assert.NotEqual(items[0].GetProperty("result").GetString(), items[1].GetProperty("result").GetString());
        Assert.Equal("0x10e1", items[2].GetProperty("result").GetString());
        Assert.StartsWith("trellis-bench-sink", items[3].GetProperty("result").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, sink.Received);
    }

    [Fact]
    public void SinkOnly_MeasuresTheSubmissionRateWithoutANetwork()
    {
        string json = Path.Combine(Path.GetTempPath(), "trellis-bench-sink-" + Guid.NewGuid().ToString("N") + ".json");
        try
        {
            var (code, output, error) = CliRunner.Run("bench", "--sink", "--txs", "500", "--senders", "5", "--transport", "ws", "--json", json);
            Assert.True(code == 0, error);
            Assert.Contains("accepted and discarded", output, StringComparison.Ordinal);
            using JsonDocument document = JsonDocument.Parse(File.ReadAllText(json));
            JsonElement root = document.RootElement;
            Assert.True(root.GetProperty("network").GetProperty("sink").GetBoolean());
            Assert.Equal(500, root.GetProperty("counts").GetProperty("submitted").GetInt64());
            Assert.Equal(0, root.GetProperty("counts").GetProperty("rejected").GetInt64());
            Assert.True(root.GetProperty("results").GetProperty("submissionTps").GetDouble() > 0);
            Assert.Equal(500, root.GetProperty("generator").GetProperty("ceiling").GetProperty("transactions").GetInt64());
        }
        finally
        {
            File.Delete(json);
        }
    }

    [Fact]
    public async Task BenchAgainstAStandaloneSink_SubmitsEverythingAndDeploysNothing()
    {
        await using BenchSink sink = await BenchSink.StartAsync("127.0.0.1", 0, 1337, CancellationToken.None);
        string keys = Path.Combine(Path.GetTempPath(), "trellis-bench-keys-" + Guid.NewGuid().ToString("N") + ".txt");
        File.WriteAllLines(keys, Enumerable.Range(1, 4).Select(i => "0x" + i.ToString("x64", System.Globalization.CultureInfo.InvariantCulture)));
        try
        {
            var (code, output, error) = CliRunner.Run("bench", "--rpc", sink.Address.ToString(), "--keys", keys, "--workload", "erc20", "--txs", "300", "--batch", "50", "--json", keys + ".json");
            Assert.True(code == 0, error);
            Assert.Contains("accepted and discarded", output, StringComparison.Ordinal);
            using JsonDocument document = JsonDocument.Parse(File.ReadAllText(keys + ".json"));
            Assert.Equal(300, document.RootElement.GetProperty("counts").GetProperty("submitted").GetInt64());
            Assert.Equal(300, document.RootElement.GetProperty("generator").GetProperty("ceiling").GetProperty("transactions").GetInt64());

            // The run's 300, after 16 untimed warm-up batches of 50 (the sink's request path is compiled before timing).
            Assert.Equal(300 + (16 * 50), sink.Received);
        }
        finally
        {
            File.Delete(keys);
            File.Delete(keys + ".json");
        }
    }
}
