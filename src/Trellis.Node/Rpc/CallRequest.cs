using Trellis.Core;

namespace Trellis.Node.Rpc;

/// <summary>The transaction-like object of eth_call and eth_estimateGas; absent fields are null.</summary>
public sealed record CallRequest
{
    /// <summary>Sender (zero address when absent, as in geth).</summary>
    public Address? From { get; init; }

    /// <summary>Recipient; null to simulate contract creation.</summary>
    public Address? To { get; init; }

    /// <summary>Gas limit; null for the backend's cap.</summary>
    public ulong? Gas { get; init; }

    /// <summary>Legacy gas price.</summary>
    public UInt256? GasPrice { get; init; }

    /// <summary>EIP-1559 fee cap.</summary>
    public UInt256? MaxFeePerGas { get; init; }

    /// <summary>EIP-1559 tip cap.</summary>
    public UInt256? MaxPriorityFeePerGas { get; init; }

    /// <summary>Value in wei.</summary>
    public UInt256? Value { get; init; }

    /// <summary>Call data (<c>input</c>, or the older <c>data</c>).</summary>
    public byte[]? Input { get; init; }

    /// <summary>Nonce.</summary>
    public ulong? Nonce { get; init; }

    /// <summary>Access list.</summary>
    public IReadOnlyList<RpcAccessListEntry>? AccessList { get; init; }
}
