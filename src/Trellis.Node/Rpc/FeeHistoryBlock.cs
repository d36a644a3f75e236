using Trellis.Core;

namespace Trellis.Node.Rpc;

/// <summary>What eth_feeHistory needs from one block.</summary>
public sealed record FeeHistoryBlock
{
    /// <summary>The block's base fee.</summary>
    public required UInt256 BaseFeePerGas { get; init; }

    /// <summary>The base fee of the block that follows (computed from this one by the EIP-1559 rule).</summary>
    public required UInt256 NextBaseFeePerGas { get; init; }

    /// <summary>Gas used.</summary>
    public required ulong GasUsed { get; init; }

    /// <summary>Gas limit.</summary>
    public required ulong GasLimit { get; init; }

    /// <summary>Per-transaction tips and gas, in any order.</summary>
    public required IReadOnlyList<TransactionTip> Tips { get; init; }
}
