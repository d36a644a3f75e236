using System.Globalization;
using System.Runtime.CompilerServices;
using Trellis.Node.JsonRpc;

namespace Trellis.Cli.Bench;

/// <summary>
/// A JSON-RPC endpoint that accepts and discards: it answers <c>eth_sendRawTransaction</c> (single, batched, HTTP or
/// WebSocket) with made-up hashes without decoding anything, and the few setup calls of the bench with fixed values
/// (chain id, nonce 0, gas price 0). Submitting to it measures the load generator's own ceiling. It runs on the
/// same JSON-RPC server code as a node, with the rate limit off.
/// </summary>
internal sealed class BenchSink : IAsyncDisposable
{
    private readonly JsonRpcHost _host;
    private readonly StrongBox<long> _received;

    private BenchSink(JsonRpcHost host, StrongBox<long> received)
    {
        _host = host;
        _received = received;
    }

    /// <summary>The bound HTTP address (the same port serves WebSocket).</summary>
    public Uri Address => _host.Address;

    /// <summary>Transactions received so far.</summary>
    public long Received => Interlocked.Read(ref _received.Value);

    /// <summary>Starts a sink on <paramref name="host"/>:<paramref name="port"/> (0 picks a free port).</summary>
    /// <exception cref="CliException">The port cannot be bound.</exception>
    public static async Task<BenchSink> StartAsync(string host, int port, ulong chainId, CancellationToken cancellationToken)
    {
        var registry = new JsonRpcMethodRegistry();
        var received = new StrongBox<long>();
        string chain = "0x" + chainId.ToString("x", CultureInfo.InvariantCulture);
        registry.Add("eth_chainId", (_, _, w) => w.WriteStringValue(chain));
        registry.Add("net_version", (_, _, w) => w.WriteStringValue(chainId.ToString(CultureInfo.InvariantCulture)));
        registry.Add("web3_clientVersion", (_, _, w) => w.WriteStringValue(BenchSetup.SinkClientVersion + "/0.1"));
        registry.Add("eth_gasPrice", (_, _, w) => w.WriteStringValue("0x0"));
        registry.Add("eth_blockNumber", (_, _, w) => w.WriteStringValue("0x0"));
        registry.Add("eth_getTransactionCount", (_, _, w) => w.WriteStringValue("0x0"));
        registry.Add("eth_estimateGas", (_, _, w) => w.WriteStringValue("0x5208"));
        registry.Add("eth_sendRawTransaction", (_, p, w) =>
        {
            p.RequireCount(1, 1);
            long n = Interlocked.Increment(ref received.Value);

            // A made-up hash: the counter in the last 8 bytes. Nothing is decoded, verified or kept.
            w.WriteStringValue("0x" + n.ToString("x64", CultureInfo.InvariantCulture));
        });

        var server = new JsonRpcServer(registry, new JsonRpcOptions { RateLimitPerSecond = 0 });
        string url = $"http://{(host.Contains(':', StringComparison.Ordinal) ? "[" + host + "]" : host)}:{port.ToString(CultureInfo.InvariantCulture)}";
        try
        {
            return new BenchSink(await JsonRpcHost.StartAsync(server, url, null, cancellationToken).ConfigureAwait(false), received);
        }
        catch (IOException e)
        {
            throw new CliException($"the bench sink cannot listen on {url}: {e.Message}", e);
        }
    }

    /// <summary>Stops the sink.</summary>
    public ValueTask DisposeAsync() => _host.DisposeAsync();
}
