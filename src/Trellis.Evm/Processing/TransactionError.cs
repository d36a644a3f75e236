namespace Trellis.Evm.Processing;

/// <summary>Why a transaction was rejected before execution (the state is then left unchanged).</summary>
public enum TransactionError
{
    /// <summary>The transaction was valid and executed (its execution may still have failed or reverted).</summary>
    None,

    /// <summary>The nonce is below the sender's nonce.</summary>
    NonceTooLow,

    /// <summary>The nonce is above the sender's nonce.</summary>
    NonceTooHigh,

    /// <summary>The sender's nonce is 2^64 - 1 and cannot be incremented (EIP-2681).</summary>
    NonceMax,

    /// <summary>The balance does not cover gas limit * fee cap + value + blob fees (or that sum overflows 256 bits).</summary>
    InsufficientFunds,

    /// <summary>The gas limit is below the intrinsic gas.</summary>
    IntrinsicGasTooLow,

    /// <summary>The gas limit is above the block's gas limit.</summary>
    GasLimitExceedsBlock,

    /// <summary>The gas price or fee cap is below the block's base fee (EIP-1559).</summary>
    FeeCapBelowBaseFee,

    /// <summary>The priority fee is above the fee cap (EIP-1559).</summary>
    PriorityFeeAboveFeeCap,

    /// <summary>The sender has code (EIP-3607).</summary>
    SenderHasCode,

    /// <summary>A creation's init code is longer than 49,152 bytes (EIP-3860).</summary>
    InitCodeTooLarge,

    /// <summary>The blob fee cap is below the block's blob base fee (EIP-4844).</summary>
    BlobFeeCapTooLow,

    /// <summary>A blob transaction with no blobs, no recipient, a hash without version byte 0x01, or too many blobs.</summary>
    InvalidBlobTransaction,

    /// <summary>The fields do not fit the type (unknown type, fee fields missing, access list on a legacy transaction, ...).</summary>
    MalformedTransaction,
}
