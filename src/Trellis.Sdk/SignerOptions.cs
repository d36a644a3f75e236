using Trellis.Core;
using Trellis.Ledger.Transactions;

namespace Trellis.Sdk;

/// <summary>How a <see cref="Signer"/> builds transactions.</summary>
public sealed class SignerOptions
{
    /// <summary>
    /// The envelope; null picks EIP-1559 (<see cref="TxType.DynamicFee"/>) in the standard suite, which every Ethereum
    /// tool understands, and the native envelope in the national suite (the only one SM2 can sign).
    /// </summary>
    public TxType? TransactionType { get; init; }

    /// <summary>The fee cap per gas; null asks the node (<c>eth_gasPrice</c>, zero on a fee-less chain).</summary>
    public UInt256? MaxFeePerGas { get; init; }

    /// <summary>The priority fee per gas; null uses the fee cap.</summary>
    public UInt256? MaxPriorityFeePerGas { get; init; }

    /// <summary>Headroom added to <c>eth_estimateGas</c>, in percent (state can change between estimate and inclusion). Default 20.</summary>
    public int GasHeadroomPercent { get; init; } = 20;
}
