using Trellis.Core;
using Trellis.Evm.Precompiles;

namespace Trellis.Evm.Tests;

/// <summary>Message calls: CALL, CALLCODE, DELEGATECALL, STATICCALL, precompiles, depth and the 63/64 rule.</summary>
public class CallTests
{
    private const string OtherAddress = "0x3000000000000000000000000000000000000003";
    private const string Return42 = "PUSH1 42 PUSH0 MSTORE PUSH1 32 PUSH0 RETURN";

    private static string CallOther(string kind = "CALL", string value = "PUSH0", string gas = "GAS", int outLength = 32, int inLength = 0)
    {
        string valuePart = kind is "CALL" or "CALLCODE" ? value + " " : string.Empty;
        return $"PUSH1 {outLength} PUSH0 PUSH1 {inLength} PUSH0 {valuePart}PUSH20 {OtherAddress} {gas} {kind}";
    }

    [Fact]
    public void Call_CopiesOutputAndSetsReturnData()
    {
        var harness = new EvmHarness();
        harness.State.Put(EvmHarness.Other, code: Assembler.Assemble(Return42));
        var result = harness.Run(CallOther() + " PUSH0 MLOAD ADD RETURNDATASIZE ADD" + EvmHarness.ReturnTop);
        Assert.True(result.Success, result.Error);

        // success flag 1 + output 42 + return data size 32.
        Assert.Equal(new UInt256(75), EvmHarness.Word(result));
    }

    [Fact]
    public void Call_ForwardsAllButOneSixtyFourth()
    {
        var harness = new EvmHarness();
        harness.State.Put(EvmHarness.Other, code: Assembler.Assemble("GAS " + EvmHarness.ReturnTop.Trim()));
        var result = harness.Run(CallOther() + " POP PUSH0 MLOAD" + EvmHarness.ReturnTop, gas: 100_000);

        // Before CALL: PUSH1 3, PUSH0 2, PUSH1 3, PUSH0 2, PUSH0 2, PUSH20 3, GAS 2 = 17 gas. CALL: 2600 cold + 3 memory.
        // Available 97380, forwarded 97380 - floor(97380 / 64) = 95859; the callee's GAS reports that minus its own 2.
        Assert.Equal(new UInt256(95_857), EvmHarness.Word(result));
    }

    [Fact]
    public void Call_WithValueToNewAccount_ChargesTransferAndNewAccountAndGivesStipend()
    {
        var harness = new EvmHarness();
        harness.State.Put(EvmHarness.Contract, balance: new UInt256(10), code: Assembler.Assemble(CallOther(value: "PUSH1 1", gas: "PUSH0", outLength: 0) + " STOP"), nonce: 1);
        var result = harness.Run(string.Empty, gas: 100_000);
        Assert.True(result.Success, result.Error);

        // Pushes: 3+2+3+2+3+3+2 = 18. CALL: 2600 + 9000 + 25000; the stipend of 2300 comes back unused.
        Assert.Equal(18 + 2600 + 9000 + 25000 - 2300, EvmHarness.Used(result, 100_000));
        Assert.Equal(UInt256.One, harness.State.GetBalance(EvmHarness.Other));
        Assert.Equal(new UInt256(9), harness.State.GetBalance(EvmHarness.Contract));
    }

    [Fact]
    public void Call_WithInsufficientBalance_FailsWithoutConsumingForwardedGas()
    {
        var harness = new EvmHarness();
        harness.State.Put(EvmHarness.Other, code: Assembler.Assemble(Return42));
        var result = harness.Run(CallOther(value: "PUSH1 1", gas: "PUSH2 0x1000", outLength: 0) + EvmHarness.ReturnTop, gas: 100_000);
        Assert.True(result.Success, result.Error);
        Assert.Equal(UInt256.Zero, EvmHarness.Word(result));

        // Pushes 3+2+3+2+3+3+3 = 19, CALL 2600 + 9000 (Other exists, not dead), forwarded 4096 + stipend returned.
        Assert.Equal(19 + 2600 + 9000 - 2300 + EvmHarness.ReturnTopGas, EvmHarness.Used(result, 100_000));
    }

    [Fact]
    public void RevertedCall_UndoesStateAndKeepsRevertData()
    {
        var harness = new EvmHarness();
        harness.State.Put(EvmHarness.Other, code: Assembler.Assemble("PUSH1 1 PUSH0 SSTORE PUSH1 1 PUSH0 TSTORE PUSH1 7 PUSH0 MSTORE PUSH1 32 PUSH0 REVERT"));
        var result = harness.Run(CallOther() + " PUSH0 MLOAD ADD" + EvmHarness.ReturnTop);
        Assert.Equal(new UInt256(7), EvmHarness.Word(result));
        Assert.Equal(UInt256.Zero, harness.State.GetStorage(EvmHarness.Other, UInt256.Zero));
        Assert.Equal(UInt256.Zero, harness.State.GetTransientStorage(EvmHarness.Other, UInt256.Zero));
    }

    [Fact]
    public void FailedCall_RevertsLogsAndValue()
    {
        var harness = new EvmHarness();
        harness.State.Put(EvmHarness.Contract, balance: new UInt256(10), code: Assembler.Assemble(CallOther(value: "PUSH1 5", outLength: 0) + " PUSH0 PUSH0 LOG0 STOP"), nonce: 1);
        harness.State.Put(EvmHarness.Other, code: Assembler.Assemble("PUSH0 PUSH0 LOG0 INVALID"));
        var result = harness.Run(string.Empty);
        Assert.True(result.Success, result.Error);
        Assert.Single(harness.Vm.Logs);
        Assert.Equal(EvmHarness.Contract, harness.Vm.Logs[0].Address);
        Assert.Equal(new UInt256(10), harness.State.GetBalance(EvmHarness.Contract));
    }

    [Theory]
    [InlineData("PUSH1 1 PUSH0 SSTORE")]
    [InlineData("PUSH1 1 PUSH0 TSTORE")]
    [InlineData("PUSH0 PUSH0 LOG0")]
    [InlineData("PUSH0 PUSH0 PUSH0 CREATE")]
    [InlineData("PUSH0 PUSH0 PUSH0 PUSH0 CREATE2")]
    [InlineData("PUSH0 SELFDESTRUCT")]
    [InlineData("PUSH0 PUSH0 PUSH0 PUSH0 PUSH1 1 CALLER PUSH2 0xffff CALL")]
    public void StaticCall_ForbidsStateChanges(string forbidden)
    {
        var harness = new EvmHarness();
        harness.State.Put(EvmHarness.Other, balance: new UInt256(100), code: Assembler.Assemble(forbidden + " STOP"));
        var result = harness.Run(CallOther("STATICCALL", outLength: 0) + EvmHarness.ReturnTop);
        Assert.True(result.Success, result.Error);
        Assert.Equal(UInt256.Zero, EvmHarness.Word(result));
    }

    [Fact]
    public void StaticCall_AllowsReadsAndValuelessCalls()
    {
        var harness = new EvmHarness();
        harness.State.Put(EvmHarness.Other, code: Assembler.Assemble("PUSH0 SLOAD POP PUSH0 PUSH0 PUSH0 PUSH0 PUSH0 CALLER PUSH2 0xffff CALL POP " + Return42));
        var result = harness.Run(CallOther("STATICCALL") + " PUSH0 MLOAD ADD" + EvmHarness.ReturnTop);
        Assert.Equal(new UInt256(43), EvmHarness.Word(result));
    }

    [Fact]
    public void DelegateCall_RunsCodeInTheCallersContext()
    {
        var harness = new EvmHarness();
        harness.State.Put(EvmHarness.Other, code: Assembler.Assemble("CALLER PUSH0 SSTORE CALLVALUE PUSH1 1 SSTORE ADDRESS PUSH1 2 SSTORE"));
        var result = harness.Run(CallOther("DELEGATECALL", outLength: 0) + " STOP", value: new UInt256(9));
        Assert.True(result.Success, result.Error);
        Assert.Equal(EvmWord.FromAddress(EvmHarness.Sender), harness.State.GetStorage(EvmHarness.Contract, UInt256.Zero));
        Assert.Equal(new UInt256(9), harness.State.GetStorage(EvmHarness.Contract, UInt256.One));
        Assert.Equal(EvmWord.FromAddress(EvmHarness.Contract), harness.State.GetStorage(EvmHarness.Contract, new UInt256(2)));
        Assert.Equal(UInt256.Zero, harness.State.GetStorage(EvmHarness.Other, UInt256.Zero));
    }

    [Fact]
    public void CallCode_RunsCodeInTheCallersStorageWithTheCallerAsSender()
    {
        var harness = new EvmHarness();
        harness.State.Put(EvmHarness.Other, code: Assembler.Assemble("CALLER PUSH0 SSTORE CALLVALUE PUSH1 1 SSTORE"));
        harness.State.Put(EvmHarness.Contract, balance: new UInt256(10), code: Assembler.Assemble(CallOther("CALLCODE", value: "PUSH1 3", outLength: 0) + " STOP"), nonce: 1);
        var result = harness.Run(string.Empty);
        Assert.True(result.Success, result.Error);
        Assert.Equal(EvmWord.FromAddress(EvmHarness.Contract), harness.State.GetStorage(EvmHarness.Contract, UInt256.Zero));
        Assert.Equal(new UInt256(3), harness.State.GetStorage(EvmHarness.Contract, UInt256.One));
        Assert.Equal(new UInt256(10), harness.State.GetBalance(EvmHarness.Contract));
    }

    [Fact]
    public void NestedCalls_StopAtDepth1024()
    {
        // Each frame stores input + 1 in memory word 0 and calls itself with it; the call from depth 1024 fails and
        // leaves the word as it was, so the outermost frame returns the number of frames: 1025.
        var harness = new EvmHarness();
        var code = "PUSH0 CALLDATALOAD PUSH1 1 ADD PUSH0 MSTORE PUSH1 32 PUSH0 PUSH1 32 PUSH0 PUSH0 ADDRESS GAS CALL POP PUSH1 32 PUSH0 RETURN";
        var result = harness.Run(code, gas: 100_000_000_000);
        Assert.True(result.Success, result.Error);
        Assert.Equal(new UInt256(1025), EvmHarness.Word(result));
    }

    [Fact]
    public void ReturnDataCopy_PastTheEnd_Halts()
    {
        var harness = new EvmHarness();
        harness.State.Put(EvmHarness.Other, code: Assembler.Assemble(Return42));
        var inside = harness.Run(CallOther() + " PUSH1 32 PUSH0 PUSH0 RETURNDATACOPY PUSH1 32 PUSH0 RETURN");
        Assert.True(inside.Success, inside.Error);

        var outside = new EvmHarness();
        outside.State.Put(EvmHarness.Other, code: Assembler.Assemble(Return42));
        var result = outside.Run(CallOther() + " PUSH1 1 PUSH1 32 PUSH0 RETURNDATACOPY STOP");
        Assert.Equal("return data out of bounds", result.Error);

        var empty = new EvmHarness().Run("PUSH0 PUSH1 1 PUSH0 RETURNDATACOPY STOP");
        Assert.Equal("return data out of bounds", empty.Error);
    }

    [Fact]
    public void CallToMissingAccount_WithoutValue_SucceedsAndCreatesNothing()
    {
        var harness = new EvmHarness();
        var result = harness.Run(CallOther() + EvmHarness.ReturnTop);
        Assert.Equal(UInt256.One, EvmHarness.Word(result));
        Assert.False(harness.State.AccountExists(EvmHarness.Other));
    }

    [Fact]
    public void IdentityPrecompile_CopiesInputForItsGas()
    {
        // Store 0x2a at word 0, call 0x04 with 32 bytes, output to word 1; identity costs 15 + 3 per word.
        var harness = new EvmHarness();
        harness.State.BeginTransaction();
        var code = "PUSH1 42 PUSH0 MSTORE PUSH1 32 PUSH1 32 PUSH1 32 PUSH0 PUSH1 4 PUSH2 0xffff STATICCALL POP PUSH1 32 MLOAD" + EvmHarness.ReturnTop;
        var result = harness.Run(code);
        Assert.Equal(new UInt256(42), EvmHarness.Word(result));
    }

    [Fact]
    public void EcRecoverPrecompile_RecoversTheSigner()
    {
        // The well-known ethereum/tests key 0x45a9...f2d8 has address 0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b.
        byte[] input = Convert.FromHexString(
            "18c547e4f7b0f325ad1e56f57e26c745b09a3e503d86e00e5255ff7f715d3d1c" +
            "000000000000000000000000000000000000000000000000000000000000001c" +
            "73b1693892219d736caba55bdb67216e485557ea6b6af75f37096c9aa6a5a75f" +
            "eeb940b1d03b21e36b0e47e79769f095fe2ab855bd91e3a38756b7d75a9c4549");
        Assert.True(new EcRecoverPrecompile().TryRun(input, out var output));
        Assert.Equal("000000000000000000000000a94f5374fce5edbc8e2a8697c15331677e6ebf0b", Convert.ToHexStringLower(output));
    }

    [Fact]
    public void EcRecoverPrecompile_IsReachedAtAddressOneForThreeThousandGas()
    {
        byte[] input = Convert.FromHexString(
            "18c547e4f7b0f325ad1e56f57e26c745b09a3e503d86e00e5255ff7f715d3d1c" +
            "000000000000000000000000000000000000000000000000000000000000001c" +
            "73b1693892219d736caba55bdb67216e485557ea6b6af75f37096c9aa6a5a75f" +
            "eeb940b1d03b21e36b0e47e79769f095fe2ab855bd91e3a38756b7d75a9c4549");
        var harness = new EvmHarness();
        harness.State.BeginTransaction();
        var code = "PUSH1 128 PUSH0 PUSH0 CALLDATACOPY PUSH1 32 PUSH1 128 PUSH1 128 PUSH0 PUSH1 1 PUSH2 0xffff STATICCALL POP PUSH1 32 PUSH1 128 RETURN";
        var result = harness.Run(code, gas: 100_000, input: input);
        Assert.Equal("000000000000000000000000a94f5374fce5edbc8e2a8697c15331677e6ebf0b", Convert.ToHexStringLower(result.Output));

        // CALLDATACOPY 3+3+2 + 12 copy + 12 memory; pushes 3+3+3+2+3+3; STATICCALL 2600 cold + 3000 + 3 memory.
        Assert.Equal(3 + 2 + 2 + 3 + 12 + 12 + 3 + 3 + 3 + 2 + 3 + 3 + 2600 + 3000 + 3 + 2 + 3 + 3 + 0, EvmHarness.Used(result, 100_000));
    }

    [Fact]
    public void EcRecoverPrecompile_AgreesWithSigning()
    {
        byte[] key = Convert.FromHexString("45a915e4d060149eb4365960e6a7a45f334393093061116b197e3240065ff2d8");
        byte[] digest = Keccak256.Hash("trellis"u8).ToArray();
        byte[] signature = Crypto.Standard.Secp256k1.Sign(key, digest);
        byte[] input = new byte[128];
        digest.CopyTo(input, 0);
        input[63] = (byte)(27 + signature[64]);
        signature.AsSpan(0, 64).CopyTo(input.AsSpan(64));
        Assert.True(new EcRecoverPrecompile().TryRun(input, out var output));
        Assert.Equal("000000000000000000000000a94f5374fce5edbc8e2a8697c15331677e6ebf0b", Convert.ToHexStringLower(output));
    }

    [Theory]
    [InlineData(26)]
    [InlineData(29)]
    [InlineData(0)]
    public void EcRecoverPrecompile_BadRecoveryIdGivesEmptyOutput(int v)
    {
        byte[] input = new byte[128];
        input[63] = (byte)v;
        input[95] = 1;
        input[127] = 1;
        Assert.True(new EcRecoverPrecompile().TryRun(input, out var output));
        Assert.Empty(output);
        Assert.Equal(3000, new EcRecoverPrecompile().RequiredGas(input));
    }

    [Fact]
    public void EcRecoverPrecompile_ShortOrZeroInputGivesEmptyOutput()
    {
        Assert.True(new EcRecoverPrecompile().TryRun([], out var empty));
        Assert.Empty(empty);
        byte[] zeroRs = new byte[128];
        zeroRs[63] = 27;
        Assert.True(new EcRecoverPrecompile().TryRun(zeroRs, out var output));
        Assert.Empty(output);
    }

    [Fact]
    public void PrecompileCall_OutOfGas_ConsumesTheForwardedGas()
    {
        // SHA-256 (0x02) costs 60 + 12 per word; forwarding 59 gas fails, and the caller sees 0.
        var harness = new EvmHarness();
        var result = harness.Run("PUSH0 PUSH0 PUSH0 PUSH0 PUSH1 2 PUSH1 59 STATICCALL" + EvmHarness.ReturnTop, gas: 100_000);
        Assert.Equal(UInt256.Zero, EvmHarness.Word(result));
        Assert.Equal(2 + 2 + 2 + 2 + 3 + 3 + 2600 + 59 + EvmHarness.ReturnTopGas, EvmHarness.Used(result, 100_000));
    }

    [Fact]
    public void PointEvaluationPrecompile_IsFlagged()
    {
        var harness = new EvmHarness();
        var result = harness.Run("PUSH0 PUSH0 PUSH0 PUSH0 PUSH1 0x0a PUSH2 0xffff STATICCALL" + EvmHarness.ReturnTop);
        Assert.True(result.Success);
        Assert.True(harness.Vm.UsedPointEvaluationPrecompile);
    }
}
