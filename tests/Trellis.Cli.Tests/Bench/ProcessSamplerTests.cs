using System.Net;
using System.Net.Sockets;
using Trellis.Cli.Bench;

namespace Trellis.Cli.Tests.Bench;

public class ProcessSamplerTests
{
    [Fact]
    public void OwnProcess_HasCpuTimeAndAPeakResidentSetMatchingTheRuntime()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        int pid = Environment.ProcessId;
        double cpu = ProcessSampler.ReadCpuSeconds(pid)!.Value;
        double runtime = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;

        // /proc counts in 10 ms ticks; the runtime reads the same counters.
        Assert.InRange(cpu, runtime - 0.5, runtime + 0.5);
        long peak = ProcessSampler.ReadPeakRssBytes(pid)!.Value;
        Assert.True(peak >= Environment.WorkingSet / 2, $"VmHWM {peak} vs working set {Environment.WorkingSet}");
    }

    [Fact]
    public void FindListener_FindsThisProcessByItsListeningPort()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Assert.Equal(Environment.ProcessId, ProcessSampler.FindListener(((IPEndPoint)listener.LocalEndpoint).Port));
    }

    [Fact]
    public void MissingProcessesAndFiles_GiveNull()
    {
        Assert.Null(ProcessSampler.ReadCpuSeconds(int.MaxValue));
        Assert.Null(ProcessSampler.ReadPeakRssBytes(int.MaxValue));
        Assert.Null(ProcessSampler.ReadPidFile(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"))));
    }
}
