using System.Diagnostics;
using System.Globalization;
using Trellis.Ledger.Genesis;

namespace Trellis.Cli.Network;

/// <summary>
/// Runs a network directory's nodes as processes: starts them (checking ports and that none already runs), waits until
/// each answers JSON-RPC, then either returns (detached) or shows a live table until cancelled and stops them all.
/// </summary>
internal sealed class NetworkRunner
{
    /// <summary>How long a node gets to stop after SIGTERM before it is killed.</summary>
    public static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan TpsWindow = TimeSpan.FromSeconds(5);

    private readonly CommandContext _context;
    private readonly NetworkLayout _layout;
    private readonly NetworkManifest _manifest;
    private readonly Process?[] _processes;

    public NetworkRunner(CommandContext context, NetworkLayout layout, NetworkManifest manifest)
    {
        _context = context;
        _layout = layout;
        _manifest = manifest;
        _processes = new Process?[manifest.Nodes.Count];
    }

    /// <summary>True to redraw the live table in place (a terminal); false to print it now and then (a log).</summary>
    public bool Interactive { get; init; }

    /// <summary>
    /// <c>trellis up</c>: opens or creates the network, starts its nodes, waits until they answer, then returns
    /// (detached) or shows the live table until <paramref name="cancellationToken"/> fires and stops every node.
    /// </summary>
    public static async Task<int> UpAsync(CommandContext context, UpRequest request, bool interactive, CancellationToken cancellationToken)
    {
        (NetworkLayout layout, NetworkManifest manifest, ChainConfig chain, bool created) = NetworkDirectory.OpenOrCreate(request);
        var runner = new NetworkRunner(context, layout, manifest) { Interactive = interactive };
        runner.EnsureNoneRunning();
        context.Output.WriteLine(created
            ? $"created {NetworkDirectory.Describe(manifest)} in {layout.Directory} ({Plural(manifest.OrgCount, "organisation")}, {manifest.Crypto} crypto, chain id {manifest.ChainId})"
            : $"resuming {NetworkDirectory.Describe(manifest)} in {layout.Directory}");
        try
        {
            await runner.StartAsync(request.Detach, request.StartTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await runner.StopAllAsync().ConfigureAwait(false);
            context.Output.WriteLine("stopped");
            return 0;
        }

        runner.PrintEndpoints(chain);
        if (request.Detach)
        {
            context.Output.WriteLine($"the nodes run in the background: 'trellis status --dir {layout.Directory}' shows them, 'trellis down --dir {layout.Directory}' stops them");
            runner.ReleaseProcesses();
            return 0;
        }

        context.Output.WriteLine("Ctrl-C stops every node; run the same command again to resume.");
        context.Output.Flush();
        try
        {
            return await runner.WatchAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Whatever went wrong in the live view, the nodes of a foreground network never outlive it.
            await runner.StopAllAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Refuses, naming them, when nodes of this directory are already running.</summary>
    /// <exception cref="CliException">Some node's PID file names a live process running that node.</exception>
    public void EnsureNoneRunning()
    {
        var running = new List<string>();
        foreach (NetworkNode node in _manifest.Nodes)
        {
            if (NodeProcesses.FindRunning(_layout, node) is { } pid)
            {
                running.Add($"{node.Name} (pid {pid.ToString(CultureInfo.InvariantCulture)})");
            }
        }

        if (running.Count > 0)
        {
            throw new CliException($"{string.Join(", ", running)} of {_layout.Directory} {(running.Count == 1 ? "is" : "are")} already running; 'trellis status --dir {_layout.Directory}' shows them, 'trellis down --dir {_layout.Directory}' stops them");
        }
    }

    /// <summary>
    /// Starts every node and waits until each answers JSON-RPC. On any failure the nodes already started are stopped
    /// and a <see cref="CliException"/> names the node and points to its log.
    /// </summary>
    public async Task StartAsync(bool detach, TimeSpan timeout, CancellationToken cancellationToken)
    {
        EnsureNoneRunning();
        PortProbe.EnsureFree(_manifest);
        try
        {
            for (int i = 0; i < _manifest.Nodes.Count; i++)
            {
                _processes[i] = NodeProcesses.Start(_layout, _manifest.Nodes[i], detach);
            }

            await WaitUntilAnsweringAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is CliException or IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception)
        {
            await StopAllAsync().ConfigureAwait(false);
            throw e is CliException ? e : new CliException($"could not start the nodes of {_layout.Directory}: {e.Message}", e);
        }
    }

    /// <summary>Stops the nodes this runner started (SIGTERM, wait, SIGKILL) and removes their PID files.</summary>
    public async Task StopAllAsync()
    {
        var targets = new List<(string Name, int Pid)>();
        for (int i = 0; i < _processes.Length; i++)
        {
            if (_processes[i] is { } process && NodeProcesses.IsAlive(process.Id))
            {
                targets.Add((_manifest.Nodes[i].Name, process.Id));
            }
        }

        IReadOnlyList<string> killed = await NodeProcesses.StopAsync(targets, StopGrace, CancellationToken.None).ConfigureAwait(false);
        foreach (string name in killed)
        {
            _context.Error.WriteLine($"warning: {name} did not stop within {StopGrace.TotalSeconds:0} s and was killed");
        }

        for (int i = 0; i < _processes.Length; i++)
        {
            if (_processes[i] is { } process)
            {
                NodeProcesses.RemovePid(_layout, _manifest.Nodes[i]);
                process.Dispose();
                _processes[i] = null;
            }
        }
    }

    private void ReleaseProcesses()
    {
        for (int i = 0; i < _processes.Length; i++)
        {
            _processes[i]?.Dispose();
            _processes[i] = null;
        }
    }

    private async Task WaitUntilAnsweringAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var client = new NodeStatusClient(TimeSpan.FromSeconds(2));
        var answered = new bool[_manifest.Nodes.Count];
        DateTime deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            bool all = true;
            for (int i = 0; i < answered.Length; i++)
            {
                if (answered[i])
                {
                    continue;
                }

                NetworkNode node = _manifest.Nodes[i];
                Process process = _processes[i]!;
                if (process.HasExited)
                {
                    string reason = NodeProcesses.LastLogError(_layout, node) ?? "no output";
                    throw new CliException($"{node.Name} exited while starting (exit code {process.ExitCode.ToString(CultureInfo.InvariantCulture)}): {Unprefixed(reason)} (log: {_layout.LogFile(node.Name)})");
                }

                answered[i] = await client.AnswersAsync(node, cancellationToken).ConfigureAwait(false);
                all &= answered[i];
            }

            if (all)
            {
                return;
            }

            if (DateTime.UtcNow >= deadline)
            {
                int first = Array.IndexOf(answered, false);
                NetworkNode late = _manifest.Nodes[first];
                throw new CliException($"{late.Name} did not answer JSON-RPC at {late.RpcText} within {timeout.TotalSeconds:0} s; see its log {_layout.LogFile(late.Name)}");
            }

            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }
    }

    private void PrintEndpoints(ChainConfig chain)
    {
        TextWriter output = _context.Output;
        int nameWidth = 4;
        int rpcWidth = 8;
        foreach (NetworkNode node in _manifest.Nodes)
        {
            nameWidth = Math.Max(nameWidth, node.Name.Length);
            rpcWidth = Math.Max(rpcWidth, node.RpcText.Length);
        }

        output.WriteLine($"{"NODE".PadRight(nameWidth)}  {"JSON-RPC".PadRight(rpcWidth)}  {"PEERS AT".PadRight(15)}  LOG");
        for (int i = 0; i < _manifest.Nodes.Count; i++)
        {
            NetworkNode node = _manifest.Nodes[i];
            output.WriteLine($"{node.Name.PadRight(nameWidth)}  {node.RpcText.PadRight(rpcWidth)}  {(node.P2p ?? "-").PadRight(15)}  {Path.GetRelativePath(_layout.Directory, _layout.LogFile(node.Name))}");
        }

        // The first node's endpoint on a line of its own, for scripts and wallets.
        output.WriteLine($"JSON-RPC  {_manifest.Nodes[0].RpcText}");
        output.WriteLine($"chain id  {chain.ChainId.ToString(CultureInfo.InvariantCulture)}");
        output.WriteLine($"accounts  {_layout.AccountsFile} (funded development keys: see {NetworkLayout.WarningFileName})");
        output.Flush();
    }

    private async Task<int> WatchAsync(CancellationToken cancellationToken)
    {
        using var client = new NodeStatusClient(TimeSpan.FromSeconds(2));
        int count = _manifest.Nodes.Count;
        var meters = new TpsMeter[count];
        var heights = new ulong?[count];
        for (int i = 0; i < count; i++)
        {
            meters[i] = new TpsMeter(TpsWindow);
        }

        int drawnLines = 0;
        int refreshes = 0;
        try
        {
            while (true)
            {
                NodeStatus[] statuses = await client.QueryAllAsync(_manifest.Nodes, cancellationToken).ConfigureAwait(false);
                DateTime now = DateTime.UtcNow;
                var tps = new double[count];
                var notes = new string?[count];
                int exited = 0;
                for (int i = 0; i < count; i++)
                {
                    if (_processes[i] is { HasExited: true } process)
                    {
                        notes[i] = $"exited ({process.ExitCode.ToString(CultureInfo.InvariantCulture)}): see {Path.GetRelativePath(_layout.Directory, _layout.LogFile(_manifest.Nodes[i].Name))}";
                        exited++;
                    }

                    if (statuses[i].Height is { } height)
                    {
                        if (heights[i] is { } previous && height > previous)
                        {
                            // Counting at most the newest 64 blocks per refresh keeps one request small at any rate.
                            ulong first = Math.Max(previous + 1, height >= 63 ? height - 63 : 0);
                            long? transactions = await client.CountTransactionsAsync(_manifest.Nodes[i], first, height, cancellationToken).ConfigureAwait(false);
                            if (transactions is { } t)
                            {
                                meters[i].Add(now, t * (long)(height - previous) / (long)(height - first + 1));
                            }
                        }
                        else
                        {
                            meters[i].Add(now, 0);
                        }

                        heights[i] = height;
                    }

                    tps[i] = meters[i].Rate(now);
                }

                List<string> lines = StatusTable.Render(statuses, tps, notes);
                if (Interactive)
                {
                    if (drawnLines > 0)
                    {
                        // Move up over the previous table and redraw it in place.
                        _context.Output.Write($"\u001b[{drawnLines.ToString(CultureInfo.InvariantCulture)}A");
                    }

                    foreach (string line in lines)
                    {
                        _context.Output.Write("\u001b[2K");
                        _context.Output.WriteLine(line);
                    }

                    drawnLines = lines.Count;
                }
                else if (refreshes % 10 == 0)
                {
                    // Into a log or pipe: a table every ten seconds instead of a screenful per second.
                    _context.Output.WriteLine($"--- {DateTime.Now:HH:mm:ss}");
                    foreach (string line in lines)
                    {
                        _context.Output.WriteLine(line);
                    }
                }

                _context.Output.Flush();
                refreshes++;
                if (exited == count)
                {
                    _context.Error.WriteLine($"error: every node of {_layout.Directory} has exited; see the node.log files under {Path.Combine(_layout.Directory, "nodes")}");
                    await StopAllAsync().ConfigureAwait(false);
                    return 1;
                }

                await Task.Delay(RefreshInterval, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _context.Output.WriteLine("stopping");
            _context.Output.Flush();
            await StopAllAsync().ConfigureAwait(false);
            _context.Output.WriteLine("stopped");
            return 0;
        }
    }

    private static string Unprefixed(string line) => line.StartsWith("error: ", StringComparison.Ordinal) ? line[7..] : line;

    private static string Plural(int count, string noun) => count.ToString(CultureInfo.InvariantCulture) + " " + noun + (count == 1 ? string.Empty : "s");
}
