using BenchmarkDotNet.Attributes;
using Trellis.Benchmarks.Support;
using Trellis.Ledger.Execution;
using Trellis.Ledger.Transactions;
using Trellis.State;
using Trellis.State.Storage;

namespace Trellis.Benchmarks;

/// <summary>
/// Producing and committing one block of 5,000 pre-signed value transfers (standard suite, half legacy EIP-155,
/// half EIP-1559, each to a fresh account) on SQLite in WAL mode: <see cref="BlockExecutor"/> executes the block
/// on the genesis state and <c>BlockStore.Commit</c> writes state, block, receipts and indexes in one batch.
/// Op/s is transfers per second (issue 4 goal: at least 30,000 without recovery). Each SQLite iteration starts
/// from a fresh copy of a prepared genesis file (copied outside the timing), so the database never grows across
/// iterations. References in the same run: recovery alone, execution alone and execution + commit on a memory store.
/// The CPU time per block (the machine is shared) comes from <c>-- block-production-loop</c> (see <see cref="Program"/>).
/// </summary>
[MemoryDiagnoser]
public class BlockProductionBenchmarks
{
    /// <summary>Transfers per block.</summary>
    public const int Transfers = 5_000;

    private BlockProductionWorkload _workload = null!;
    private VerifiedTransaction[] _recovered = [];
    private SqliteStore? _sqlite;
    private MemoryStore? _memory;

    [GlobalSetup]
    public void Setup()
    {
        _workload = BlockProductionWorkload.Create(Transfers);
        _recovered = new VerifiedTransaction[Transfers];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sqlite?.Dispose();
        _workload.Dispose();
    }

    /// <summary>A fresh copy of the genesis database, outside the timing.</summary>
    [IterationSetup(Targets = [nameof(WithoutRecovery), nameof(WithRecovery)])]
    public void OpenSqlite()
    {
        _sqlite?.Dispose();
        _sqlite = _workload.OpenFreshSqliteCopy("chain.db");
    }

    /// <summary>A fresh memory store with the genesis committed, outside the timing.</summary>
    [IterationSetup(Target = nameof(WithoutRecoveryOnMemoryStore))]
    public void OpenMemory()
    {
        _memory = new MemoryStore();
        new Ledger.Storage.BlockStore(_memory, _workload.Suite).Initialize(_workload.Config);
    }

    /// <summary>Senders known (verified transactions given): execute, then commit to SQLite.</summary>
    [Benchmark(OperationsPerInvoke = Transfers)]
    public BlockExecutionResult WithoutRecovery() => _workload.ProduceAndCommit(_sqlite!, _workload.Verified);

    /// <summary>Decode and recover all senders in parallel over both cores, then execute and commit to SQLite.</summary>
    [Benchmark(OperationsPerInvoke = Transfers)]
    public BlockExecutionResult WithRecovery()
    {
        _workload.RecoverParallel(_recovered);
        return _workload.ProduceAndCommit(_sqlite!, _recovered);
    }

    /// <summary>Reference: decode and recover all senders in parallel, nothing else.</summary>
    [Benchmark(OperationsPerInvoke = Transfers)]
    public VerifiedTransaction[] RecoveryOnly()
    {
        _workload.RecoverParallel(_recovered);
        return _recovered;
    }

    /// <summary>Reference: execution with the three roots on a memory store, no commit.</summary>
    [Benchmark(OperationsPerInvoke = Transfers)]
    public BlockExecutionResult ExecutionOnly()
    {
        var state = new WorldState(_workload.MemoryGenesis, _workload.Suite, _workload.Genesis.Header.StateRoot);
        return _workload.Execute(state, _workload.Verified);
    }

    /// <summary>Reference: execute and commit as <see cref="WithoutRecovery"/>, but to a memory store (no SQLite).</summary>
    [Benchmark(OperationsPerInvoke = Transfers)]
    public BlockExecutionResult WithoutRecoveryOnMemoryStore() => _workload.ProduceAndCommit(_memory!, _workload.Verified);
}
