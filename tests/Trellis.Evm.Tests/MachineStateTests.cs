using Trellis.Core;

namespace Trellis.Evm.Tests;

/// <summary>Stack, memory, jumps and halts (yellow paper section 9 and appendix H).</summary>
public class MachineStateTests
{
    private const long Gas = 1_000_000;

    [Fact]
    public void EmptyStackAdd_HaltsWithStackUnderflowAndConsumesAllGas()
    {
        var result = new EvmHarness().Run("PUSH1 1 ADD");
        Assert.False(result.Success);
        Assert.False(result.Reverted);
        Assert.Equal("stack underflow", result.Error);
        Assert.Equal(0, result.GasLeft);
    }

    [Fact]
    public void Push1025Items_HaltsWithStackOverflow()
    {
        var code = string.Concat(Enumerable.Repeat("PUSH0 ", 1024));
        Assert.True(new EvmHarness().Run(code + "STOP").Success);
        var result = new EvmHarness().Run(code + "PUSH0");
        Assert.False(result.Success);
        Assert.StartsWith("stack overflow", result.Error);
    }

    [Fact]
    public void Dup16AndSwap16_ReachSixteenDeep()
    {
        var pushes = string.Concat(Enumerable.Range(1, 17).Select(i => $"PUSH1 {i} "));
        // Stack top..bottom is 17, 16, ..., 1; DUP16 copies the 16th item (2), SWAP16 exchanges top with the 17th (1).
        Assert.Equal(new UInt256(2), EvmHarness.Word(new EvmHarness().Run(pushes + "DUP16" + EvmHarness.ReturnTop)));
        Assert.Equal(new UInt256(1), EvmHarness.Word(new EvmHarness().Run(pushes + "SWAP16" + EvmHarness.ReturnTop)));
        Assert.False(new EvmHarness().Run("PUSH1 1 DUP2").Success);
        Assert.False(new EvmHarness().Run("PUSH1 1 SWAP1").Success);
    }

    [Theory]
    [InlineData(0xfe)]
    [InlineData(0x0c)]
    [InlineData(0x21)]
    [InlineData(0xef)]
    [InlineData(0xf6)]
    [InlineData(0xa5)]
    public void UndefinedOpcode_HaltsNamingTheOpcode(int opcode)
    {
        var result = new EvmHarness().RunCode([0x60, 0x01, (byte)opcode]);
        Assert.False(result.Success);
        Assert.Equal($"invalid opcode 0x{opcode:x2}", result.Error);
        Assert.Equal(0, result.GasLeft);
    }

    [Fact]
    public void RunningOffTheEndOfCode_StopsSuccessfully()
    {
        var result = new EvmHarness().Run("PUSH1 1");
        Assert.True(result.Success);
        Assert.Equal(3, EvmHarness.Used(result));
    }

    [Fact]
    public void PushAtEndOfCode_IsTruncatedNotAnError()
    {
        // PUSH2 with one byte of data left, then PUSH32 with none: both push (missing bytes read as zero) and stop.
        var result = new EvmHarness().RunCode([0x61, 0xab]);
        Assert.True(result.Success, result.Error);
        Assert.Equal(3, EvmHarness.Used(result));
        Assert.True(new EvmHarness().RunCode([0x7f]).Success);
    }

    [Fact]
    public void Jump_ToJumpDestContinues()
    {
        var result = new EvmHarness().Run("PUSH1 @target JUMP INVALID target: JUMPDEST PUSH1 42" + EvmHarness.ReturnTop);
        Assert.True(result.Success, result.Error);
        Assert.Equal(new UInt256(42), EvmHarness.Word(result));
    }

    [Fact]
    public void Jump_IntoPushData_IsInvalid()
    {
        // Byte 3 is a 0x5b inside PUSH1's data: not a valid destination.
        var result = new EvmHarness().RunCode(Assembler.Assemble("PUSH1 3 JUMP PUSH1 0x5b STOP"));
        Assert.False(result.Success);
        Assert.Equal("invalid jump destination", result.Error);
        Assert.Equal(0, result.GasLeft);
    }

    [Fact]
    public void Jump_BeyondCodeOrHuge_IsInvalid()
    {
        Assert.Equal("invalid jump destination", new EvmHarness().Run("PUSH2 0x1000 JUMP").Error);
        Assert.Equal("invalid jump destination", new EvmHarness().Run("PUSH32 0x010000000000000000 JUMP").Error);
    }

    [Fact]
    public void JumpI_JumpsOnlyOnNonZeroAndChargesTen()
    {
        var notTaken = new EvmHarness().Run("PUSH0 PUSH1 0xff JUMPI STOP");
        Assert.True(notTaken.Success);
        Assert.Equal(2 + 3 + 10, EvmHarness.Used(notTaken));
        var taken = new EvmHarness().Run("PUSH1 1 PUSH1 @end JUMPI INVALID end: JUMPDEST STOP");
        Assert.True(taken.Success, taken.Error);
        Assert.Equal(3 + 3 + 10 + 1, EvmHarness.Used(taken));
    }

    [Fact]
    public void Loop_CountsDownWithExactGas()
    {
        // Ten iterations of: JUMPDEST(1) PUSH1(3) SWAP1(3) SUB(3) DUP1(3) PUSH1(3) JUMPI(10) = 26 gas each.
        var result = new EvmHarness().Run("PUSH1 10 loop: JUMPDEST PUSH1 1 SWAP1 SUB DUP1 PUSH1 @loop JUMPI STOP");
        Assert.True(result.Success, result.Error);
        Assert.Equal(3 + (10 * 26), EvmHarness.Used(result));
    }

    [Fact]
    public void PcAndCodeSize_ReportPositions()
    {
        Assert.Equal(new UInt256(2), EvmHarness.Word(new EvmHarness().Run("PUSH1 0 PC" + EvmHarness.ReturnTop)));
        var code = Assembler.Assemble("CODESIZE" + EvmHarness.ReturnTop);
        Assert.Equal(new UInt256((ulong)code.Length), EvmHarness.Word(new EvmHarness().RunCode(code)));
    }

    [Fact]
    public void MStore_ChargesMemoryExpansionOnce()
    {
        // PUSH1(3) PUSH0(2) MSTORE(3 + 3 for one word); the second MSTORE to the same word costs no expansion.
        var result = new EvmHarness().Run("PUSH1 1 PUSH0 MSTORE PUSH1 2 PUSH0 MSTORE STOP");
        Assert.Equal(3 + 2 + 6 + 3 + 2 + 3, EvmHarness.Used(result));
    }

    [Fact]
    public void MemoryExpansion_IsQuadratic()
    {
        // Writing the word at 32767*32 makes 32768 words: 3*32768 + 32768^2/512 = 98304 + 2097152.
        var result = new EvmHarness().Run("PUSH1 1 PUSH3 0x0fffe0 MSTORE STOP", gas: 10_000_000);
        Assert.Equal(3 + 3 + 3 + (98_304 + 2_097_152), EvmHarness.Used(result, 10_000_000));
    }

    [Fact]
    public void MSizeAndMStore8_UseWordGranularity()
    {
        var result = new EvmHarness().Run("PUSH1 0xab PUSH1 33 MSTORE8 MSIZE" + EvmHarness.ReturnTop);
        Assert.Equal(new UInt256(64), EvmHarness.Word(result));
        var loaded = new EvmHarness().Run("PUSH1 0xab PUSH1 31 MSTORE8 PUSH0 MLOAD" + EvmHarness.ReturnTop);
        Assert.Equal(new UInt256(0xab), EvmHarness.Word(loaded));
    }

    [Theory]
    [InlineData("PUSH1 1 PUSH9 0x010000000000000000 MSTORE")]
    [InlineData("PUSH32 0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff MLOAD")]
    [InlineData("PUSH1 1 PUSH5 0x0100000000 MSTORE8")]
    [InlineData("PUSH9 0x010000000000000000 PUSH0 KECCAK256")]
    [InlineData("PUSH9 0x010000000000000000 PUSH0 PUSH0 CALLDATACOPY")]
    [InlineData("PUSH1 32 PUSH0 PUSH9 0x010000000000000000 CODECOPY")]
    [InlineData("PUSH32 0x8000000000000000000000000000000000000000000000000000000000000000 PUSH0 RETURN")]
    [InlineData("PUSH32 0x8000000000000000000000000000000000000000000000000000000000000000 PUSH0 REVERT")]
    [InlineData("PUSH1 1 PUSH0 PUSH9 0x010000000000000000 MCOPY")]
    [InlineData("PUSH9 0x010000000000000000 PUSH0 LOG0")]
    [InlineData("PUSH0 PUSH0 PUSH1 1 PUSH9 0x010000000000000000 PUSH0 PUSH0 PUSH0 CALL")]
    [InlineData("PUSH9 0x010000000000000000 PUSH0 PUSH0 CREATE")]
    public void HugeMemoryOffsets_RunOutOfGasWithoutThrowing(string code)
    {
        var result = new EvmHarness().Run(code, gas: long.MaxValue / 2);
        Assert.False(result.Success);
        Assert.Equal(0, result.GasLeft);
    }

    [Fact]
    public void ZeroLengthAccessAtHugeOffset_CostsNoMemory()
    {
        var result = new EvmHarness().Run("PUSH0 PUSH32 0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff KECCAK256 MSIZE" + EvmHarness.ReturnTop);
        Assert.True(result.Success, result.Error);
        Assert.Equal(UInt256.Zero, EvmHarness.Word(result));
    }

    [Fact]
    public void Keccak256_HashesMemoryWithWordCost()
    {
        var empty = new EvmHarness().Run("PUSH0 PUSH0 KECCAK256 STOP");
        Assert.Equal(2 + 2 + 30, EvmHarness.Used(empty));
        var emptyHash = new EvmHarness().Run("PUSH0 PUSH0 KECCAK256" + EvmHarness.ReturnTop);
        Assert.Equal(UInt256.Parse("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"), EvmHarness.Word(emptyHash));

        // One word: 30 + 6 per word + 3 for the first memory word.
        var oneWord = new EvmHarness().Run("PUSH1 32 PUSH0 KECCAK256 STOP");
        Assert.Equal(3 + 2 + 30 + 6 + 3, EvmHarness.Used(oneWord));
        var zeroWordHash = new EvmHarness().Run("PUSH1 32 PUSH0 KECCAK256" + EvmHarness.ReturnTop);
        Assert.Equal(UInt256.Parse("0x290decd9548b62a8d60345a988386fc84ba6bc95484008f6362f93160ef3e563"), EvmHarness.Word(zeroWordHash));
    }

    [Fact]
    public void MCopy_FollowsEip5656Examples()
    {
        // EIP-5656 example: memory word 32 holds 0x0001..1f; MCOPY(0, 32, 32) copies it to word 0.
        var pattern = "0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
        var result = new EvmHarness().Run($"PUSH32 {pattern} PUSH1 32 MSTORE PUSH1 32 PUSH1 32 PUSH0 MCOPY PUSH0 MLOAD" + EvmHarness.ReturnTop);
        Assert.Equal(UInt256.Parse(pattern), EvmHarness.Word(result));

        // Overlapping: MCOPY(0, 1, 8) on 0x0101..08 shifts bytes left by one (memmove semantics).
        var overlap = new EvmHarness().Run("PUSH32 0x0001020304050607080000000000000000000000000000000000000000000000 PUSH0 MSTORE PUSH1 8 PUSH1 1 PUSH0 MCOPY PUSH0 MLOAD" + EvmHarness.ReturnTop);
        Assert.Equal(UInt256.Parse("0x0102030405060708080000000000000000000000000000000000000000000000"), EvmHarness.Word(overlap));

        // Gas: 3 + 3 per word + expansion; copying within existing memory charges no expansion.
        var gas = new EvmHarness().Run("PUSH1 32 PUSH1 32 PUSH0 MCOPY STOP");
        Assert.Equal(3 + 3 + 2 + 3 + 3 + (3 * 2 + 0), EvmHarness.Used(gas));
    }

    [Fact]
    public void Gas_ReportsGasAfterItsOwnCost()
    {
        var result = new EvmHarness().Run("GAS" + EvmHarness.ReturnTop, gas: 100_000);
        Assert.Equal(new UInt256(100_000 - 2), EvmHarness.Word(result));
    }

    [Fact]
    public void Revert_ReturnsDataAndRemainingGas()
    {
        var result = new EvmHarness().Run("PUSH1 0x2a PUSH0 MSTORE PUSH1 32 PUSH0 REVERT", gas: 100_000);
        Assert.False(result.Success);
        Assert.True(result.Reverted);
        Assert.Equal("revert", result.Error);
        Assert.Equal(100_000 - (3 + 2 + 6 + 3 + 2), result.GasLeft);
        Assert.Equal(new UInt256(42), EvmHarness.Word(result));
    }

    [Fact]
    public void OutOfGas_ConsumesEverything()
    {
        var result = new EvmHarness().Run("PUSH1 1 PUSH1 2 ADD", gas: 8);
        Assert.False(result.Success);
        Assert.Equal("out of gas", result.Error);
        Assert.Equal(0, result.GasLeft);
        Assert.True(new EvmHarness().Run("PUSH1 1 PUSH1 2 ADD", gas: 9).Success);
    }
}
