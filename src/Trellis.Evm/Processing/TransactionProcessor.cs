using Trellis.Core;
using Trellis.Crypto;
using Trellis.Evm.SystemContracts;
using Trellis.State;

namespace Trellis.Evm.Processing;

/// <summary>
/// Applies one transaction to a world state under the Cancun rules: validation, buying gas, the message call or
/// creation, refunds and the coinbase fee (yellow paper section 6 with EIP-1559, 2930, 3529, 3607, 3651, 3860, 4844).
/// </summary>
/// <remarks>
/// An invalid transaction is rejected before anything is written, so the state is exactly as it was (a block
/// builder drops such a transaction; a state test expects the pre-state root).
/// </remarks>
public sealed class TransactionProcessor
{
    /// <summary>Longest init code a creation transaction may carry (EIP-3860: twice the EIP-170 code limit).</summary>
    public const int MaxInitCodeSize = 49_152;

    /// <summary>The refund cap divisor (EIP-3529: at most a fifth of the gas used).</summary>
    public const long MaxRefundQuotient = 5;

    /// <summary>The precompile addresses warmed by every transaction (EIP-2929): 0x01..0x0a in Cancun.</summary>
    private static readonly Address[] s_precompiles = BuildPrecompileAddresses(10);

    private readonly ICryptoSuite _suite;
    private readonly ISystemContractHost? _systemContracts;

    /// <summary>Creates a processor for a chain using <paramref name="suite"/> (its hash derives contract addresses).</summary>
    public TransactionProcessor(ICryptoSuite suite)
        : this(suite, null)
    {
    }

    /// <summary>Creates a processor whose machine also runs the native contracts of <paramref name="systemContracts"/> (null: none).</summary>
    public TransactionProcessor(ICryptoSuite suite, ISystemContractHost? systemContracts)
    {
        ArgumentNullException.ThrowIfNull(suite);
        _suite = suite;
        _systemContracts = systemContracts;
    }

    /// <summary>The native contracts this processor's machine runs, or null.</summary>
    public ISystemContractHost? SystemContracts => _systemContracts;

    /// <summary>Validates and executes <paramref name="tx"/> against <paramref name="state"/>.</summary>
    /// <returns>The outcome; a rejected transaction has <see cref="TransactionResult.Error"/> set and changed nothing.</returns>
    public TransactionResult Execute(IWorldState state, BlockContext block, EvmTransaction tx)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(tx);

        var rejection = Validate(state, block, tx, out long intrinsicGas, out UInt256 effectiveGasPrice, out UInt256 upfrontCost);
        if (rejection is not null)
        {
            return rejection;
        }

        var sender = tx.Sender;
        state.BeginTransaction();
        state.SubtractBalance(sender, upfrontCost);
        state.SetNonce(sender, tx.Nonce + 1);

        Address target = tx.To ?? ContractAddresses.FromNonce(_suite, sender, tx.Nonce);
        WarmUp(state, block, tx, target);

        var vm = new VirtualMachine(state, block, new TransactionContext(sender, effectiveGasPrice, tx.BlobVersionedHashes), _systemContracts);
        long executionGas = tx.GasLimit - intrinsicGas;
        ExecutionResult execution = tx.To is null
            ? vm.Create(sender, target, tx.Value, tx.Data, executionGas)
            : vm.Call(sender, target, tx.Value, tx.Data, executionGas);

        long gasLeft = Math.Clamp(execution.GasLeft, 0, executionGas);
        long gasUsed = tx.GasLimit - gasLeft;
        // A failed top frame reverts the refund counter with everything else (it is journaled in other clients).
        long refund = execution.Success ? Math.Min(Math.Max(vm.Refund, 0), gasUsed / MaxRefundQuotient) : 0;
        gasLeft += refund;
        gasUsed -= refund;

        UInt256.Multiply((ulong)gasLeft, effectiveGasPrice, out UInt256 repayment);
        if (!repayment.IsZero)
        {
            state.AddBalance(sender, repayment);
        }

        // The base fee is burned; the coinbase gets the priority part. The coinbase is touched even when the tip is
        // zero, so an empty coinbase is removed at the end of the transaction (EIP-161), as every client does.
        UInt256.Subtract(effectiveGasPrice, block.BaseFee, out UInt256 tip);
        UInt256.Multiply((ulong)gasUsed, tip, out UInt256 coinbaseFee);
        if (coinbaseFee.IsZero)
        {
            state.Touch(block.Coinbase);
        }
        else
        {
            state.AddBalance(block.Coinbase, coinbaseFee);
        }

        state.EndTransaction();

        return new TransactionResult(
            TransactionError.None,
            null,
            execution.Success,
            gasUsed,
            execution.Success ? vm.Logs : [],
            execution.Output ?? [],
            execution.Success && tx.To is null ? execution.CreatedAddress ?? target : null)
        {
            ExecutionError = execution.Success ? null : execution.Error ?? (execution.Reverted ? "revert" : "execution failed"),
            UsedPointEvaluationPrecompile = vm.UsedPointEvaluationPrecompile,
        };
    }

    /// <summary>
    /// Checks everything that makes a transaction invalid, without writing. Returns null when valid, with the
    /// intrinsic gas, the effective gas price and the up-front cost (gas limit * effective price + blob fee).
    /// </summary>
    private static TransactionResult? Validate(IWorldState state, BlockContext block, EvmTransaction tx, out long intrinsicGas, out UInt256 effectiveGasPrice, out UInt256 upfrontCost)
    {
        intrinsicGas = 0;
        effectiveGasPrice = default;
        upfrontCost = default;

        var shape = CheckShape(tx);
        if (shape is not null)
        {
            return TransactionResult.Rejected(TransactionError.MalformedTransaction, shape);
        }

        intrinsicGas = IntrinsicGas.Compute(tx);
        if (tx.GasLimit < intrinsicGas)
        {
            return TransactionResult.Rejected(TransactionError.IntrinsicGasTooLow, $"intrinsic gas too low: gas limit {tx.GasLimit} < intrinsic gas {intrinsicGas}");
        }

        if (tx.GasLimit > block.GasLimit)
        {
            return TransactionResult.Rejected(TransactionError.GasLimitExceedsBlock, $"gas limit {tx.GasLimit} exceeds the block gas limit {block.GasLimit}");
        }

        if (tx.IsContractCreation && tx.Data.Length > MaxInitCodeSize)
        {
            return TransactionResult.Rejected(TransactionError.InitCodeTooLarge, $"init code is {tx.Data.Length} bytes; the limit is {MaxInitCodeSize} (EIP-3860)");
        }

        ulong stateNonce = state.GetNonce(tx.Sender);
        if (tx.Nonce < stateNonce)
        {
            return TransactionResult.Rejected(TransactionError.NonceTooLow, $"nonce too low: {tx.Nonce} < expected {stateNonce}");
        }

        if (tx.Nonce > stateNonce)
        {
            return TransactionResult.Rejected(TransactionError.NonceTooHigh, $"nonce too high: {tx.Nonce} > expected {stateNonce}");
        }

        if (stateNonce == ulong.MaxValue)
        {
            return TransactionResult.Rejected(TransactionError.NonceMax, $"nonce {stateNonce} is the maximum and cannot be incremented (EIP-2681)");
        }

        if (!state.GetCode(tx.Sender).IsEmpty)
        {
            return TransactionResult.Rejected(TransactionError.SenderHasCode, $"sender {tx.Sender} has code and cannot originate transactions (EIP-3607)");
        }

        // The most the sender can be charged per unit of gas: the fee cap (EIP-1559) or the gas price.
        UInt256 feeCap;
        if (tx.Type >= EvmTransaction.DynamicFeeType)
        {
            feeCap = tx.MaxFeePerGas!.Value;
            var priorityFee = tx.MaxPriorityFeePerGas!.Value;
            if (priorityFee > feeCap)
            {
                return TransactionResult.Rejected(TransactionError.PriorityFeeAboveFeeCap, $"max priority fee per gas {priorityFee} > max fee per gas {feeCap}");
            }

            if (feeCap < block.BaseFee)
            {
                return TransactionResult.Rejected(TransactionError.FeeCapBelowBaseFee, $"max fee per gas {feeCap} < block base fee {block.BaseFee}");
            }

            effectiveGasPrice = UInt256.AddOverflow(block.BaseFee, priorityFee, out UInt256 sum) || sum > feeCap ? feeCap : sum;
        }
        else
        {
            feeCap = tx.GasPrice;
            if (feeCap < block.BaseFee)
            {
                return TransactionResult.Rejected(TransactionError.FeeCapBelowBaseFee, $"gas price {feeCap} < block base fee {block.BaseFee}");
            }

            effectiveGasPrice = feeCap;
        }

        UInt256 blobFeeCapTotal = UInt256.Zero;
        UInt256 blobFee = UInt256.Zero;
        if (tx.Type == EvmTransaction.BlobType)
        {
            var blobRejection = CheckBlobs(block, tx);
            if (blobRejection is not null)
            {
                return blobRejection;
            }

            ulong blobGas = (ulong)tx.BlobVersionedHashes.Count * BlobGas.PerBlob;
            // Neither product can overflow: the blob gas is at most 6 * 2^17 and checked fee values are 256-bit,
            // but a hostile max fee per blob gas can; treat that as unaffordable.
            if (UInt256.MultiplyOverflow(blobGas, tx.MaxFeePerBlobGas!.Value, out blobFeeCapTotal) ||
                UInt256.MultiplyOverflow(blobGas, block.BlobBaseFee, out blobFee))
            {
                return TransactionResult.Rejected(TransactionError.InsufficientFunds, $"insufficient funds: blob gas {blobGas} * max fee per blob gas {tx.MaxFeePerBlobGas.Value} overflows 256 bits");
            }
        }

        // The balance must cover the worst case: gas limit * fee cap + value + blob gas * blob fee cap.
        var balance = state.GetBalance(tx.Sender);
        if (UInt256.MultiplyOverflow((ulong)tx.GasLimit, feeCap, out UInt256 maxGasCost) ||
            UInt256.AddOverflow(maxGasCost, tx.Value, out UInt256 required) ||
            UInt256.AddOverflow(required, blobFeeCapTotal, out required))
        {
            return TransactionResult.Rejected(TransactionError.InsufficientFunds, $"insufficient funds: gas limit {tx.GasLimit} * fee cap {feeCap} + value {tx.Value} overflows 256 bits");
        }

        if (balance < required)
        {
            return TransactionResult.Rejected(TransactionError.InsufficientFunds, $"insufficient funds: balance {balance} of {tx.Sender} < gas limit * fee cap + value + blob fees = {required}");
        }

        UInt256.Multiply((ulong)tx.GasLimit, effectiveGasPrice, out UInt256 gasCost);
        UInt256.Add(gasCost, blobFee, out upfrontCost);
        return null;
    }

    /// <summary>Checks that the fields fit the transaction type; returns the reason when they do not.</summary>
    private static string? CheckShape(EvmTransaction tx)
    {
        if (tx.Type > EvmTransaction.BlobType)
        {
            return $"unsupported transaction type {tx.Type} (expected 0, 1, 2 or 3)";
        }

        if (tx.GasLimit < 0)
        {
            return $"gas limit {tx.GasLimit} is negative";
        }

        if (tx.AccessList is null || tx.BlobVersionedHashes is null)
        {
            return "access list and blob hash list must not be null (use empty lists)";
        }

        if (tx.Type == EvmTransaction.LegacyType && tx.AccessList.Count > 0)
        {
            return "a legacy (type 0) transaction cannot carry an access list";
        }

        if (tx.Type >= EvmTransaction.DynamicFeeType && (tx.MaxFeePerGas is null || tx.MaxPriorityFeePerGas is null))
        {
            return $"a type {tx.Type} transaction needs max fee per gas and max priority fee per gas";
        }

        if (tx.Type == EvmTransaction.BlobType && tx.MaxFeePerBlobGas is null)
        {
            return "a blob (type 3) transaction needs max fee per blob gas";
        }

        if (tx.Type != EvmTransaction.BlobType && tx.BlobVersionedHashes.Count > 0)
        {
            return $"a type {tx.Type} transaction cannot carry blob versioned hashes (only type 3)";
        }

        return null;
    }

    /// <summary>The EIP-4844 validity rules of a type 3 transaction.</summary>
    private static TransactionResult? CheckBlobs(BlockContext block, EvmTransaction tx)
    {
        if (tx.To is null)
        {
            return TransactionResult.Rejected(TransactionError.InvalidBlobTransaction, "a blob transaction cannot create a contract (to must be set)");
        }

        int count = tx.BlobVersionedHashes.Count;
        if (count == 0)
        {
            return TransactionResult.Rejected(TransactionError.InvalidBlobTransaction, "a blob transaction must carry at least one blob versioned hash");
        }

        if (count > BlobGas.MaxBlobsPerBlock)
        {
            return TransactionResult.Rejected(TransactionError.InvalidBlobTransaction, $"a blob transaction carries {count} blobs; the limit is {BlobGas.MaxBlobsPerBlock}");
        }

        for (int i = 0; i < count; i++)
        {
            byte version = tx.BlobVersionedHashes[i].Bytes[0];
            if (version != BlobGas.VersionedHashVersionKzg)
            {
                return TransactionResult.Rejected(TransactionError.InvalidBlobTransaction, $"blob versioned hash {i} has version byte 0x{version:x2}; expected 0x01 (KZG)");
            }
        }

        if (tx.MaxFeePerBlobGas!.Value < block.BlobBaseFee)
        {
            return TransactionResult.Rejected(TransactionError.BlobFeeCapTooLow, $"max fee per blob gas {tx.MaxFeePerBlobGas.Value} < blob base fee {block.BlobBaseFee}");
        }

        return null;
    }

    /// <summary>EIP-2929 / 2930 / 3651: what is warm before the first opcode runs.</summary>
    private static void WarmUp(IWorldState state, BlockContext block, EvmTransaction tx, in Address target)
    {
        state.WarmUpAccount(tx.Sender);
        state.WarmUpAccount(target);
        state.WarmUpAccount(block.Coinbase);
        foreach (var precompile in s_precompiles)
        {
            state.WarmUpAccount(precompile);
        }

        foreach (var entry in tx.AccessList)
        {
            state.WarmUpAccount(entry.Address);
            foreach (var key in entry.StorageKeys)
            {
                state.WarmUpStorage(entry.Address, key);
            }
        }
    }

    private static Address[] BuildPrecompileAddresses(int count)
    {
        var addresses = new Address[count];
        Span<byte> bytes = stackalloc byte[Address.Length];
        for (int i = 0; i < count; i++)
        {
            bytes.Clear();
            bytes[^1] = (byte)(i + 1);
            addresses[i] = new Address(bytes);
        }

        return addresses;
    }
}
