using Trellis.Core;

namespace Trellis.Evm.Tests;

/// <summary>Environment and block-information opcodes.</summary>
public class EnvironmentTests
{
    [Fact]
    public void AddressCallerOriginAndValue_DescribeTheMessage()
    {
        var harness = new EvmHarness();
        Assert.Equal(EvmWord.FromAddress(EvmHarness.Contract), EvmHarness.Word(harness.Run("ADDRESS" + EvmHarness.ReturnTop)));
        Assert.Equal(EvmWord.FromAddress(EvmHarness.Sender), EvmHarness.Word(new EvmHarness().Run("CALLER" + EvmHarness.ReturnTop)));
        Assert.Equal(EvmWord.FromAddress(EvmHarness.Sender), EvmHarness.Word(new EvmHarness().Run("ORIGIN" + EvmHarness.ReturnTop)));
        Assert.Equal(new UInt256(5), EvmHarness.Word(new EvmHarness().Run("CALLVALUE" + EvmHarness.ReturnTop, value: new UInt256(5))));
        Assert.Equal(new UInt256(10), EvmHarness.Word(new EvmHarness().Run("GASPRICE" + EvmHarness.ReturnTop)));
    }

    [Fact]
    public void CallValue_IsTransferredBeforeTheCodeRuns()
    {
        var harness = new EvmHarness();
        var result = harness.Run("SELFBALANCE" + EvmHarness.ReturnTop, value: new UInt256(1234));
        Assert.Equal(new UInt256(1234), EvmHarness.Word(result));
        Assert.Equal(new UInt256(1_000_000_000_000_000_000UL - 1234), harness.State.GetBalance(EvmHarness.Sender));
    }

    [Fact]
    public void CallData_LoadsPadsAndCopies()
    {
        byte[] input = [1, 2, 3];
        var load = new EvmHarness().Run("PUSH1 1 CALLDATALOAD" + EvmHarness.ReturnTop, input: input);
        Assert.Equal(UInt256.Parse("0x0203000000000000000000000000000000000000000000000000000000000000"), EvmHarness.Word(load));
        var size = new EvmHarness().Run("CALLDATASIZE" + EvmHarness.ReturnTop, input: input);
        Assert.Equal(new UInt256(3), EvmHarness.Word(size));
        var beyond = new EvmHarness().Run("PUSH32 0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff CALLDATALOAD" + EvmHarness.ReturnTop, input: input);
        Assert.Equal(UInt256.Zero, EvmHarness.Word(beyond));

        // CALLDATACOPY(0, 2, 32): 3 + 3 per word + 3 for memory; bytes past the end are zero.
        var copy = new EvmHarness().Run("PUSH1 32 PUSH1 2 PUSH0 CALLDATACOPY PUSH1 32 PUSH0 RETURN", input: input);
        Assert.Equal([3, .. new byte[31]], copy.Output);
        Assert.Equal(3 + 3 + 2 + 3 + 3 + 3 + 3 + 2, EvmHarness.Used(copy));
    }

    [Fact]
    public void BlockOpcodes_ReturnTheBlockContext()
    {
        Assert.Equal(EvmWord.FromAddress(EvmHarness.Coinbase), EvmHarness.Word(new EvmHarness().Run("COINBASE" + EvmHarness.ReturnTop)));
        Assert.Equal(new UInt256(1_700_000_000), EvmHarness.Word(new EvmHarness().Run("TIMESTAMP" + EvmHarness.ReturnTop)));
        Assert.Equal(new UInt256(100), EvmHarness.Word(new EvmHarness().Run("NUMBER" + EvmHarness.ReturnTop)));
        Assert.Equal(new UInt256(0xabcdef), EvmHarness.Word(new EvmHarness().Run("PREVRANDAO" + EvmHarness.ReturnTop)));
        Assert.Equal(new UInt256(30_000_000), EvmHarness.Word(new EvmHarness().Run("GASLIMIT" + EvmHarness.ReturnTop)));
        Assert.Equal(UInt256.One, EvmHarness.Word(new EvmHarness().Run("CHAINID" + EvmHarness.ReturnTop)));
        Assert.Equal(new UInt256(7), EvmHarness.Word(new EvmHarness().Run("BASEFEE" + EvmHarness.ReturnTop)));
        Assert.Equal(UInt256.One, EvmHarness.Word(new EvmHarness().Run("BLOBBASEFEE" + EvmHarness.ReturnTop)));
    }

    [Fact]
    public void BlockHash_CoversOnlyThe256PreviousBlocks()
    {
        var block = new BlockContext(EvmHarness.Coinbase, 1000, 1, 30_000_000, default, default, default, 1,
            n => new Hash256(new UInt256(n + 0x1000).ToBigEndian()));
        Assert.Equal(new UInt256(999 + 0x1000), EvmHarness.Word(new EvmHarness(block).Run("PUSH2 999 BLOCKHASH" + EvmHarness.ReturnTop)));
        Assert.Equal(new UInt256(744 + 0x1000), EvmHarness.Word(new EvmHarness(block).Run("PUSH2 744 BLOCKHASH" + EvmHarness.ReturnTop)));
        Assert.Equal(UInt256.Zero, EvmHarness.Word(new EvmHarness(block).Run("PUSH2 743 BLOCKHASH" + EvmHarness.ReturnTop)));
        Assert.Equal(UInt256.Zero, EvmHarness.Word(new EvmHarness(block).Run("PUSH2 1000 BLOCKHASH" + EvmHarness.ReturnTop)));
        var cost = new EvmHarness(block).Run("PUSH2 999 BLOCKHASH STOP");
        Assert.Equal(3 + 20, EvmHarness.Used(cost));
    }

    [Fact]
    public void BlobHash_IndexesTheTransactionsHashes()
    {
        var hash = Hash256.Parse("0x01" + new string('a', 62));
        var transaction = new TransactionContext(EvmHarness.Sender, default, [hash]);
        Assert.Equal(EvmWord.FromHash(hash), EvmHarness.Word(new EvmHarness(transaction: transaction).Run("PUSH0 BLOBHASH" + EvmHarness.ReturnTop)));
        Assert.Equal(UInt256.Zero, EvmHarness.Word(new EvmHarness(transaction: transaction).Run("PUSH1 1 BLOBHASH" + EvmHarness.ReturnTop)));
        Assert.Equal(2 + 3, EvmHarness.Used(new EvmHarness(transaction: transaction).Run("PUSH0 BLOBHASH STOP")));
    }

    [Fact]
    public void AccountQueries_ChargeColdThenWarmAccess()
    {
        var harness = new EvmHarness();
        harness.State.Put(EvmHarness.Other, balance: new UInt256(77), code: [0x60, 0x01]);
        var result = harness.Run("PUSH20 0x3000000000000000000000000000000000000003 BALANCE PUSH20 0x3000000000000000000000000000000000000003 EXTCODESIZE ADD" + EvmHarness.ReturnTop);
        Assert.Equal(new UInt256(79), EvmHarness.Word(result));
        Assert.Equal(3 + 2600 + 3 + 100 + 3 + EvmHarness.ReturnTopGas, EvmHarness.Used(result));
    }

    [Fact]
    public void ExtCodeHash_IsZeroForMissingAndEmptyAccounts()
    {
        var harness = new EvmHarness();
        harness.State.Put(EvmHarness.Other, code: [0x00]);
        var present = harness.Run("PUSH20 0x3000000000000000000000000000000000000003 EXTCODEHASH" + EvmHarness.ReturnTop);
        Assert.Equal(EvmWord.FromHash(Keccak256.Hash([0x00])), EvmHarness.Word(present));

        var missing = new EvmHarness().Run("PUSH20 0x3000000000000000000000000000000000000003 EXTCODEHASH" + EvmHarness.ReturnTop);
        Assert.Equal(UInt256.Zero, EvmHarness.Word(missing));

        var emptyHarness = new EvmHarness();
        emptyHarness.State.Put(EvmHarness.Other);
        Assert.Equal(UInt256.Zero, EvmHarness.Word(emptyHarness.Run("PUSH20 0x3000000000000000000000000000000000000003 EXTCODEHASH" + EvmHarness.ReturnTop)));

        // An account with balance but no code hashes to Keccak("") (EIP-1052).
        var funded = new EvmHarness();
        funded.State.Put(EvmHarness.Other, balance: UInt256.One);
        Assert.Equal(UInt256.Parse("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"), EvmHarness.Word(funded.Run("PUSH20 0x3000000000000000000000000000000000000003 EXTCODEHASH" + EvmHarness.ReturnTop)));
    }

    [Fact]
    public void ExtCodeCopy_PadsWithZeros()
    {
        var harness = new EvmHarness();
        harness.State.Put(EvmHarness.Other, code: [0xaa, 0xbb]);
        var result = harness.Run("PUSH1 4 PUSH1 1 PUSH0 PUSH20 0x3000000000000000000000000000000000000003 EXTCODECOPY PUSH1 4 PUSH0 RETURN");
        Assert.Equal(new byte[] { 0xbb, 0, 0, 0 }, result.Output);
    }
}
