namespace Trellis.Cli.Bench;

/// <summary>One node's resource use over the timed phase.</summary>
/// <param name="Name">The node's name.</param>
/// <param name="Rpc">Its JSON-RPC URL.</param>
/// <param name="Pid">Its process id, when found.</param>
/// <param name="CpuPercent">CPU time over wall time in percent (100 = one core busy), when measured.</param>
/// <param name="PeakRssBytes">Its peak resident set since it started (VmHWM), when measured.</param>
/// <param name="Note">Why a figure is missing, or where the process was found.</param>
internal sealed record NodeUsage(string Name, string Rpc, int? Pid, double? CpuPercent, long? PeakRssBytes, string Note)
{
    /// <summary>CPU seconds the process used over the timed phase, when measured.</summary>
    public double? CpuSeconds { get; init; }

    /// <summary>
    /// Seconds its threads were ready to run but waited for a core (sum over threads, from /proc/PID/task/*/schedstat):
    /// much more than <see cref="CpuSeconds"/> means the machine, not the node, limited the run.
    /// </summary>
    public double? RunQueueWaitSeconds { get; init; }
}
