namespace Trellis.Ledger.Transactions;

/// <summary>Why a transaction was refused; each comes with a message naming the field, the value and the rule.</summary>
public enum TxError
{
    /// <summary>No error: the transaction is valid.</summary>
    None = 0,

    /// <summary>Not a well-formed encoding: bad RLP, wrong item count or kind, non-canonical integers, oversized fields.</summary>
    MalformedEncoding,

    /// <summary>An envelope type Trellis does not accept (blob 0x03, unknown types).</summary>
    TypeNotSupported,

    /// <summary>An Ethereum envelope (secp256k1 signature) on a chain whose suite is national.</summary>
    SuiteMismatch,

    /// <summary>The signature commits to another chain, or v does not encode a chain id.</summary>
    InvalidChainId,

    /// <summary>A pre-EIP-155 legacy transaction: its signature commits to no chain, so it could be replayed.</summary>
    NotReplayProtected,

    /// <summary>The signature is malformed, out of range, high-s, or recovers no key.</summary>
    InvalidSignature,

    /// <summary>The nonce is 2^64 - 1 or more (EIP-2681).</summary>
    NonceTooBig,

    /// <summary>The priority fee exceeds the maximum fee (EIP-1559).</summary>
    PriorityFeeAboveMaxFee,

    /// <summary>gasLimit * fee per gas does not fit in 256 bits.</summary>
    FeeOverflow,

    /// <summary>The gas limit is below the intrinsic gas of the transaction.</summary>
    IntrinsicGasTooLow,

    /// <summary>A contract creation whose init code exceeds 49152 bytes (EIP-3860).</summary>
    InitCodeTooLarge,

    /// <summary>The encoded transaction exceeds the pool's size limit.</summary>
    TransactionTooLarge,

    /// <summary>The gas limit exceeds the block gas limit.</summary>
    GasLimitExceedsBlockLimit,

    /// <summary>The nonce is below the sender's account nonce.</summary>
    NonceTooLow,

    /// <summary>The nonce is too far ahead of the sender's account nonce for the pool to keep it.</summary>
    NonceTooHigh,

    /// <summary>The sender's balance does not cover value + gasLimit * fee per gas.</summary>
    InsufficientFunds,

    /// <summary>The pool already holds this exact transaction.</summary>
    AlreadyKnown,

    /// <summary>A transaction with the same sender and nonce is pending and this one does not pay enough more.</summary>
    ReplacementUnderpriced,

    /// <summary>The pool is at its count or byte bound and this transaction does not pay enough to evict another.</summary>
    PoolFull,

    /// <summary>The permission policy (governance) does not allow this sender to transact or deploy.</summary>
    NotPermitted,
}
