using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Trellis.Core;

namespace Trellis.Cli.Bench;

/// <summary>
/// Runs one benchmark: resolve the target, set up (untimed), pre-sign every transaction (untimed, parallel), then the
/// timed phase (submission, commit tracking, node CPU), receipt statuses (untimed), and optionally the generator's
/// ceiling against an in-process sink.
/// </summary>
internal sealed class BenchRunner
{
    private readonly BenchSettings _settings;
    private readonly TextWriter _log;

    /// <summary>Creates a runner writing progress lines to <paramref name="log"/>.</summary>
    public BenchRunner(BenchSettings settings, TextWriter log)
    {
        _settings = settings;
        _log = log;
    }

    /// <summary>Runs the benchmark.</summary>
    /// <exception cref="CliException">A usage error, a bad file, or an unreachable node.</exception>
    public async Task<BenchResult> RunAsync(CancellationToken cancellationToken)
    {
        _settings.Validate();
        BenchTarget target = BenchTarget.Resolve(_settings);
        await using BenchSink? ownSink = _settings.SinkOnly ? await BenchSink.StartAsync("127.0.0.1", 0, 1337, cancellationToken).ConfigureAwait(false) : null;
        IReadOnlyList<BenchNode> nodes = ownSink is null ? target.Nodes : [new BenchNode("sink", ownSink.Address, null)];
        List<BenchRpcClient> clients = [.. nodes.Select(n => new BenchRpcClient(n.Rpc, _settings.Concurrency, TimeSpan.FromSeconds(30)))];
        try
        {
            var setup = new BenchSetup(_settings, target, _log);
            await setup.RunAsync(clients, cancellationToken).ConfigureAwait(false);
            int maxPending = _settings.MaxPending ?? (target.PoolMaxCount is int pool ? pool * 4 / 5 : BenchSettings.DefaultMaxPending);

            PreparedLoad load = Prepare(setup);
            var notes = new List<string>();
            if (setup.IsSink)
            {
                await WarmUpSinkAsync(load, clients, cancellationToken).ConfigureAwait(false);
            }

            Measurement measured = await MeasureAsync(load, clients, nodes, setup, maxPending, trackCommits: !setup.IsSink, cancellationToken).ConfigureAwait(false);
            (long succeeded, long reverted, string receiptCheck) = (0, 0, "none");
            if (!setup.IsSink && measured.Recorder.Committed > 0)
            {
                _log.WriteLine($"reading the receipts of {measured.Recorder.Committed.ToString(CultureInfo.InvariantCulture)} committed transactions (untimed)");
                (succeeded, reverted, receiptCheck) = await ReceiptChecker.CheckAsync(clients[0], measured.Tracker!.Blocks, load, measured.Recorder, cancellationToken).ConfigureAwait(false);
            }

            if (measured.Tracker?.LastError is string error)
            {
                notes.Add($"commit tracking hit an error and retried: {error}");
            }

            SinkCeiling? ceiling = null;
            if (_settings.Sink && !setup.IsSink)
            {
                ceiling = await MeasureCeilingAsync(load, nodes.Count, cancellationToken).ConfigureAwait(false);
            }
            else if (setup.IsSink)
            {
                ceiling = new SinkCeiling(measured.Recorder.Sent - measured.Recorder.RejectedCount, measured.SubmissionSeconds, measured.SubmissionTps, measured.GeneratorCpuPercent);
            }

            return Summarise(target, setup, load, measured, maxPending, succeeded, reverted, receiptCheck, ceiling, notes);
        }
        finally
        {
            foreach (BenchRpcClient client in clients)
            {
                client.Dispose();
            }
        }
    }

    private PreparedLoad Prepare(BenchSetup setup)
    {
        int count = _settings.Transactions;
        int senders = setup.Senders.Count;
        var hashes = new Hash256[count];
        var raw = new byte[count][];
        byte[] runId = RandomNumberGenerator.GetBytes(24);
        long started = Stopwatch.GetTimestamp();

        // Transaction i comes from sender i mod K with that sender's (i / K)-th nonce of the run, so consecutive
        // transactions (one batch) come from different senders and each sender's nonces rise in submission order.
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            int sender = i % senders;
            (Address to, UInt256 value, byte[] data) = setup.Call(i, runId);
            (hashes[i], raw[i]) = setup.Signer.Sign(setup.Senders[sender], setup.Nonces[sender] + (ulong)(i / senders), to, value, data, setup.GasLimit);
        });
        double signing = Stopwatch.GetElapsedTime(started).TotalSeconds;
        PreparedLoad load = PreparedLoad.Create(hashes, raw, _settings.Batch);
        _log.WriteLine($"pre-signed {count.ToString(CultureInfo.InvariantCulture)} {_settings.Workload.ToString().ToLowerInvariant()} transactions from {senders.ToString(CultureInfo.InvariantCulture)} senders in {signing.ToString("0.00", CultureInfo.InvariantCulture)} s ({setup.Signer.Type}, gas limit {setup.GasLimit.ToString(CultureInfo.InvariantCulture)} each)");
        return load;
    }

    private async Task<Measurement> MeasureAsync(PreparedLoad load, List<BenchRpcClient> clients, IReadOnlyList<BenchNode> nodes, BenchSetup? setup, int maxPending, bool trackCommits, CancellationToken cancellationToken)
    {
        var recorder = new RunRecorder(load.Count);
        var generator = new LoadGenerator(load, recorder, nodes, _settings, trackCommits ? maxPending : 0);
        var monitor = new NodeMonitor(trackCommits ? nodes : []);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var trackerClient = new BenchRpcClient(clients[0].Endpoint, 2, TimeSpan.FromSeconds(30));
        CommitTracker? tracker = trackCommits ? new CommitTracker(trackerClient, load, recorder, setup!.StartHeight, _settings.PollInterval) : null;
        TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        _log.WriteLine(trackCommits
            ? $"timed phase: {load.Count.ToString(CultureInfo.InvariantCulture)} transactions to {nodes.Count.ToString(CultureInfo.InvariantCulture)} node(s) over {(_settings.Transport == BenchTransport.Http ? "HTTP" : "WebSocket")}, {(_settings.Rate is double r ? $"open loop at {r.ToString(CultureInfo.InvariantCulture)} tx/s" : "closed loop")}"
            : $"submitting {load.Count.ToString(CultureInfo.InvariantCulture)} transactions to the sink at {nodes[0].Rpc} (generator ceiling)");
        monitor.Start();
        Task submission = generator.RunAsync(clients, stop.Token);
        bool timedOut = false;
        if (tracker is not null)
        {
            Task<bool> tracking = tracker.RunAsync(_settings.Timeout, stop.Token);
            timedOut = !await tracking.ConfigureAwait(false);
            if (timedOut)
            {
                await stop.CancelAsync().ConfigureAwait(false);
            }
        }

        await submission.ConfigureAwait(false);
        long endTicks = Stopwatch.GetTimestamp();
        double cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        IReadOnlyList<NodeUsage> usage = monitor.Stop();
        long lastAnswer = recorder.LastAnswerTicks == 0 ? endTicks : recorder.LastAnswerTicks;
        double submissionSeconds = Math.Max(1e-9, (double)(lastAnswer - generator.StartTicks) / Stopwatch.Frequency);
        long accepted = recorder.Sent - recorder.RejectedCount;
        double generatorCpu = cpuSeconds / Math.Max(1e-9, (double)(endTicks - generator.StartTicks) / Stopwatch.Frequency) * 100;
        return new Measurement(recorder, tracker, generator.StartTicks, submissionSeconds, accepted / submissionSeconds, generatorCpu, usage, timedOut) { GeneratorCpuSeconds = cpuSeconds };
    }

    private async Task<SinkCeiling> MeasureCeilingAsync(PreparedLoad load, int nodeCount, CancellationToken cancellationToken)
    {
        await using BenchSink sink = await BenchSink.StartAsync("127.0.0.1", 0, 1337, cancellationToken).ConfigureAwait(false);

        // As many client pools as the network had nodes, so connections and round-robin are the same as in the run.
        var nodes = Enumerable.Range(0, nodeCount).Select(i => new BenchNode("sink", sink.Address, null)).ToList();
        List<BenchRpcClient> clients = [.. nodes.Select(n => new BenchRpcClient(n.Rpc, _settings.Concurrency, TimeSpan.FromSeconds(30)))];
        try
        {
            await WarmUpSinkAsync(load, clients, cancellationToken).ConfigureAwait(false);
            Measurement measured = await MeasureAsync(load, clients, nodes, null, 0, trackCommits: false, cancellationToken).ConfigureAwait(false);
            return new SinkCeiling(measured.Recorder.Sent - measured.Recorder.RejectedCount, measured.SubmissionSeconds, measured.SubmissionTps, measured.GeneratorCpuPercent);
        }
        finally
        {
            foreach (BenchRpcClient client in clients)
            {
                client.Dispose();
            }
        }
    }

    private static async Task WarmUpSinkAsync(PreparedLoad load, List<BenchRpcClient> clients, CancellationToken cancellationToken)
    {
        // A fresh sink has not compiled its request path yet; a few untimed batches keep JIT time out of the ceiling.
        for (int i = 0; i < 16; i++)
        {
            await clients[i % clients.Count].PostAsync(load.Bodies[i % load.Bodies.Length], cancellationToken).ConfigureAwait(false);
        }
    }

    private BenchResult Summarise(BenchTarget target, BenchSetup setup, PreparedLoad load, Measurement measured, int maxPending, long succeeded, long reverted, string receiptCheck, SinkCeiling? ceiling, List<string> notes)
    {
        RunRecorder recorder = measured.Recorder;
        double frequency = Stopwatch.Frequency;
        var latencies = new List<double>((int)recorder.Committed);
        long lastCommit = 0;
        for (int i = 0; i < load.Count; i++)
        {
            long commit = recorder.CommitTicks[i];
            if (commit != 0)
            {
                // A block seen before its batch's answer came back is still measured from submission.
                latencies.Add(Math.Max(0, commit - recorder.SubmitTicks[i]) / frequency * 1000);
                lastCommit = Math.Max(lastCommit, commit);
            }
        }

        double[] sorted = [.. latencies];
        LatencySummary latency = BenchStatistics.Summarise(sorted);
        double duration = lastCommit == 0 ? 0 : (lastCommit - measured.StartTicks) / frequency;
        long missing = recorder.Sent - recorder.RejectedCount - recorder.Committed;
        if (setup.IsSink)
        {
            notes.Add("the endpoints are bench sinks: only the submission rate is measured (nothing commits)");
            missing = 0;
        }

        if (measured.TimedOut)
        {
            notes.Add($"stopped after {_settings.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s without progress (--timeout): {missing.ToString(CultureInfo.InvariantCulture)} submitted transactions were not seen in a block");
        }

        double nodeCpu = 0;
        bool measuredCpu = false;
        foreach (NodeUsage node in measured.Nodes)
        {
            if (node.CpuSeconds is double seconds)
            {
                nodeCpu += seconds;
                measuredCpu = true;
            }

            if (node.RunQueueWaitSeconds is double waited && node.CpuSeconds is double ran && waited > ran)
            {
                notes.Add($"{node.Name} waited {waited.ToString("0.0", CultureInfo.InvariantCulture)} s for a free core while it ran {ran.ToString("0.0", CultureInfo.InvariantCulture)} s (summed over threads): the machine, not the node, limited this run");
            }
        }

        if (Environment.ProcessorCount <= 4)
        {
            notes.Add($"this machine has {Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture)} cores shared by the generator and the node(s): the figures are a lower bound");
        }

        return new BenchResult
        {
            StartedAt = DateTimeOffset.UtcNow - TimeSpan.FromSeconds((Stopwatch.GetTimestamp() - measured.StartTicks) / frequency),
            Workload = _settings.Workload.ToString().ToLowerInvariant(),
            Transport = _settings.Transport == BenchTransport.Http ? "http" : "ws",
            Loop = _settings.Rate is null ? "closed" : "open",
            TargetRate = _settings.Rate,
            Batch = _settings.Batch,
            Concurrency = _settings.Concurrency,
            MaxPending = _settings.Rate is null ? maxPending : null,
            Senders = setup.Senders.Count,
            Crypto = target.Suite.Name,
            Consensus = target.Consensus,
            ChainId = setup.ChainId,
            SinkOnly = setup.IsSink,
            Endpoints = [.. (setup.IsSink && _settings.SinkOnly ? ["in-process sink"] : target.Nodes.Select(n => n.Rpc.ToString().TrimEnd('/')))],
            Transactions = load.Count,
            Submitted = recorder.Sent,
            Rejected = recorder.RejectedCount,
            Committed = recorder.Committed,
            Succeeded = succeeded,
            Reverted = reverted,
            Missing = missing,
            SuccessRate = setup.IsSink ? 0 : (double)succeeded / load.Count,
            DurationSeconds = duration,
            CommittedTps = duration > 0 ? recorder.Committed / duration : 0,
            SubmissionSeconds = measured.SubmissionSeconds,
            SubmissionTps = measured.SubmissionTps,
            MaxScheduleLagMs = _settings.Rate is null ? null : recorder.MaxLagTicks / frequency * 1000,
            Latency = latency,
            LatencyHistogram = BenchStatistics.Histogram(sorted, 40),
            LatencyCdfMs = DownSample(sorted, 200),
            Throughput = BenchStatistics.Throughput(recorder.SubmitTicks, recorder.CommitTicks, measured.StartTicks, Stopwatch.Frequency),
            Rejections = recorder.Rejections,
            Nodes = measured.Nodes,
            GeneratorCpuPercent = measured.GeneratorCpuPercent,
            GeneratorCpuSeconds = measured.GeneratorCpuSeconds,
            NodeCpuMicrosecondsPerTx = measuredCpu && recorder.Committed > 0 ? nodeCpu / recorder.Committed * 1e6 : null,
            GeneratorPeakRssBytes = ProcessSampler.ReadPeakRssBytes(Environment.ProcessId) ?? Process.GetCurrentProcess().PeakWorkingSet64,
            ReceiptCheck = receiptCheck,
            BlocksObserved = measured.Tracker?.BlocksObserved ?? 0,
            TimedOut = measured.TimedOut,
            Sink = ceiling,
            Notes = notes,
        };
    }

    private static double[] DownSample(double[] sorted, int points)
    {
        if (sorted.Length <= points)
        {
            return sorted;
        }

        var result = new double[points];
        for (int i = 0; i < points; i++)
        {
            result[i] = sorted[(int)((long)i * (sorted.Length - 1) / (points - 1))];
        }

        return result;
    }

    private sealed record Measurement(RunRecorder Recorder, CommitTracker? Tracker, long StartTicks, double SubmissionSeconds, double SubmissionTps, double GeneratorCpuPercent, IReadOnlyList<NodeUsage> Nodes, bool TimedOut)
    {
        public double GeneratorCpuSeconds { get; init; }
    }
}
