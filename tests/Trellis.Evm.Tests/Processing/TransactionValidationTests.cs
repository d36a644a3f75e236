using Trellis.Core;
using Trellis.Crypto;
using Trellis.Evm.Processing;
using Trellis.State;
using Trellis.State.Storage;

namespace Trellis.Evm.Tests.Processing;

/// <summary>
/// Invalid transactions are rejected with the right reason and change nothing: the state root, the sender's
/// balance and nonce stay as they were (these never reach the interpreter).
/// </summary>
public class TransactionValidationTests
{
    private static readonly Address s_sender = Address.Parse("0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b");
    private static readonly Address s_to = Address.Parse("0x095e7baea6a6c7c4c2dfeb977efac326af552d87");
    private static readonly Address s_coinbase = Address.Parse("0x2adc25665018aa1fe0e6bc666dac8fc2697ff9ba");
    private static readonly UInt256 s_balance = new(1_000_000_000_000_000_000);

    private readonly WorldState _state;
    private readonly Hash256 _root;
    private readonly TransactionProcessor _processor = new(CryptoSuites.Standard);

    public TransactionValidationTests()
    {
        _state = new WorldState(new MemoryStore(), CryptoSuites.Standard);
        _state.AddBalance(s_sender, s_balance);
        _state.SetNonce(s_sender, 5);
        _root = _state.ComputeStateRoot();
    }

    private static BlockContext Block(ulong baseFee = 7, ulong blobBaseFee = 1) =>
        new(s_coinbase, 1, 1000, 30_000_000, UInt256.Zero, baseFee, blobBaseFee, 1);

    private static EvmTransaction Legacy(ulong nonce = 5, long gas = 21_000, ulong gasPrice = 10, ulong value = 1) =>
        EvmTransaction.Legacy(s_sender, s_to, nonce, gas, value, ReadOnlyMemory<byte>.Empty, gasPrice);

    private static EvmTransaction Dynamic(ulong maxFee, ulong maxPriority) =>
        Legacy() with { Type = EvmTransaction.DynamicFeeType, MaxFeePerGas = maxFee, MaxPriorityFeePerGas = maxPriority };

    private static EvmTransaction Blob(int blobs, ulong maxFeePerBlobGas = 10, byte version = 1)
    {
        var hashes = new List<Hash256>();
        for (int i = 0; i < blobs; i++)
        {
            var bytes = new byte[32];
            bytes[0] = version;
            bytes[31] = (byte)i;
            hashes.Add(new Hash256(bytes));
        }

        return Dynamic(10, 1) with { Type = EvmTransaction.BlobType, BlobVersionedHashes = hashes, MaxFeePerBlobGas = maxFeePerBlobGas };
    }

    private void AssertRejected(TransactionError expected, string messagePart, EvmTransaction tx, BlockContext? block = null)
    {
        var result = _processor.Execute(_state, block ?? Block(), tx);
        Assert.Equal(expected, result.Error);
        Assert.True(result.IsRejected);
        Assert.False(result.Success);
        Assert.Equal(0, result.GasUsed);
        Assert.Contains(messagePart, result.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(_root, _state.ComputeStateRoot());
        Assert.Equal(s_balance, _state.GetBalance(s_sender));
        Assert.Equal(5UL, _state.GetNonce(s_sender));
    }

    [Fact]
    public void Execute_RejectsNonceBelowTheAccountNonce() =>
        AssertRejected(TransactionError.NonceTooLow, "nonce too low: 4 < expected 5", Legacy(nonce: 4));

    [Fact]
    public void Execute_RejectsNonceAboveTheAccountNonce() =>
        AssertRejected(TransactionError.NonceTooHigh, "nonce too high: 6 > expected 5", Legacy(nonce: 6));

    [Fact]
    public void Execute_RejectsASenderWhoseNonceIsAtTheMaximum()
    {
        _state.SetNonce(s_sender, ulong.MaxValue);
        var result = _processor.Execute(_state, Block(), Legacy(nonce: ulong.MaxValue));
        Assert.Equal(TransactionError.NonceMax, result.Error);
        Assert.Equal(ulong.MaxValue, _state.GetNonce(s_sender));
    }

    [Fact]
    public void Execute_RejectsGasLimitBelowIntrinsicGas() =>
        AssertRejected(TransactionError.IntrinsicGasTooLow, "gas limit 20999 < intrinsic gas 21000", Legacy(gas: 20_999));

    [Fact]
    public void Execute_RejectsANegativeGasLimit() =>
        AssertRejected(TransactionError.MalformedTransaction, "negative", Legacy(gas: -1));

    [Fact]
    public void Execute_RejectsGasLimitAboveTheBlockGasLimit() =>
        AssertRejected(TransactionError.GasLimitExceedsBlock, "exceeds the block gas limit", Legacy(gas: 30_000_001));

    [Fact]
    public void Execute_RejectsGasPriceBelowBaseFee() =>
        AssertRejected(TransactionError.FeeCapBelowBaseFee, "gas price 6 < block base fee 7", Legacy(gasPrice: 6));

    [Fact]
    public void Execute_RejectsMaxFeeBelowBaseFee() =>
        AssertRejected(TransactionError.FeeCapBelowBaseFee, "max fee per gas 6 < block base fee 7", Dynamic(6, 1));

    [Fact]
    public void Execute_RejectsPriorityFeeAboveMaxFee() =>
        AssertRejected(TransactionError.PriorityFeeAboveFeeCap, "max priority fee per gas 11 > max fee per gas 10", Dynamic(10, 11));

    [Fact]
    public void Execute_RejectsBalanceBelowGasTimesFeeCapPlusValue()
    {
        // 21000 * 10 + value must be covered; one wei short.
        var value = (ulong)s_balance - (21_000 * 10) + 1;
        AssertRejected(TransactionError.InsufficientFunds, "insufficient funds", Legacy(value: value));
    }

    [Fact]
    public void Execute_ChecksTheBalanceAgainstTheFeeCapNotTheEffectivePrice()
    {
        // Effective price would be 7 + 1 = 8, but the balance must cover gas * max fee (1e18 / 21000 + 1 per gas).
        ulong maxFee = ((ulong)s_balance / 21_000) + 1;
        AssertRejected(TransactionError.InsufficientFunds, "insufficient funds", Dynamic(maxFee, 1) with { Value = UInt256.Zero });
    }

    [Fact]
    public void Execute_RejectsAGasCostThatOverflows256Bits()
    {
        var tx = Legacy() with { GasPrice = UInt256.MaxValue / new UInt256(1000) };
        AssertRejected(TransactionError.InsufficientFunds, "overflows 256 bits", tx);
    }

    [Fact]
    public void Execute_RejectsASenderWithCode()
    {
        _state.SetCode(s_sender, new byte[] { 0x00 });
        var root = _state.ComputeStateRoot();
        var result = _processor.Execute(_state, Block(), Legacy());
        Assert.Equal(TransactionError.SenderHasCode, result.Error);
        Assert.Equal(root, _state.ComputeStateRoot());
    }

    [Fact]
    public void Execute_RejectsInitCodeLongerThan49152Bytes() =>
        AssertRejected(TransactionError.InitCodeTooLarge, "49153 bytes", Legacy(gas: 10_000_000) with { To = null, Data = new byte[49_153] });

    [Fact]
    public void Execute_RejectsABlobTransactionWithoutBlobs() =>
        AssertRejected(TransactionError.InvalidBlobTransaction, "at least one blob", Blob(0));

    [Fact]
    public void Execute_RejectsABlobTransactionThatCreatesAContract() =>
        AssertRejected(TransactionError.InvalidBlobTransaction, "cannot create a contract", Blob(1) with { To = null, GasLimit = 100_000 });

    [Fact]
    public void Execute_RejectsMoreThanSixBlobs() =>
        AssertRejected(TransactionError.InvalidBlobTransaction, "7 blobs; the limit is 6", Blob(7));

    [Fact]
    public void Execute_RejectsABlobHashWithoutTheKzgVersionByte() =>
        AssertRejected(TransactionError.InvalidBlobTransaction, "version byte 0x02", Blob(1, version: 2));

    [Fact]
    public void Execute_RejectsABlobFeeCapBelowTheBlobBaseFee() =>
        AssertRejected(TransactionError.BlobFeeCapTooLow, "max fee per blob gas 4 < blob base fee 5", Blob(1, maxFeePerBlobGas: 4), Block(blobBaseFee: 5));

    [Fact]
    public void Execute_RejectsBlobsOnANonBlobTransaction() =>
        AssertRejected(TransactionError.MalformedTransaction, "cannot carry blob versioned hashes", Blob(1) with { Type = EvmTransaction.DynamicFeeType });

    [Fact]
    public void Execute_RejectsAnAccessListOnALegacyTransaction() =>
        AssertRejected(TransactionError.MalformedTransaction, "legacy", Legacy() with { AccessList = [new AccessListEntry(s_to, [])] });

    [Fact]
    public void Execute_RejectsAnUnknownType() =>
        AssertRejected(TransactionError.MalformedTransaction, "unsupported transaction type 4", Legacy() with { Type = 4 });

    [Fact]
    public void Execute_RejectsAFeeMarketTransactionWithoutFeeFields() =>
        AssertRejected(TransactionError.MalformedTransaction, "needs max fee per gas", Legacy() with { Type = EvmTransaction.DynamicFeeType });
}
