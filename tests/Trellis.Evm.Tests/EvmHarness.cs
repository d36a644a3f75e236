using Trellis.Core;

namespace Trellis.Evm.Tests;

/// <summary>Sets up a world with a sender and a contract and runs the contract's code at depth 0.</summary>
internal sealed class EvmHarness
{
    public static readonly Address Sender = Address.Parse("0x1000000000000000000000000000000000000001");
    public static readonly Address Contract = Address.Parse("0x2000000000000000000000000000000000000002");
    public static readonly Address Other = Address.Parse("0x3000000000000000000000000000000000000003");
    public static readonly Address Coinbase = Address.Parse("0xc000000000000000000000000000000000000000");

    /// <summary>Stores the top of the stack in memory word 0 and returns it (13 gas: PUSH0 MSTORE(+3 memory) PUSH1 PUSH0 RETURN).</summary>
    public const string ReturnTop = " PUSH0 MSTORE PUSH1 32 PUSH0 RETURN";

    public const long ReturnTopGas = 2 + 3 + 3 + 3 + 2;

    public EvmHarness(BlockContext? block = null, TransactionContext? transaction = null)
    {
        State.Put(Sender, balance: new UInt256(1_000_000_000_000_000_000UL), nonce: 1);
        Block = block ?? new BlockContext(Coinbase, 100, 1_700_000_000, 30_000_000, new UInt256(0xabcdef), new UInt256(7), new UInt256(1), 1);
        Transaction = transaction ?? new TransactionContext(Sender, new UInt256(10), []);
        Vm = new VirtualMachine(State, Block, Transaction);
    }

    public TestWorldState State { get; } = new();

    public BlockContext Block { get; }

    public TransactionContext Transaction { get; }

    public VirtualMachine Vm { get; }

    /// <summary>Installs code at <see cref="Contract"/>, warms sender and contract as the processor would, and calls it.</summary>
    public ExecutionResult Run(string assembly, long gas = 1_000_000, UInt256 value = default, byte[]? input = null) =>
        RunCode(Assembler.Assemble(assembly), gas, value, input);

    public ExecutionResult RunCode(byte[] code, long gas = 1_000_000, UInt256 value = default, byte[]? input = null)
    {
        if (!State.AccountExists(Contract) || State.GetCode(Contract).Length == 0)
        {
            State.Put(Contract, code: code, nonce: 1);
        }

        State.BeginTransaction();
        State.WarmUpAccount(Sender);
        State.WarmUpAccount(Contract);
        return Vm.Call(Sender, Contract, value, input ?? [], gas);
    }

    /// <summary>Gas used by a run that started with <paramref name="gas"/>.</summary>
    public static long Used(in ExecutionResult result, long gas = 1_000_000) => gas - result.GasLeft;

    public static UInt256 Word(in ExecutionResult result) => UInt256.FromBigEndian(result.Output);

    public static Address Addr(string hex) => Address.Parse(hex);
}
