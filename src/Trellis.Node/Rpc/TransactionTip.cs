using Trellis.Core;

namespace Trellis.Node.Rpc;

/// <summary>One transaction's effective priority fee and gas used, for eth_feeHistory reward percentiles.</summary>
public readonly record struct TransactionTip(UInt256 EffectiveTip, ulong GasUsed);
