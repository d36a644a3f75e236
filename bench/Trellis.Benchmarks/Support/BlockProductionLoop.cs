using System.Diagnostics;
using System.Globalization;
using Trellis.Ledger.Execution;
using Trellis.Ledger.Storage;
using Trellis.Ledger.Transactions;
using Trellis.State;
using Trellis.State.Storage;

namespace Trellis.Benchmarks.Support;

/// <summary>
/// The block-production benchmark as a plain loop with a per-phase breakdown in wall-clock and CPU time:
/// <c>dotnet run -c Release --project bench/Trellis.Benchmarks -- block-production-loop [blocks] [transfers]</c>.
/// Each block: parallel recovery, execution on a fresh copy of the genesis SQLite file, and the one-batch commit
/// (split into building the batch and SQLite writing it). The machine may be shared, so the CPU seconds per block
/// are the steadier figure; the median of the measured blocks is printed after two warm-up blocks.
/// </summary>
internal static class BlockProductionLoop
{
    private const int WarmupBlocks = 2;

    /// <summary>Runs the loop and prints the table.</summary>
    public static void Run(string[] args)
    {
        int blocks = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
        int transfers = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : BlockProductionBenchmarks.Transfers;
        Console.WriteLine($"block production: {blocks} blocks of {transfers} transfers after {WarmupBlocks} warm-up blocks; {Environment.ProcessorCount} cores; building the workload ...");
        using BlockProductionWorkload workload = BlockProductionWorkload.Create(transfers);
        var recovered = new VerifiedTransaction[transfers];
        var phases = new Dictionary<string, List<double>>();

        for (int block = 0; block < WarmupBlocks + blocks; block++)
        {
            bool measured = block >= WarmupBlocks;
            using var timed = new TimedKeyValueStore(workload.OpenFreshSqliteCopy("loop.db"));
            GC.Collect();
            GC.WaitForPendingFinalizers();

            Sample recovery = Sample.Start();
            workload.RecoverParallel(recovered);
            recovery.Stop();

            var blockStore = new BlockStore(timed, workload.Suite);
            var state = new WorldState(timed, workload.Suite, workload.Genesis.Header.StateRoot);
            Sample execution = Sample.Start();
            BlockExecutionResult result = workload.Execute(state, workload.Verified);
            execution.Stop();

            Sample commit = Sample.Start();
            blockStore.Commit(result.Block, result, state);
            commit.Stop();

            var memoryState = new WorldState(workload.MemoryGenesis, workload.Suite, workload.Genesis.Header.StateRoot);
            Sample memory = Sample.Start();
            workload.Execute(memoryState, workload.Verified);
            memory.Stop();

            if (blockStore.Head?.Height != 1 || blockStore.Head.StateRoot != result.Header.StateRoot)
            {
                throw new InvalidOperationException("the block did not become the head of the SQLite store");
            }

            if (!measured)
            {
                continue;
            }

            Add(phases, "recovery (parallel) wall", recovery.Wall);
            Add(phases, "recovery (parallel) process cpu", recovery.ProcessCpu);
            Add(phases, "execute on sqlite wall", execution.Wall);
            Add(phases, "execute on sqlite thread cpu", execution.ThreadCpu);
            Add(phases, "commit wall", commit.Wall);
            Add(phases, "commit thread cpu", commit.ThreadCpu);
            Add(phases, "  of which sqlite batch wall", timed.CommitSeconds);
            Add(phases, "  of which sqlite batch thread cpu", timed.CommitCpuSeconds);
            Add(phases, "without recovery wall", execution.Wall + commit.Wall);
            Add(phases, "without recovery process cpu", execution.ProcessCpu + commit.ProcessCpu);
            Add(phases, "with recovery wall", recovery.Wall + execution.Wall + commit.Wall);
            Add(phases, "with recovery process cpu", recovery.ProcessCpu + execution.ProcessCpu + commit.ProcessCpu);
            Add(phases, "reference: execute on memory wall", memory.Wall);
            Add(phases, "reference: execute on memory thread cpu", memory.ThreadCpu);
            if (block == WarmupBlocks)
            {
                Console.WriteLine($"one block writes {timed.Writes} keys to SQLite; {result.Transactions.Count} transfers, gas used {result.GasUsed}");
            }
        }

        Console.WriteLine();
        Console.WriteLine($"{"phase (median per block)",-42} {"ms",9} {"transfers/s",12}");
        foreach (KeyValuePair<string, List<double>> phase in phases)
        {
            double median = Median(phase.Value);
            Console.WriteLine($"{phase.Key,-42} {median * 1000,9:F1} {transfers / median,12:N0}");
        }
    }

    private static void Add(Dictionary<string, List<double>> phases, string name, double seconds)
    {
        if (!phases.TryGetValue(name, out List<double>? values))
        {
            values = [];
            phases.Add(name, values);
        }

        values.Add(seconds);
    }

    private static double Median(List<double> values)
    {
        double[] sorted = [.. values];
        Array.Sort(sorted);
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private struct Sample
    {
        private long _start;
        private double _thread;
        private double _process;

        public double Wall { get; private set; }

        public double ThreadCpu { get; private set; }

        public double ProcessCpu { get; private set; }

        public static Sample Start() => new()
        {
            _start = Stopwatch.GetTimestamp(),
            _thread = CpuClock.ThreadSeconds(),
            _process = CpuClock.ProcessSeconds(),
        };

        public void Stop()
        {
            ThreadCpu = CpuClock.ThreadSeconds() - _thread;
            ProcessCpu = CpuClock.ProcessSeconds() - _process;
            Wall = Stopwatch.GetElapsedTime(_start).TotalSeconds;
        }
    }
}
