using System.Text;
using Trellis.Core;
using Trellis.Evm.SystemContracts;
using Trellis.State;

namespace Trellis.Evm.Tests;

/// <summary>The native-contract hook: CALL and STATICCALL into an <see cref="ISystemContract"/>, and refused bytecode.</summary>
public class SystemContractHookTests
{
    private const string SystemAddress = "0x0000000000000000000000000000000000001000";
    private static readonly Address System = Address.Parse(SystemAddress);

    // Input "revert" reverts, "gas" runs out of gas, anything else writes slot 1 = input length, emits one log and
    // returns the caller's address bytes followed by a static flag byte. Charges 1000 gas.
    private sealed class RecordingContract : ISystemContract
    {
        public List<SystemCall> Calls { get; } = [];

        public Address Address => System;

        public SystemCallResult Call(SystemCall call)
        {
            Calls.Add(call);
            string text = Encoding.ASCII.GetString(call.Input.Span);
            if (text == "revert")
            {
                call.State.SetStorage(Address, UInt256.One, new UInt256(99));
                return SystemCallResult.Revert(1000, "told to revert");
            }

            if (text == "gas")
            {
                return SystemCallResult.OutOfGas();
            }

            if (!call.IsStatic)
            {
                call.State.SetStorage(Address, UInt256.One, new UInt256((ulong)call.Input.Length));
            }

            LogEntry log = new(Address, [new Hash256(new byte[32])], [1, 2, 3]);
            return SystemCallResult.Success(1000, [.. call.Caller.Bytes, call.IsStatic ? (byte)1 : (byte)0], [log]);
        }
    }

    private sealed class Host(ISystemContract contract, Address? refused = null) : ISystemContractHost
    {
        public int RefuseChecks { get; private set; }

        public ISystemContract? Find(in Address address) => address == contract.Address ? contract : null;

        public string? RefuseCall(IWorldState state, in Address codeAddress)
        {
            RefuseChecks++;
            return codeAddress == refused ? "contract frozen" : null;
        }
    }

    private static (EvmHarness Harness, VirtualMachine Vm, RecordingContract Contract) Create(Address? refused = null)
    {
        var harness = new EvmHarness();
        var contract = new RecordingContract();
        harness.State.Put(System, code: [0xfe], nonce: 1);
        var vm = new VirtualMachine(harness.State, harness.Block, harness.Transaction, new Host(contract, refused));
        return (harness, vm, contract);
    }

    private static ExecutionResult CallDirect(EvmHarness harness, VirtualMachine vm, string input, long gas = 100_000)
    {
        harness.State.BeginTransaction();
        return vm.Call(EvmHarness.Sender, System, UInt256.Zero, Encoding.ASCII.GetBytes(input), gas);
    }

    [Fact]
    public void Call_RunsTheNativeContractWithCallerInputAndGas()
    {
        var (harness, vm, contract) = Create();

        ExecutionResult result = CallDirect(harness, vm, "hello");

        Assert.True(result.Success, result.Error);
        Assert.Equal(100_000 - 1000, result.GasLeft);
        Assert.Equal([.. EvmHarness.Sender.Bytes, 0], result.Output);
        Assert.Equal(new UInt256(5), harness.State.GetStorage(System, UInt256.One));
        LogEntry log = Assert.Single(vm.Logs);
        Assert.Equal(System, log.Address);
        SystemCall call = Assert.Single(contract.Calls);
        Assert.Equal(100_000, call.Gas);
        Assert.False(call.IsStatic);
        Assert.Equal(100UL, call.Block.Number);
    }

    [Fact]
    public void Call_RevertUndoesTheContractsWritesAndReturnsTheReasonAndUnusedGas()
    {
        var (harness, vm, _) = Create();

        ExecutionResult result = CallDirect(harness, vm, "revert");

        Assert.False(result.Success);
        Assert.True(result.Reverted);
        Assert.Equal(100_000 - 1000, result.GasLeft);
        Assert.Equal(RevertReason.EncodeError("told to revert"), result.Output);
        Assert.Equal(UInt256.Zero, harness.State.GetStorage(System, UInt256.One));
        Assert.Empty(vm.Logs);
    }

    [Fact]
    public void Call_OutOfGasConsumesEverything()
    {
        var (harness, vm, _) = Create();

        ExecutionResult result = CallDirect(harness, vm, "gas");

        Assert.False(result.Success);
        Assert.False(result.Reverted);
        Assert.Equal(0, result.GasLeft);
        Assert.Equal("out of gas", result.Error);
    }

    [Fact]
    public void StaticCall_FromBytecodePassesTheStaticFlagAndTheContractAsCaller()
    {
        var (harness, vm, contract) = Create();
        // STATICCALL(gas, System, in 0..0, out 0..21) then return the 21 output bytes.
        harness.State.Put(EvmHarness.Contract, code: Assembler.Assemble($"PUSH1 21 PUSH0 PUSH0 PUSH0 PUSH20 {SystemAddress} GAS STATICCALL POP PUSH1 21 PUSH0 RETURN"), nonce: 1);
        harness.State.BeginTransaction();

        ExecutionResult result = vm.Call(EvmHarness.Sender, EvmHarness.Contract, UInt256.Zero, Array.Empty<byte>(), 100_000);

        Assert.True(result.Success, result.Error);
        Assert.Equal([.. EvmHarness.Contract.Bytes, 1], result.Output);
        Assert.True(Assert.Single(contract.Calls).IsStatic);
        Assert.Single(vm.Logs);
    }

    [Fact]
    public void DelegateCall_IntoASystemContractRevertsWithoutRunningIt()
    {
        var (harness, vm, contract) = Create();
        // DELEGATECALL(gas, System, 0, 0, 0, 0); return the success flag and the return data size.
        harness.State.Put(EvmHarness.Contract, code: Assembler.Assemble($"PUSH0 PUSH0 PUSH0 PUSH0 PUSH20 {SystemAddress} GAS DELEGATECALL RETURNDATASIZE PUSH1 32 MSTORE" + EvmHarness.ReturnTop), nonce: 1);
        harness.State.BeginTransaction();

        ExecutionResult result = vm.Call(EvmHarness.Sender, EvmHarness.Contract, UInt256.Zero, Array.Empty<byte>(), 100_000);

        Assert.True(result.Success, result.Error);
        Assert.Equal(UInt256.Zero, EvmHarness.Word(result));
        Assert.Empty(contract.Calls);
    }

    [Fact]
    public void Call_ASuccessfulSystemCallIsUndoneWhenTheCallingFrameFails()
    {
        var (harness, vm, _) = Create();
        // CALL the system contract with 3 bytes of input, then hit INVALID.
        harness.State.Put(EvmHarness.Contract, code: Assembler.Assemble($"PUSH0 PUSH0 PUSH1 3 PUSH0 PUSH0 PUSH20 {SystemAddress} GAS CALL INVALID"), nonce: 1);
        harness.State.BeginTransaction();

        ExecutionResult result = vm.Call(EvmHarness.Sender, EvmHarness.Contract, UInt256.Zero, Array.Empty<byte>(), 100_000);

        Assert.False(result.Success);
        Assert.Equal(UInt256.Zero, harness.State.GetStorage(System, UInt256.One));
        Assert.Empty(vm.Logs);
    }

    [Fact]
    public void Call_IntoRefusedBytecodeRevertsWithTheReasonAndKeepsTheGas()
    {
        var (harness, vm, _) = Create(refused: EvmHarness.Other);
        harness.State.Put(EvmHarness.Other, code: Assembler.Assemble("PUSH1 7 PUSH0 SSTORE STOP"), nonce: 1);
        harness.State.BeginTransaction();

        ExecutionResult result = vm.Call(EvmHarness.Sender, EvmHarness.Other, UInt256.Zero, Array.Empty<byte>(), 50_000);

        Assert.True(result.Reverted);
        Assert.Equal(50_000, result.GasLeft);
        Assert.Equal(RevertReason.EncodeError("contract frozen"), result.Output);
        Assert.Equal(UInt256.Zero, harness.State.GetStorage(EvmHarness.Other, UInt256.Zero));
    }

    [Fact]
    public void Call_ToAnAccountWithoutCodeDoesNotAskTheHost()
    {
        var harness = new EvmHarness();
        var host = new Host(new RecordingContract(), refused: EvmHarness.Other);
        harness.State.Put(EvmHarness.Other, balance: UInt256.One);
        var vm = new VirtualMachine(harness.State, harness.Block, harness.Transaction, host);
        harness.State.BeginTransaction();

        ExecutionResult result = vm.Call(EvmHarness.Sender, EvmHarness.Other, UInt256.One, Array.Empty<byte>(), 50_000);

        Assert.True(result.Success, result.Error);
        Assert.Equal(0, host.RefuseChecks);
    }

    [Fact]
    public void Call_WithoutAHostTheAddressIsAnOrdinaryAccount()
    {
        var harness = new EvmHarness();
        harness.State.Put(System, code: [0xfe], nonce: 1);
        harness.State.BeginTransaction();

        ExecutionResult result = harness.Vm.Call(EvmHarness.Sender, System, UInt256.Zero, Array.Empty<byte>(), 50_000);

        Assert.False(result.Success);
        Assert.Equal("invalid opcode 0xfe", result.Error);
    }

    [Fact]
    public void EncodeError_MatchesSolidityRevertData()
    {
        // revert("abc") in solc 0.8: 08c379a0, offset 0x20, length 3, "abc" padded to 32 bytes.
        string expected = "0x08c379a0" +
            "0000000000000000000000000000000000000000000000000000000000000020" +
            "0000000000000000000000000000000000000000000000000000000000000003" +
            "6162630000000000000000000000000000000000000000000000000000000000";

        Assert.Equal(expected, Hex.Encode(RevertReason.EncodeError("abc")));
        Assert.Equal(Keccak256.Hash(Encoding.ASCII.GetBytes("Error(string)")).Bytes[..4].ToArray(), RevertReason.ErrorSelector.ToArray());
    }
}
