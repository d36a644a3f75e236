using Trellis.Core;

namespace Trellis.Evm.Tests;

/// <summary>CREATE, CREATE2, code deposit rules, address derivation, SELFDESTRUCT (EIP-6780) and logs.</summary>
public class CreateTests
{
    // Runtime code "PUSH1 42 PUSH0 MSTORE PUSH1 32 PUSH0 RETURN" (8 bytes), and init code that returns it.
    private const string Runtime = "602a5f5260205ff3";
    private const string InitCode = "PUSH8 0x602a5f5260205ff3 PUSH0 MSTORE PUSH1 8 PUSH1 24 RETURN";

    /// <summary>Code that writes the init code into memory at 0 and runs CREATE (or CREATE2 with salt 5) on it.</summary>
    private static string CreateFromMemory(string kind, string value = "PUSH0")
    {
        byte[] init = Assembler.Assemble(InitCode);
        string hex = Convert.ToHexStringLower(init).PadRight(64, '0');
        string salt = kind == "CREATE2" ? "PUSH1 5 " : string.Empty;
        return $"PUSH32 0x{hex} PUSH0 MSTORE {salt}PUSH1 {init.Length} PUSH0 {value} {kind}";
    }

    [Theory]
    [InlineData("0x6ac7ea33f8831ea9dcc53393aaa88b25a785dbf0", 0UL, "0xcd234a471b72ba2f1ccf0a70fcaba648a5eecd8d")]
    [InlineData("0x6ac7ea33f8831ea9dcc53393aaa88b25a785dbf0", 1UL, "0x343c43a37d37dff08ae8c4a11544c718abb4fcf8")]
    [InlineData("0x6ac7ea33f8831ea9dcc53393aaa88b25a785dbf0", 2UL, "0xf778b86fa74e846c4f0a1fbd1335fe81c00a0c91")]
    [InlineData("0x6ac7ea33f8831ea9dcc53393aaa88b25a785dbf0", 3UL, "0xfffd933a0bc612844eaf0c6fe3e5b8e9b6c1d19c")]
    public void FromNonce_MatchesKnownMainnetAddresses(string sender, ulong nonce, string expected)
    {
        Assert.Equal(Address.Parse(expected), ContractAddresses.FromNonce(new KeccakSuite(), Address.Parse(sender), nonce));
    }

    [Fact]
    public void FromNonce_EncodesLargeNoncesAsRlpIntegers()
    {
        // RLP([sender, 0x0100]) = c0+24 ‖ 94 ‖ sender ‖ 82 01 00, hashed independently here.
        var sender = Address.Parse("0x6ac7ea33f8831ea9dcc53393aaa88b25a785dbf0");
        byte[] rlp = [0xd8, 0x94, .. sender.Bytes, 0x82, 0x01, 0x00];
        Assert.Equal(Address.FromHash(Keccak256.Hash(rlp)), ContractAddresses.FromNonce(new KeccakSuite(), sender, 0x100));
        byte[] max = [0xde, 0x94, .. sender.Bytes, 0x88, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff];
        Assert.Equal(Address.FromHash(Keccak256.Hash(max)), ContractAddresses.FromNonce(new KeccakSuite(), sender, ulong.MaxValue));
    }

    /// <summary>The examples of EIP-1014.</summary>
    [Theory]
    [InlineData("0x0000000000000000000000000000000000000000", "0x00", "00", "0x4D1A2e2bB4F88F0250f26Ffff098B0b30B26BF38")]
    [InlineData("0xdeadbeef00000000000000000000000000000000", "0x00", "00", "0xB928f69Bb1D91Cd65274e3c79d8986362984fDA3")]
    [InlineData("0xdeadbeef00000000000000000000000000000000", "0x000000000000000000000000feed000000000000000000000000000000000000", "00", "0xD04116cDd17beBE565EB2422F2497E06cC1C9833")]
    [InlineData("0x0000000000000000000000000000000000000000", "0x00", "deadbeef", "0x70f2b2914A2a4b783FaEFb75f459A580616Fcb5e")]
    [InlineData("0x00000000000000000000000000000000deadbeef", "0xcafebabe", "deadbeef", "0x60f3f640a8508fC6a86d45DF051962668E1e8AC7")]
    [InlineData("0x0000000000000000000000000000000000000000", "0x00", "", "0xE33C0C7F7df4809055C3ebA6c09CFe4BaF1BD9e0")]
    public void FromSalt_MatchesEip1014Examples(string sender, string salt, string initCode, string expected)
    {
        var address = ContractAddresses.FromSalt(new KeccakSuite(), Address.Parse(sender), UInt256.Parse(salt), Convert.FromHexString(initCode));
        Assert.Equal(Address.Parse(expected), address);
    }

    [Fact]
    public void Create_DeploysReturnedCodeAtTheNonceAddress()
    {
        var harness = new EvmHarness();
        var result = harness.Run(CreateFromMemory("CREATE") + EvmHarness.ReturnTop);
        Assert.True(result.Success, result.Error);
        var expected = ContractAddresses.FromNonce(new KeccakSuite(), EvmHarness.Contract, 1);
        Assert.Equal(EvmWord.FromAddress(expected), EvmHarness.Word(result));
        Assert.Equal(Runtime, Convert.ToHexStringLower(harness.State.GetCode(expected).ToArray()));
        Assert.Equal(1UL, harness.State.GetNonce(expected));
        Assert.Equal(2UL, harness.State.GetNonce(EvmHarness.Contract));
    }

    [Fact]
    public void Create_ChargesInitCodeWordsAndCodeDeposit()
    {
        // PUSH32 3, PUSH0 2, MSTORE 3 + 3 memory, PUSH1 3, PUSH0 2, PUSH0 2, CREATE 32000 + 2 per init-code word.
        // Init code: PUSH8 3, PUSH0 2, MSTORE 6, PUSH1 3, PUSH1 3, RETURN 0 = 17; deposit 8 * 200 = 1600.
        var harness = new EvmHarness();
        var result = harness.Run(CreateFromMemory("CREATE") + " STOP", gas: 1_000_000);
        Assert.Equal(3 + 2 + 6 + 3 + 2 + 2 + 32000 + 2 + 17 + 1600, EvmHarness.Used(result, 1_000_000));
    }

    [Fact]
    public void Create2_ChargesHashingAndLandsAtTheSaltAddress()
    {
        var harness = new EvmHarness();
        var result = harness.Run(CreateFromMemory("CREATE2") + EvmHarness.ReturnTop);
        byte[] init = Assembler.Assemble(InitCode);
        var expected = ContractAddresses.FromSalt(new KeccakSuite(), EvmHarness.Contract, new UInt256(5), init);
        Assert.Equal(EvmWord.FromAddress(expected), EvmHarness.Word(result));

        var gas = new EvmHarness().Run(CreateFromMemory("CREATE2") + " STOP");
        Assert.Equal(3 + 2 + 6 + 3 + 3 + 2 + 2 + 32000 + 2 + 6 + 17 + 1600, EvmHarness.Used(gas));
    }

    [Fact]
    public void Create_WithTooLargeInitCode_HaltsTheCaller()
    {
        var result = new EvmHarness().Run("PUSH2 0xc001 PUSH0 PUSH0 CREATE", gas: 10_000_000);
        Assert.False(result.Success);
        Assert.Equal(0, result.GasLeft);
        Assert.Contains("EIP-3860", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_OfExactly49152Bytes_IsAllowed()
    {
        // All-zero init code is 49152 STOPs: it deploys empty code.
        var result = new EvmHarness().Run("PUSH2 0xc000 PUSH0 PUSH0 CREATE" + EvmHarness.ReturnTop, gas: 10_000_000);
        Assert.True(result.Success, result.Error);
        Assert.NotEqual(UInt256.Zero, EvmHarness.Word(result));
    }

    [Fact]
    public void Create_WithInsufficientBalance_PushesZeroAndKeepsTheNonce()
    {
        var harness = new EvmHarness();
        var result = harness.Run(CreateFromMemory("CREATE", "PUSH1 1") + EvmHarness.ReturnTop);
        Assert.Equal(UInt256.Zero, EvmHarness.Word(result));
        Assert.Equal(1UL, harness.State.GetNonce(EvmHarness.Contract));
    }

    [Fact]
    public void TopLevelCreate_RejectsCollisionConsumingAllGas()
    {
        var harness = new EvmHarness();
        var target = EvmHarness.Other;
        harness.State.Put(target, nonce: 1);
        harness.State.BeginTransaction();
        var result = harness.Vm.Create(EvmHarness.Sender, target, default, Assembler.Assemble(InitCode), 100_000);
        Assert.False(result.Success);
        Assert.Equal(0, result.GasLeft);
        Assert.Equal("contract address collision", result.Error);
    }

    [Fact]
    public void TopLevelCreate_DeploysAndReportsTheAddress()
    {
        var harness = new EvmHarness();
        harness.State.BeginTransaction();
        var result = harness.Vm.Create(EvmHarness.Sender, EvmHarness.Other, new UInt256(3), Assembler.Assemble(InitCode), 100_000);
        Assert.True(result.Success, result.Error);
        Assert.Equal(EvmHarness.Other, result.CreatedAddress);
        Assert.Equal(new UInt256(3), harness.State.GetBalance(EvmHarness.Other));
        Assert.Equal(100_000 - (17 + 1600), result.GasLeft);
    }

    [Theory]
    [InlineData(24576, true)]
    [InlineData(24577, false)]
    public void CodeDeposit_EnforcesEip170Limit(int size, bool succeeds)
    {
        var harness = new EvmHarness();
        harness.State.BeginTransaction();
        var init = Assembler.Assemble($"PUSH2 {size} PUSH0 RETURN");
        var result = harness.Vm.Create(EvmHarness.Sender, EvmHarness.Other, default, init, 10_000_000);
        Assert.Equal(succeeds, result.Success);
        Assert.Equal(succeeds ? size : 0, harness.State.GetCode(EvmHarness.Other).Length);
    }

    [Fact]
    public void CodeDeposit_RejectsEfPrefix()
    {
        var harness = new EvmHarness();
        harness.State.BeginTransaction();
        var init = Assembler.Assemble("PUSH1 0xef PUSH0 MSTORE8 PUSH1 1 PUSH0 RETURN");
        var result = harness.Vm.Create(EvmHarness.Sender, EvmHarness.Other, default, init, 100_000);
        Assert.False(result.Success);
        Assert.Contains("0xEF", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, result.GasLeft);

        var fe = new EvmHarness();
        fe.State.BeginTransaction();
        Assert.True(fe.Vm.Create(EvmHarness.Sender, EvmHarness.Other, default, Assembler.Assemble("PUSH1 0xfe PUSH0 MSTORE8 PUSH1 1 PUSH0 RETURN"), 100_000).Success);
    }

    [Fact]
    public void CodeDeposit_WithoutGasForIt_FailsTheCreation()
    {
        var harness = new EvmHarness();
        harness.State.BeginTransaction();
        var result = harness.Vm.Create(EvmHarness.Sender, EvmHarness.Other, default, Assembler.Assemble(InitCode), 17 + 1599);
        Assert.False(result.Success);
        Assert.Equal("out of gas", result.Error);
        Assert.Equal(0, harness.State.GetCode(EvmHarness.Other).Length);
    }

    [Fact]
    public void SelfDestruct_OfAnOldContract_MovesTheBalanceButKeepsTheAccount()
    {
        var harness = new EvmHarness();
        harness.State.Put(EvmHarness.Contract, balance: new UInt256(100), code: Assembler.Assemble($"PUSH20 {EvmHarness.Other} SELFDESTRUCT"), nonce: 1);
        var result = harness.Run(string.Empty, gas: 100_000);
        Assert.True(result.Success, result.Error);

        // 3 + 5000 + 2600 cold beneficiary + 25000 for sending value to a dead account.
        Assert.Equal(3 + 5000 + 2600 + 25000, EvmHarness.Used(result, 100_000));
        harness.State.EndTransaction();
        Assert.Equal(new UInt256(100), harness.State.GetBalance(EvmHarness.Other));
        Assert.Equal(UInt256.Zero, harness.State.GetBalance(EvmHarness.Contract));
        Assert.True(harness.State.GetCode(EvmHarness.Contract).Length > 0);
    }

    [Fact]
    public void SelfDestruct_ToItselfOfAnOldContract_KeepsTheBalance()
    {
        var harness = new EvmHarness();
        harness.State.Put(EvmHarness.Contract, balance: new UInt256(100), code: Assembler.Assemble("ADDRESS SELFDESTRUCT"), nonce: 1);
        Assert.True(harness.Run(string.Empty).Success);
        harness.State.EndTransaction();
        Assert.Equal(new UInt256(100), harness.State.GetBalance(EvmHarness.Contract));
    }

    [Fact]
    public void SelfDestruct_InTheCreatingTransaction_DeletesTheAccount()
    {
        var harness = new EvmHarness();
        harness.State.BeginTransaction();
        var init = Assembler.Assemble($"PUSH20 {EvmHarness.Contract} SELFDESTRUCT");
        var result = harness.Vm.Create(EvmHarness.Sender, EvmHarness.Other, new UInt256(50), init, 100_000);
        Assert.True(result.Success, result.Error);
        harness.State.EndTransaction();
        Assert.False(harness.State.AccountExists(EvmHarness.Other));
        Assert.Equal(new UInt256(50), harness.State.GetBalance(EvmHarness.Contract));
    }

    [Fact]
    public void SelfDestruct_ToItselfInTheCreatingTransaction_BurnsTheBalance()
    {
        var harness = new EvmHarness();
        harness.State.BeginTransaction();
        var result = harness.Vm.Create(EvmHarness.Sender, EvmHarness.Other, new UInt256(50), Assembler.Assemble("ADDRESS SELFDESTRUCT"), 100_000);
        Assert.True(result.Success, result.Error);
        Assert.Equal(UInt256.Zero, harness.State.GetBalance(EvmHarness.Other));
        harness.State.EndTransaction();
        Assert.False(harness.State.AccountExists(EvmHarness.Other));
    }

    [Fact]
    public void Log2_RecordsTopicsInStackOrderWithExactGas()
    {
        var harness = new EvmHarness();
        var result = harness.Run("PUSH1 0xaa PUSH0 MSTORE8 PUSH1 2 PUSH1 1 PUSH1 1 PUSH0 LOG2 STOP");
        Assert.True(result.Success, result.Error);
        var log = Assert.Single(harness.Vm.Logs);
        Assert.Equal(EvmHarness.Contract, log.Address);
        Assert.Equal([new Hash256(new UInt256(1).ToBigEndian()), new Hash256(new UInt256(2).ToBigEndian())], log.Topics);
        Assert.Equal(new byte[] { 0xaa }, log.Data);

        // MSTORE8 3 + 3 memory; LOG2 375 + 2 * 375 + 8 per byte.
        Assert.Equal(3 + 2 + 6 + 3 + 3 + 3 + 2 + 375 + 750 + 8, EvmHarness.Used(result));
    }

    [Fact]
    public void Logs_OfAFailedTransaction_AreEmpty()
    {
        var harness = new EvmHarness();
        harness.Run("PUSH0 PUSH0 LOG0 PUSH0 PUSH0 REVERT");
        Assert.Empty(harness.Vm.Logs);
    }
}
