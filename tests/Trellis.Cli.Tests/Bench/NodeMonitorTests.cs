using System.Globalization;
using Trellis.Cli.Bench;

namespace Trellis.Cli.Tests.Bench;

public sealed class NodeMonitorTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "trellis-bench-monitor-" + Guid.NewGuid().ToString("N"));

    public NodeMonitorTests() => Directory.CreateDirectory(Path.Combine(_directory, "org1-node1"));

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void PidFile_NamesTheProcessWhoseCpuAndMemoryAreRead()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        string pidFile = Path.Combine(_directory, "org1-node1", "node.pid");
        File.WriteAllText(pidFile, Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
        var monitor = new NodeMonitor([new BenchNode("org1-node1", new Uri("http://10.1.2.3:8545"), pidFile)]);
        monitor.Start();
        SpinForCpu(TimeSpan.FromMilliseconds(100));
        NodeUsage usage = Assert.Single(monitor.Stop());
        Assert.Equal(Environment.ProcessId, usage.Pid);
        Assert.Equal("pid from org1-node1/node.pid", usage.Note);
        Assert.True(usage.CpuSeconds > 0.05, $"CPU seconds {usage.CpuSeconds}");
        Assert.True(usage.CpuPercent > 0);
        Assert.True(usage.PeakRssBytes > 0);
    }

    [Fact]
    public void RemoteNodeWithoutPidFile_IsNotMeasuredAndSaysWhy()
    {
        var monitor = new NodeMonitor([new BenchNode("far", new Uri("http://10.1.2.3:8545"), Path.Combine(_directory, "missing", "node.pid"))]);
        monitor.Start();
        NodeUsage usage = Assert.Single(monitor.Stop());
        Assert.Null(usage.Pid);
        Assert.Null(usage.CpuPercent);
        Assert.Null(usage.PeakRssBytes);
        Assert.StartsWith("not measured", usage.Note, StringComparison.Ordinal);
    }

    // Burns this much CPU time (not wall time: on a busy machine the thread may wait long for a core).
    private static void SpinForCpu(TimeSpan cpu)
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        TimeSpan until = process.TotalProcessorTime + cpu;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        long x = 0;
        while (watch.Elapsed < TimeSpan.FromSeconds(30))
        {
            x++;
            if ((x & 0xFFFF) == 0)
            {
                process.Refresh();
                if (process.TotalProcessorTime >= until)
                {
                    break;
                }
            }
        }

        GC.KeepAlive(x);
    }
}
