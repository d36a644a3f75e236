using Trellis.Core;

namespace Trellis.Evm;

/// <summary>The block a transaction runs in, as the block-information opcodes see it.</summary>
/// <param name="Coinbase">COINBASE: the block's beneficiary.</param>
/// <param name="Number">NUMBER.</param>
/// <param name="Timestamp">TIMESTAMP (seconds).</param>
/// <param name="GasLimit">GASLIMIT.</param>
/// <param name="PrevRandao">The value of the PREVRANDAO opcode (0x44, formerly DIFFICULTY).</param>
/// <param name="BaseFee">BASEFEE (EIP-3198).</param>
/// <param name="BlobBaseFee">BLOBBASEFEE (EIP-7516).</param>
/// <param name="ChainId">CHAINID (EIP-1344).</param>
/// <param name="BlockHashProvider">BLOCKHASH for the 256 blocks before <paramref name="Number"/>; null makes every such hash zero.</param>
public sealed record BlockContext(
    Address Coinbase,
    ulong Number,
    ulong Timestamp,
    long GasLimit,
    UInt256 PrevRandao,
    UInt256 BaseFee,
    UInt256 BlobBaseFee,
    ulong ChainId,
    Func<ulong, Hash256>? BlockHashProvider = null);
