using System.Diagnostics;
using System.Globalization;

namespace Trellis.Cli.Bench;

/// <summary>
/// Measures each node's CPU (between <see cref="Start"/> and <see cref="Stop"/>) and peak RSS from /proc, finding its
/// process by <c>nodes/NAME/node.pid</c> or, for a loopback URL, by the port it listens on.
/// </summary>
internal sealed class NodeMonitor
{
    private readonly IReadOnlyList<BenchNode> _nodes;
    private readonly (int? Pid, string Note)[] _found;
    private readonly double?[] _cpuAtStart;
    private readonly double?[] _waitAtStart;
    private long _startTicks;

    public NodeMonitor(IReadOnlyList<BenchNode> nodes)
    {
        _nodes = nodes;
        _found = new (int?, string)[nodes.Count];
        _cpuAtStart = new double?[nodes.Count];
        _waitAtStart = new double?[nodes.Count];
        for (int i = 0; i < nodes.Count; i++)
        {
            _found[i] = Find(nodes[i]);
        }
    }

    /// <summary>Takes the starting CPU times.</summary>
    public void Start()
    {
        _startTicks = Stopwatch.GetTimestamp();
        for (int i = 0; i < _nodes.Count; i++)
        {
            _cpuAtStart[i] = _found[i].Pid is int pid ? ProcessSampler.ReadCpuSeconds(pid) : null;
            _waitAtStart[i] = _found[i].Pid is int id ? ProcessSampler.ReadRunQueueWaitSeconds(id) : null;
        }
    }

    /// <summary>Reads the CPU used since <see cref="Start"/> and the peak RSS of every node.</summary>
    public IReadOnlyList<NodeUsage> Stop()
    {
        double seconds = Math.Max(1e-9, Stopwatch.GetElapsedTime(_startTicks).TotalSeconds);
        var usage = new NodeUsage[_nodes.Count];
        for (int i = 0; i < _nodes.Count; i++)
        {
            (int? pid, string note) = _found[i];
            double? cpu = null;
            double? cpuSeconds = null;
            double? waited = null;
            long? rss = null;
            if (pid is int id)
            {
                double? end = ProcessSampler.ReadCpuSeconds(id);
                cpuSeconds = end is double e && _cpuAtStart[i] is double s ? e - s : null;
                cpu = cpuSeconds / seconds * 100;
                waited = ProcessSampler.ReadRunQueueWaitSeconds(id) is double w && _waitAtStart[i] is double w0 ? w - w0 : null;
                rss = ProcessSampler.ReadPeakRssBytes(id);
                if (cpu is null)
                {
                    note = $"process {id.ToString(CultureInfo.InvariantCulture)} ended during the run";
                }
            }

            usage[i] = new NodeUsage(_nodes[i].Name, _nodes[i].Rpc.ToString().TrimEnd('/'), pid, cpu, rss, note) { CpuSeconds = cpuSeconds, RunQueueWaitSeconds = waited };
        }

        return usage;
    }

    private static (int? Pid, string Note) Find(BenchNode node)
    {
        if (!OperatingSystem.IsLinux())
        {
            return (null, "not measured: /proc is Linux only");
        }

        if (node.PidFile is not null && ProcessSampler.ReadPidFile(node.PidFile) is int pid)
        {
            return (pid, "pid from " + Path.GetFileName(Path.GetDirectoryName(node.PidFile)) + "/node.pid");
        }

        if (!node.Rpc.IsLoopback)
        {
            return (null, "not measured: remote node (run the bench on its machine, or read its /metrics)");
        }

        if (ProcessSampler.FindListener(node.Rpc.Port) is int listener)
        {
            return listener == Environment.ProcessId
                ? (listener, "in process with the generator: CPU and RSS include the generator")
                : (listener, "pid of the process listening on port " + node.Rpc.Port.ToString(CultureInfo.InvariantCulture));
        }

        return (null, "not measured: no node.pid and no process of this user listens on port " + node.Rpc.Port.ToString(CultureInfo.InvariantCulture));
    }
}
