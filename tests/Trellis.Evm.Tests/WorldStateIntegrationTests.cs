using Trellis.Core;
using Trellis.Crypto;
using Trellis.State;
using Trellis.State.Storage;

namespace Trellis.Evm.Tests;

/// <summary>The interpreter against the real trie-backed <see cref="WorldState"/> rather than the test dictionary.</summary>
public class WorldStateIntegrationTests
{
    private static readonly Address Sender = EvmHarness.Sender;
    private static readonly Address Counter = EvmHarness.Other;

    [Fact]
    public void DeployThenCall_PersistsStorageAcrossTransactions()
    {
        var state = new WorldState(new MemoryStore(), CryptoSuites.Standard);
        state.AddBalance(Sender, new UInt256(1_000_000));
        var vm = new VirtualMachine(state, new BlockContext(EvmHarness.Coinbase, 1, 1, 30_000_000, default, default, default, 1), new TransactionContext(Sender, default, []));

        // Runtime: slot0 += 1, return slot0. Init code copies the runtime out of its own code.
        byte[] runtime = Assembler.Assemble("PUSH0 SLOAD PUSH1 1 ADD DUP1 PUSH0 SSTORE" + EvmHarness.ReturnTop);
        // The prefix has the same shape (and length) as the init code below; assembled once to learn its size.
        byte[] prefix = Assembler.Assemble($"PUSH1 {runtime.Length} PUSH1 0xff PUSH0 CODECOPY PUSH1 {runtime.Length} PUSH0 RETURN");
        byte[] init = [.. Assembler.Assemble($"PUSH1 {runtime.Length} PUSH1 {prefix.Length} PUSH0 CODECOPY PUSH1 {runtime.Length} PUSH0 RETURN"), .. runtime];

        state.BeginTransaction();
        var created = vm.Create(Sender, Counter, default, init, 1_000_000);
        Assert.True(created.Success, created.Error);
        state.EndTransaction();
        Assert.Equal(runtime, state.GetCode(Counter).ToArray());

        for (ulong expected = 1; expected <= 3; expected++)
        {
            state.BeginTransaction();
            var result = vm.Call(Sender, Counter, default, default, 100_000);
            state.EndTransaction();
            Assert.True(result.Success, result.Error);
            Assert.Equal(new UInt256(expected), UInt256.FromBigEndian(result.Output));
        }
    }

    [Fact]
    public void RevertedCall_LeavesTheStateRootUnchanged()
    {
        var state = new WorldState(new MemoryStore(), CryptoSuites.Standard);
        state.AddBalance(Sender, new UInt256(1_000_000));
        state.SetCode(Counter, Assembler.Assemble("PUSH1 1 PUSH0 SSTORE PUSH0 PUSH0 LOG0 PUSH0 PUSH0 REVERT"));
        state.EndTransaction();
        var before = state.ComputeStateRoot();
        var vm = new VirtualMachine(state, new BlockContext(EvmHarness.Coinbase, 1, 1, 30_000_000, default, default, default, 1), new TransactionContext(Sender, default, []));

        state.BeginTransaction();
        var result = vm.Call(Sender, Counter, new UInt256(5), default, 100_000);
        state.EndTransaction();
        Assert.True(result.Reverted);
        Assert.Empty(vm.Logs);
        Assert.Equal(before, state.ComputeStateRoot());
    }
}
