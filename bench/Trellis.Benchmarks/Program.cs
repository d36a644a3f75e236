using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using Trellis.Benchmarks.CpuTime;
using Trellis.Benchmarks.Support;

namespace Trellis.Benchmarks;

/// <summary>
/// Runs the benchmarks: <c>dotnet run -c Release --project bench/Trellis.Benchmarks -- --filter '*'</c>.
/// Each benchmark class carries its reference (the same operation through OpenSSL, or another engine) beside it,
/// measured in the same run. Every table has an Op/s column, the figure the performance goals are stated in.
/// <c>-- cputime</c> instead measures the crypto goals in operations per CPU-second, for shared machines.
/// <c>-- block-production-loop [blocks] [transfers]</c> runs the block-production breakdown in wall-clock and CPU time.
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length > 0 && args[0] == "cputime")
        {
            CryptoCpuTimeReport.Run(args[1..]);
            return;
        }

        if (args.Length > 0 && args[0] == "block-production-loop")
        {
            BlockProductionLoop.Run(args[1..]);
            return;
        }

        var config = DefaultConfig.Instance.AddColumn(StatisticColumn.OperationsPerSecond);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}
