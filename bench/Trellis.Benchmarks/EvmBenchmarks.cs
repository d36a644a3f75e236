using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;

namespace Trellis.Benchmarks;

/// <summary>
/// EVM throughput on in-memory state through the transaction processor: a tight arithmetic loop, a Keccak loop, an
/// SLOAD/SSTORE loop (hand-written bytecode, documented in bench/contracts/*.asm) and solc-compiled ERC-20
/// transfers. The Mgas/s column is the figure these are about (the goals: at least 150 Mgas/s on the
/// arithmetic loop and 50,000 ERC-20 transfers/s, the Op/s column); bench/evm-compare/run.sh runs the same
/// bytecode in @ethereumjs/evm and prints the ratio.
/// </summary>
[Config(typeof(Config))]
[MemoryDiagnoser]
public class EvmBenchmarks
{
    private EvmWorkload? _workload;

    /// <summary>Builds the workload of the method being measured.</summary>
    [GlobalSetup(Target = nameof(ArithmeticLoop))]
    public void SetupArithmetic() => _workload = EvmWorkload.Create(nameof(ArithmeticLoop));

    /// <summary>Builds the workload of the method being measured.</summary>
    [GlobalSetup(Target = nameof(KeccakLoop))]
    public void SetupKeccak() => _workload = EvmWorkload.Create(nameof(KeccakLoop));

    /// <summary>Builds the workload of the method being measured.</summary>
    [GlobalSetup(Target = nameof(StorageLoop))]
    public void SetupStorage() => _workload = EvmWorkload.Create(nameof(StorageLoop));

    /// <summary>Builds the workload of the method being measured.</summary>
    [GlobalSetup(Target = nameof(Erc20Transfer))]
    public void SetupErc20() => _workload = EvmWorkload.Create(nameof(Erc20Transfer));

    /// <summary>100,000 iterations of MUL/ADD/SHR/XOR/SUB with a JUMPI and JUMP (72 gas each).</summary>
    [Benchmark]
    public long ArithmeticLoop() => _workload!.Invoke();

    /// <summary>50,000 KECCAK256 of 64 bytes (94 gas per iteration).</summary>
    [Benchmark]
    public long KeccakLoop() => _workload!.Invoke();

    /// <summary>20,000 SLOAD + SSTORE read-modify-writes over 64 slots.</summary>
    [Benchmark]
    public long StorageLoop() => _workload!.Invoke();

    /// <summary>One ERC-20 <c>transfer</c> transaction (measured in batches of 1,000; Op/s is transfers per second).</summary>
    [Benchmark(OperationsPerInvoke = EvmWorkload.TransfersPerBatch)]
    public long Erc20Transfer() => _workload!.Invoke();

    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddColumn(new EvmGasColumn(EvmGasColumn.Kind.GasPerOperation));
            AddColumn(new EvmGasColumn(EvmGasColumn.Kind.MegagasPerSecond));
            AddColumn(StatisticColumn.OperationsPerSecond);
        }
    }
}
