using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Trellis.Cli.Bench;

/// <summary>
/// <c>trellis bench</c>: drive a workload through a network's JSON-RPC and measure committed TPS, latency, success
/// and node resources; <c>trellis bench sink</c>: an endpoint that accepts and discards, for the generator's ceiling.
/// </summary>
internal static class BenchCommand
{
    public static Command Build(CommandContext context)
    {
        var dir = new Option<DirectoryInfo>("--dir", "-d") { Description = "Network directory made by 'trellis up' (network.json, or node0/node.json of a solo network; accounts.json)." };
        var rpc = new Option<string>("--rpc") { Description = "JSON-RPC URL(s), comma-separated; overrides the directory's nodes (e.g. http://127.0.0.1:8545,http://127.0.0.1:8546)." };
        var workload = new Option<string>("--workload", "-w") { Description = "transfer | erc20 | kv | evidence (default transfer).", DefaultValueFactory = _ => "transfer" };
        var txs = new Option<int>("--txs", "-n") { Description = "Transactions to submit in the timed phase (default 10000).", DefaultValueFactory = _ => 10_000 };
        var senders = new Option<int?>("--senders") { Description = $"Sender accounts, round-robin (default {BenchSettings.DefaultSenders.ToString(CultureInfo.InvariantCulture)}, or all keys if fewer)." };
        var rate = new Option<double?>("--rate") { Description = "Open loop: submit at this many transactions per second. Absent: closed loop at the maximum rate." };
        var transport = new Option<string>("--transport") { Description = "http (JSON-RPC batches over HTTP) or ws (batches over WebSocket); default http.", DefaultValueFactory = _ => "http" };
        var batch = new Option<int>("--batch") { Description = $"Transactions per JSON-RPC batch (default {BenchSettings.DefaultBatch.ToString(CultureInfo.InvariantCulture)}).", DefaultValueFactory = _ => BenchSettings.DefaultBatch };
        var concurrency = new Option<int>("--concurrency", "-c") { Description = $"Batches in flight at once (default {BenchSettings.DefaultConcurrency.ToString(CultureInfo.InvariantCulture)}).", DefaultValueFactory = _ => BenchSettings.DefaultConcurrency };
        var maxPending = new Option<int?>("--max-pending") { Description = "Closed loop: most submitted transactions not yet committed (default 80% of the pool size, 0 = no bound)." };
        var keys = new Option<FileInfo>("--keys") { Description = "Sender keys: a JSON list like accounts.json, or one hex private key per line." };
        var crypto = new Option<string>("--crypto") { Description = "Crypto suite of the chain (standard | national) when the directory does not say." };
        var json = new Option<FileInfo>("--json") { Description = "Write the results as JSON to this file." };
        var html = new Option<FileInfo>("--html") { Description = "Write a self-contained HTML report with charts to this file." };
        var timeout = new Option<double>("--timeout") { Description = "Give up after this many seconds without progress (nothing submitted or committed); default 120.", DefaultValueFactory = _ => 120 };
        var sink = new Option<bool>("--sink") { Description = "Also measure the generator's ceiling against an in-process sink (alone, without --dir/--rpc)." };

        var bench = new Command("bench", "Benchmark a network: pre-signed transactions over JSON-RPC, committed TPS, latency percentiles, success, node CPU and memory.")
        {
            dir, rpc, workload, txs, senders, rate, transport, batch, concurrency, maxPending, keys, crypto, json, html, timeout, sink,
        };
        bench.SetAction((parse, cancellationToken) => RunGuardedAsync(context, async () =>
        {
            var settings = new BenchSettings
            {
                Workload = BenchSettings.ParseWorkload(parse.GetValue(workload)),
                Transactions = parse.GetValue(txs),
                Senders = parse.GetValue(senders) ?? BenchSettings.DefaultSenders,
                SendersExplicit = parse.GetValue(senders) is not null,
                Rate = parse.GetValue(rate),
                Transport = BenchSettings.ParseTransport(parse.GetValue(transport)),
                Batch = parse.GetValue(batch),
                Concurrency = parse.GetValue(concurrency),
                MaxPending = parse.GetValue(maxPending),
                Directory = parse.GetValue(dir)?.FullName,
                RpcUrls = parse.GetValue(rpc) is string urls ? BenchSettings.ParseRpcUrls(urls) : [],
                KeysFile = parse.GetValue(keys)?.FullName,
                Crypto = parse.GetValue(crypto),
                JsonFile = parse.GetValue(json)?.FullName,
                HtmlFile = parse.GetValue(html)?.FullName,
                Timeout = TimeSpan.FromSeconds(CheckTimeout(parse.GetValue(timeout))),
                Sink = parse.GetValue(sink),
            };
            BenchResult result = await new BenchRunner(settings, context.Error).RunAsync(cancellationToken).ConfigureAwait(false);
            BenchSummaryWriter.Write(result, context.Output);
            if (settings.JsonFile is not null)
            {
                await File.WriteAllTextAsync(settings.JsonFile, BenchJsonWriter.ToJson(result), cancellationToken).ConfigureAwait(false);
                context.Output.WriteLine($"wrote {settings.JsonFile}");
            }

            if (settings.HtmlFile is not null)
            {
                await File.WriteAllTextAsync(settings.HtmlFile, BenchHtmlWriter.ToHtml(result), cancellationToken).ConfigureAwait(false);
                context.Output.WriteLine($"wrote {settings.HtmlFile}");
            }

            return 0;
        }));
        bench.Subcommands.Add(BuildSink(context));
        return bench;
    }

    private static Command BuildSink(CommandContext context)
    {
        var port = new Option<int>("--port", "-p") { Description = "Port to listen on (default 8645; 0 picks a free one).", DefaultValueFactory = _ => 8645 };
        var host = new Option<string>("--host") { Description = "Interface to listen on (default 127.0.0.1).", DefaultValueFactory = _ => "127.0.0.1" };
        var chainId = new Option<ulong>("--chain-id") { Description = "Chain id the sink reports (default 1337).", DefaultValueFactory = _ => 1337 };
        var command = new Command("sink", "Serve an accept-and-discard JSON-RPC endpoint (HTTP and WebSocket) until Ctrl-C, to measure the load generator's ceiling.")
        {
            port, host, chainId,
        };
        command.SetAction((parse, cancellationToken) => RunGuardedAsync(context, async () =>
        {
            int value = parse.GetValue(port);
            if (value is < 0 or > 65535)
            {
                throw new CliException($"--port must be from 0 to 65535, got {value.ToString(CultureInfo.InvariantCulture)}");
            }

            // SIGTERM stops the sink as cleanly as Ctrl-C (System.CommandLine cancels only on SIGINT by itself).
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using PosixSignalRegistration terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
            {
                signal.Cancel = true;
                stop.Cancel();
            });
            cancellationToken = stop.Token;
            await using BenchSink server = await BenchSink.StartAsync(parse.GetValue(host)!, value, parse.GetValue(chainId), cancellationToken).ConfigureAwait(false);
            context.Output.WriteLine($"bench sink at {server.Address.ToString().TrimEnd('/')} (accepts and discards; Ctrl-C stops)");
            context.Output.Flush();
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                context.Output.WriteLine($"received {server.Received.ToString(CultureInfo.InvariantCulture)} transactions");
            }

            return 0;
        }));
        return command;
    }

    private static double CheckTimeout(double seconds) =>
        double.IsFinite(seconds) && seconds > 0 && seconds <= 86_400
            ? seconds
            : throw new CliException($"--timeout must be from 0 to 86400 seconds, got {seconds.ToString(CultureInfo.InvariantCulture)}");

    private static async Task<int> RunGuardedAsync(CommandContext context, Func<Task<int>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (CliException e)
        {
            context.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            context.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
        catch (OperationCanceledException)
        {
            context.Error.WriteLine("error: interrupted");
            return 130;
        }
    }
}
