using Trellis.Core;
using Trellis.Crypto;
using Trellis.Evm;
using Trellis.Evm.Processing;
using Trellis.State;
using Trellis.State.Storage;

namespace Trellis.Benchmarks;

/// <summary>
/// One EVM benchmark workload on an in-memory world state, driven through <see cref="TransactionProcessor"/> exactly
/// as a block would run it. The bytecode comes from bench/contracts (the files bench/evm-compare runs in
/// @ethereumjs/evm), so both engines execute the same code with the same call data.
/// </summary>
public sealed class EvmWorkload
{
    /// <summary>Loop iterations per call (must match bench/evm-compare/bench.mjs).</summary>
    public const int ArithmeticIterations = 100_000;

    /// <summary>Loop iterations per call (must match bench/evm-compare/bench.mjs).</summary>
    public const int KeccakIterations = 50_000;

    /// <summary>Loop iterations per call (must match bench/evm-compare/bench.mjs).</summary>
    public const int StorageIterations = 20_000;

    /// <summary>ERC-20 transfers per invocation (must match bench/evm-compare/bench.mjs).</summary>
    public const int TransfersPerBatch = 1_000;

    /// <summary>Distinct transfer recipients, used round robin.</summary>
    public const int Recipients = 256;

    private static readonly Address s_sender = Address.Parse("0x1000000000000000000000000000000000000001");
    private static readonly Address s_loopAddress = Address.Parse("0x2000000000000000000000000000000000000002");
    private static readonly Address s_coinbase = Address.Parse("0x4000000000000000000000000000000000000004");

    private readonly WorldState _state;
    private readonly TransactionProcessor _processor;
    private readonly BlockContext _block;
    private readonly Address _target;
    private readonly byte[][] _calls;
    private readonly int _callsPerInvoke;
    private ulong _nonce;
    private int _next;

    private EvmWorkload(string name, byte[]? loopCode, byte[][] calls, int callsPerInvoke, bool deployErc20)
    {
        Name = name;
        var suite = CryptoSuites.Standard;
        _state = new WorldState(new MemoryStore(), suite);
        _processor = new TransactionProcessor(suite);
        _block = new BlockContext(s_coinbase, 1, 1_700_000_000, 30_000_000_000, UInt256.Zero, UInt256.Zero, UInt256.One, 1);
        _state.AddBalance(s_sender, UInt256.Parse("1000000000000000000000000000000"));
        _calls = calls;
        _callsPerInvoke = callsPerInvoke;
        if (deployErc20)
        {
            var initCode = Concat(EvmContractCode.Read("Erc20.creation.hex"), Word(UInt256.Parse("1000000000000000000000000000")));
            var result = _processor.Execute(_state, _block, EvmTransaction.Legacy(s_sender, null, _nonce++, 5_000_000, UInt256.Zero, initCode, UInt256.Zero));
            _target = result.Success && result.ContractAddress is { } token
                ? token
                : throw new InvalidOperationException($"Erc20 deployment failed: {result.ErrorMessage ?? result.ExecutionError}");
        }
        else
        {
            _state.SetCode(s_loopAddress, loopCode!);
            _target = s_loopAddress;
        }

        _state.BeginTransaction();
        _state.EndTransaction();
    }

    /// <summary>The benchmark's name (the method name in <see cref="EvmBenchmarks"/>).</summary>
    public string Name { get; }

    /// <summary>Operations per <see cref="Invoke"/>: transfers for the ERC-20, one call for the loops.</summary>
    public int OperationsPerInvoke => _callsPerInvoke;

    /// <summary>Creates the workload a benchmark method measures.</summary>
    public static EvmWorkload Create(string name) => name switch
    {
        nameof(EvmBenchmarks.ArithmeticLoop) => Loop(name, "ArithmeticLoop.hex", ArithmeticIterations),
        nameof(EvmBenchmarks.KeccakLoop) => Loop(name, "KeccakLoop.hex", KeccakIterations),
        nameof(EvmBenchmarks.StorageLoop) => Loop(name, "StorageLoop.hex", StorageIterations),
        nameof(EvmBenchmarks.Erc20Transfer) => Erc20(name),
        _ => throw new ArgumentException($"unknown EVM workload '{name}'", nameof(name)),
    };

    /// <summary>Runs one invocation (one loop call, or a batch of transfers); returns the gas the transactions used.</summary>
    public long Invoke()
    {
        long gas = 0;
        for (int i = 0; i < _callsPerInvoke; i++)
        {
            var tx = EvmTransaction.Legacy(s_sender, _target, _nonce++, 1_000_000_000, UInt256.Zero, _calls[_next], UInt256.Zero);
            _next = (_next + 1) % _calls.Length;
            var result = _processor.Execute(_state, _block, tx);
            if (!result.Success)
            {
                throw new InvalidOperationException($"{Name}: transaction failed: {result.ErrorMessage ?? result.ExecutionError}");
            }

            gas += result.GasUsed;
        }

        return gas;
    }

    /// <summary>Gas per operation in the steady state (after a first invocation has warmed up storage values).</summary>
    public static double MeasureGasPerOperation(string name)
    {
        var workload = Create(name);
        workload.Invoke();
        return (double)workload.Invoke() / workload.OperationsPerInvoke;
    }

    private static EvmWorkload Loop(string name, string file, int iterations) =>
        new(name, EvmContractCode.Read(file), [Word((ulong)iterations)], 1, deployErc20: false);

    private static EvmWorkload Erc20(string name)
    {
        // transfer(address,uint256): selector a9059cbb, the recipient left-padded to 32 bytes, amount 1.
        var calls = new byte[Recipients][];
        var selector = Convert.FromHexString("a9059cbb");
        for (int i = 0; i < Recipients; i++)
        {
            var recipient = Word(new UInt256((ulong)(i + 1), 0, 0x30000000));
            calls[i] = Concat(selector, recipient, Word(1));
        }

        return new EvmWorkload(name, null, calls, TransfersPerBatch, deployErc20: true);
    }

    private static byte[] Word(UInt256 value) => value.ToBigEndian();

    private static byte[] Concat(params byte[][] parts)
    {
        var result = new byte[parts.Sum(p => p.Length)];
        int offset = 0;
        foreach (var part in parts)
        {
            part.CopyTo(result, offset);
            offset += part.Length;
        }

        return result;
    }
}
