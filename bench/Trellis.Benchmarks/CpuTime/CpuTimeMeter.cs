using System.Diagnostics;

namespace Trellis.Benchmarks.CpuTime;

/// <summary>
/// Measures operations per CPU-second of this process, interleaving an operation with its reference round by round.
/// On a shared machine wall-clock time counts the time other processes hold the cores; CPU time does not, so the
/// ratio between ours and the reference stays meaningful under load.
/// </summary>
internal static class CpuTimeMeter
{
    public static double CpuSeconds() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;

    /// <summary>Runs <paramref name="operation"/> in batches until <paramref name="minCpuSeconds"/> have been spent.</summary>
    public static double OperationsPerCpuSecond(Action<int> operation, int batch, double minCpuSeconds)
    {
        long count = 0;
        var start = CpuSeconds();
        double elapsed;
        do
        {
            operation(batch);
            count += batch;
            elapsed = CpuSeconds() - start;
        }
        while (elapsed < minCpuSeconds);
        return count / elapsed;
    }

    /// <summary>Median rates of an operation and its reference over interleaved rounds, after a warm-up.</summary>
    public static (double Ours, double Reference) Compare(Action<int> ours, Action<int>? reference, int batch, int rounds, double secondsPerRound)
    {
        for (var i = 0; i < 3; i++)
        {
            OperationsPerCpuSecond(ours, batch, 0.1);
            if (reference is not null)
            {
                OperationsPerCpuSecond(reference, batch, 0.1);
            }
        }

        var oursRates = new double[rounds];
        var referenceRates = new double[rounds];
        for (var round = 0; round < rounds; round++)
        {
            oursRates[round] = OperationsPerCpuSecond(ours, batch, secondsPerRound);
            referenceRates[round] = reference is null ? 0 : OperationsPerCpuSecond(reference, batch, secondsPerRound);
        }

        Array.Sort(oursRates);
        Array.Sort(referenceRates);
        return (oursRates[rounds / 2], referenceRates[rounds / 2]);
    }
}
