using System.Runtime.InteropServices;

namespace Trellis.Benchmarks.Support;

/// <summary>
/// CPU time of the calling thread and of the whole process (Linux <c>clock_gettime</c>), for a breakdown that a
/// loaded, shared machine does not distort the way wall-clock time is.
/// </summary>
internal static partial class CpuClock
{
    private const int ProcessCpuTimeId = 2;
    private const int ThreadCpuTimeId = 3;

    /// <summary>CPU seconds used by every thread of this process so far.</summary>
    public static double ProcessSeconds() => Read(ProcessCpuTimeId);

    /// <summary>CPU seconds used by the calling thread so far.</summary>
    public static double ThreadSeconds() => Read(ThreadCpuTimeId);

    private static double Read(int clock)
    {
        if (!OperatingSystem.IsLinux())
        {
            // Elsewhere, the process total is the best portable figure for both.
            return System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
        }

        if (ClockGetTime(clock, out TimeSpec time) != 0)
        {
            throw new InvalidOperationException($"clock_gettime({clock}) failed with errno {Marshal.GetLastPInvokeError()}");
        }

        return time.Seconds + (time.Nanoseconds / 1e9);
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime", SetLastError = true)]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
