using Trellis.Core;
using Trellis.Crypto;
using Trellis.Evm.Processing;
using Trellis.State;
using Trellis.State.Storage;

namespace Trellis.Evm.Tests.Processing;

/// <summary>
/// Valid transactions: gas purchase, EIP-1559 fee split, refunds (EIP-3529 cap), warm addresses (EIP-2929/2930/3651),
/// contract addresses and blob gas. Expected figures are worked out from the yellow paper and the EIPs in comments.
/// </summary>
public class TransactionProcessorTests
{
    private static readonly Address s_sender = Address.Parse("0x6ac7ea33f8831ea9dcc53393aaa88b25a785dbf0");
    private static readonly Address s_to = Address.Parse("0x095e7baea6a6c7c4c2dfeb977efac326af552d87");
    private static readonly Address s_coinbase = Address.Parse("0x2adc25665018aa1fe0e6bc666dac8fc2697ff9ba");
    private static readonly UInt256 s_balance = new(1_000_000_000_000_000_000);

    private readonly WorldState _state;
    private readonly TransactionProcessor _processor = new(CryptoSuites.Standard);

    public TransactionProcessorTests()
    {
        _state = new WorldState(new MemoryStore(), CryptoSuites.Standard);
        _state.AddBalance(s_sender, s_balance);
        _state.AddBalance(s_coinbase, UInt256.One);
    }

    private static BlockContext Block(ulong baseFee = 7, ulong blobBaseFee = 1) =>
        new(s_coinbase, 1, 1000, 30_000_000, UInt256.Zero, baseFee, blobBaseFee, 1);

    private static EvmTransaction Legacy(Address? to, byte[] data, long gas = 100_000, ulong value = 0, ulong gasPrice = 10, ulong nonce = 0) =>
        EvmTransaction.Legacy(s_sender, to, nonce, gas, value, data, gasPrice);

    private TransactionResult Execute(EvmTransaction tx, BlockContext? block = null)
    {
        var result = _processor.Execute(_state, block ?? Block(), tx);
        Assert.Equal(TransactionError.None, result.Error);
        return result;
    }

    [Fact]
    public void Execute_TransferMovesValueBuysGasAndPaysTheTipToTheCoinbase()
    {
        var result = Execute(Legacy(s_to, [], value: 1234));
        Assert.True(result.Success);
        Assert.Equal(21_000, result.GasUsed);
        // Sender: value + 21000 * 10; recipient: value; coinbase: 21000 * (10 - 7), the base fee is burned.
        Assert.Equal(s_balance - new UInt256(1234 + (21_000 * 10)), _state.GetBalance(s_sender));
        Assert.Equal(new UInt256(1234), _state.GetBalance(s_to));
        Assert.Equal(new UInt256(1 + (21_000 * 3)), _state.GetBalance(s_coinbase));
        Assert.Equal(1UL, _state.GetNonce(s_sender));
    }

    [Fact]
    public void Execute_DynamicFeeChargesBaseFeePlusPriorityCappedByMaxFee()
    {
        // Effective price = min(maxFee 20, base 7 + priority 2) = 9; the coinbase earns 2 per gas.
        var tx = Legacy(s_to, []) with { Type = EvmTransaction.DynamicFeeType, MaxFeePerGas = 20, MaxPriorityFeePerGas = 2 };
        Execute(tx);
        Assert.Equal(s_balance - new UInt256(21_000 * 9), _state.GetBalance(s_sender));
        Assert.Equal(new UInt256(1 + (21_000 * 2)), _state.GetBalance(s_coinbase));

        // Effective price = min(maxFee 8, 7 + 5) = 8; the coinbase earns 1 per gas.
        var capped = tx with { Nonce = 1, MaxFeePerGas = 8, MaxPriorityFeePerGas = 5 };
        Execute(capped);
        Assert.Equal(s_balance - new UInt256((21_000 * 9) + (21_000 * 8)), _state.GetBalance(s_sender));
        Assert.Equal(new UInt256(1 + (21_000 * 2) + 21_000), _state.GetBalance(s_coinbase));
    }

    [Fact]
    public void Execute_CreationDeploysAtTheKeccakOfRlpSenderAndNonce()
    {
        // Published example: 0x6ac7ea33...dbf0 creates 0xcd234a47...cd8d with nonce 0 and 0x343c43a3...fcf8 with nonce 1.
        var first = Execute(Legacy(null, [0x00]));
        Assert.True(first.Success);
        Assert.Equal(Address.Parse("0xcd234a471b72ba2f1ccf0a70fcaba648a5eecd8d"), first.ContractAddress);
        // 53000 + 4 (one zero byte) + 2 (one init-code word) + 0 (STOP).
        Assert.Equal(53_006, first.GasUsed);
        Assert.Equal(1UL, _state.GetNonce(first.ContractAddress!.Value));

        var second = Execute(Legacy(null, [0x00], nonce: 1));
        Assert.Equal(Address.Parse("0x343c43a37d37dff08ae8c4a11544c718abb4fcf8"), second.ContractAddress);
    }

    [Fact]
    public void Execute_CreationInTheNationalSuiteUsesSm3ForTheAddress()
    {
        var suite = CryptoSuites.National;
        var state = new WorldState(new MemoryStore(), suite);
        state.AddBalance(s_sender, s_balance);
        var result = new TransactionProcessor(suite).Execute(state, Block(), Legacy(null, [0x00]));
        Assert.True(result.Success, result.ErrorMessage ?? result.ExecutionError);

        // RLP([sender, 0]) by hand: 0xd6 (list of 22 bytes), 0x94 + 20 address bytes, 0x80 (zero).
        var rlp = new byte[23];
        rlp[0] = 0xd6;
        rlp[1] = 0x94;
        s_sender.Bytes.CopyTo(rlp.AsSpan(2));
        rlp[22] = 0x80;
        Assert.Equal(Address.FromHash(suite.Hash(rlp)), result.ContractAddress);
        Assert.NotEqual(Address.Parse("0xcd234a471b72ba2f1ccf0a70fcaba648a5eecd8d"), result.ContractAddress);
    }

    [Fact]
    public void Execute_AppliesTheRefundUpToAFifthOfGasUsed()
    {
        // Two committed slots (original values 1) cleared by PUSH1 0 PUSH1 k SSTORE twice, then STOP.
        _state.SetCode(s_to, Hex.Decode("0x6000600055600060015500"));
        _state.SetStorage(s_to, UInt256.Zero, UInt256.One);
        _state.SetStorage(s_to, UInt256.One, UInt256.One);
        _state.BeginTransaction();
        _state.EndTransaction();

        var result = Execute(Legacy(s_to, []));
        // 21000 + 4 PUSH1 (12) + 2 cold SSTORE resets (2100 + 2900 each) = 31012; refund 2 * 4800 = 9600 is capped
        // at 31012 / 5 = 6202 (EIP-3529).
        Assert.True(result.Success);
        Assert.Equal(31_012 - 6_202, result.GasUsed);
        Assert.Equal(UInt256.Zero, _state.GetStorage(s_to, UInt256.Zero));
    }

    [Fact]
    public void Execute_AppliesARefundBelowTheCapInFull()
    {
        _state.SetCode(s_to, Hex.Decode("0x6000600055"));
        _state.SetStorage(s_to, UInt256.Zero, UInt256.One);
        _state.BeginTransaction();
        _state.EndTransaction();

        var result = Execute(Legacy(s_to, []));
        // 21000 + 6 + 5000 = 26006; refund 4800 < 26006 / 5 = 5201.
        Assert.Equal(26_006 - 4_800, result.GasUsed);
    }

    [Fact]
    public void Execute_AnExceptionalHaltUsesAllGasKeepsTheNonceBumpAndUndoesTheValue()
    {
        _state.SetCode(s_to, new byte[] { 0xfe });
        var result = Execute(Legacy(s_to, [], gas: 50_000, value: 99));
        Assert.False(result.Success);
        Assert.Equal(50_000, result.GasUsed);
        Assert.NotNull(result.ExecutionError);
        Assert.Equal(1UL, _state.GetNonce(s_sender));
        Assert.Equal(UInt256.Zero, _state.GetBalance(s_to));
        Assert.Equal(s_balance - new UInt256(50_000 * 10), _state.GetBalance(s_sender));
        Assert.Empty(result.Logs);
    }

    [Fact]
    public void Execute_RevertReturnsTheRemainingGas()
    {
        // PUSH1 0 PUSH1 0 REVERT: 21000 + 3 + 3.
        _state.SetCode(s_to, Hex.Decode("0x60006000fd"));
        var result = Execute(Legacy(s_to, [], gas: 50_000));
        Assert.False(result.Success);
        Assert.Equal(21_006, result.GasUsed);
        Assert.Equal(s_balance - new UInt256(21_006 * 10), _state.GetBalance(s_sender));
    }

    [Fact]
    public void Execute_TheCoinbaseIsWarm()
    {
        // COINBASE BALANCE POP STOP: 21000 + 2 + 100 (warm, EIP-3651; cold would be 2600) + 2.
        _state.SetCode(s_to, Hex.Decode("0x41315000"));
        Assert.Equal(21_104, Execute(Legacy(s_to, [])).GasUsed);
    }

    [Fact]
    public void Execute_PrecompilesAndTheSenderAreWarm()
    {
        // PUSH1 9 BALANCE POP CALLER BALANCE POP STOP: 21000 + 2 * (3 or 2, + 100 warm, + 2).
        _state.SetCode(s_to, Hex.Decode("0x6009315033315000"));
        Assert.Equal(21_000 + 3 + 100 + 2 + 2 + 100 + 2, Execute(Legacy(s_to, [])).GasUsed);
    }

    [Fact]
    public void Execute_TheAccessListWarmsItsAddressesAndSlots()
    {
        // PUSH1 5 SLOAD STOP with slot 5 in the access list: 21000 + 2400 + 1900 + 3 + 100 (warm; cold is 2100).
        _state.SetCode(s_to, Hex.Decode("0x60055400"));
        var tx = Legacy(s_to, []) with { Type = EvmTransaction.AccessListType, AccessList = [new AccessListEntry(s_to, [new UInt256(5)])] };
        Assert.Equal(25_403, Execute(tx).GasUsed);

        // Without it the slot is cold.
        Assert.Equal(21_000 + 3 + 2_100, Execute(Legacy(s_to, [], nonce: 1)).GasUsed);
    }

    [Fact]
    public void Execute_BlobGasIsBoughtAtTheBlobBaseFeeAndBurned()
    {
        var hashes = new List<Hash256> { new(Hex.Decode("0x01" + new string('0', 62))), new(Hex.Decode("0x01" + new string('1', 62))) };
        var tx = Legacy(s_to, []) with
        {
            Type = EvmTransaction.BlobType,
            MaxFeePerGas = 10,
            MaxPriorityFeePerGas = 1,
            BlobVersionedHashes = hashes,
            MaxFeePerBlobGas = 5,
        };
        Execute(tx, Block(blobBaseFee: 3));
        // Gas: 21000 * (7 + 1); blobs: 2 * 131072 * 3 (the blob base fee, not the cap); the coinbase earns 21000 * 1.
        Assert.Equal(s_balance - new UInt256((21_000 * 8) + (2 * 131_072 * 3)), _state.GetBalance(s_sender));
        Assert.Equal(new UInt256(1 + 21_000), _state.GetBalance(s_coinbase));
    }

    [Fact]
    public void Execute_AnEmptyCoinbaseEarningNothingIsRemoved()
    {
        // EIP-161: the fee payment touches the coinbase even when the tip is zero, and a touched empty account is deleted.
        var emptyCoinbase = Address.Parse("0x00000000000000000000000000000000000c0ffe");
        _state.CreateAccount(emptyCoinbase);
        _state.BeginTransaction();
        _state.EndTransaction();
        Assert.True(_state.AccountExists(emptyCoinbase));

        var block = Block() with { Coinbase = emptyCoinbase };
        Execute(Legacy(s_to, [], gasPrice: 7), block);
        Assert.False(_state.AccountExists(emptyCoinbase));
    }

    [Fact]
    public void Execute_ReturnsTheLogsOfASuccessfulCall()
    {
        // PUSH1 0xaa PUSH1 0 MSTORE8 PUSH1 7 PUSH1 1 PUSH1 0 LOG1 STOP: one log with topic 7 and data 0xaa.
        _state.SetCode(s_to, Hex.Decode("0x60aa600053600760016000a100"));
        var result = Execute(Legacy(s_to, []));
        var log = Assert.Single(result.Logs);
        Assert.Equal(s_to, log.Address);
        Assert.Equal(new UInt256(7), UInt256.FromBigEndian(Assert.Single(log.Topics).Bytes));
        Assert.Equal(new byte[] { 0xaa }, log.Data);
    }
}
