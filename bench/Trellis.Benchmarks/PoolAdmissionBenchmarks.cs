using BenchmarkDotNet.Attributes;
using Trellis.Benchmarks.Support;
using Trellis.Core;
using Trellis.Ledger.Pool;

namespace Trellis.Benchmarks;

/// <summary>
/// Admitting 1,000 pre-signed transfers (standard suite, one per sender) into an empty pool: one <c>TryAdd</c> per
/// transaction from one thread and from four threads at once (as concurrent RPC requests did), against
/// <c>TxPool.AddRange</c> of batches of 100 (a JSON-RPC batch or a gossip frame) with parallel recovery and one lock per
/// batch. Op/s is transactions per second; on a shared machine compare allocations and the single-thread figures.
/// </summary>
[MemoryDiagnoser]
public class PoolAdmissionBenchmarks
{
    private const int Count = 1_000;
    private const int BatchSize = 100;

    private BlockProductionWorkload _workload = null!;
    private ReadOnlyMemory<byte>[][] _batches = [];
    private TxPool _pool = null!;

    [GlobalSetup]
    public void Setup()
    {
        _workload = BlockProductionWorkload.Create(Count);
        _batches = new ReadOnlyMemory<byte>[Count / BatchSize][];
        for (int b = 0; b < _batches.Length; b++)
        {
            _batches[b] = new ReadOnlyMemory<byte>[BatchSize];
            for (int i = 0; i < BatchSize; i++)
            {
                _batches[b][i] = _workload.Encoded[(b * BatchSize) + i];
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _workload.Dispose();

    /// <summary>A fresh pool, outside the timing.</summary>
    [IterationSetup]
    public void NewPool() => _pool = new TxPool(_workload.Config, _workload.Suite, new FundedEverywhere());

    [Benchmark(OperationsPerInvoke = Count)]
    public int TryAddOneByOne()
    {
        int accepted = 0;
        foreach (byte[] raw in _workload.Encoded)
        {
            accepted += _pool.TryAdd(raw).IsAccepted ? 1 : 0;
        }

        return accepted;
    }

    [Benchmark(OperationsPerInvoke = Count)]
    public int TryAddFromFourThreads()
    {
        int accepted = 0;
        Parallel.ForEach(_workload.Encoded, new ParallelOptions { MaxDegreeOfParallelism = 4 }, raw =>
        {
            if (_pool.TryAdd(raw).IsAccepted)
            {
                Interlocked.Increment(ref accepted);
            }
        });
        return accepted;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Count)]
    public int AddRangeSingleThread() => AddBatches(1);

    [Benchmark(OperationsPerInvoke = Count)]
    public int AddRangeParallel() => AddBatches(0);

    private int AddBatches(int maxParallelism)
    {
        int accepted = 0;
        foreach (ReadOnlyMemory<byte>[] batch in _batches)
        {
            foreach (TxPoolResult result in _pool.AddRange(batch, maxParallelism))
            {
                accepted += result.IsAccepted ? 1 : 0;
            }
        }

        return accepted;
    }

    // Every account has nonce 0 and more than any transfer costs.
    private sealed class FundedEverywhere : IAccountStateReader
    {
        private static readonly UInt256 Balance = UInt256.Parse("1000000000000000000000");

        public ulong GetNonce(in Address address) => 0;

        public UInt256 GetBalance(in Address address) => Balance;
    }
}
