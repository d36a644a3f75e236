using Trellis.Core;

namespace Trellis.Node.Rpc;

/// <summary>
/// A transaction as JSON-RPC shows it. Which fields are written depends on <see cref="Type"/>, as in geth:
/// legacy (0) has gasPrice, v, r, s (chainId when EIP-155 protected); 2930 (1) adds chainId, accessList and
/// yParity; 1559 (2) adds maxFeePerGas and maxPriorityFeePerGas; the native envelope (0x54) shows its signature.
/// </summary>
public sealed record RpcTransaction
{
    /// <summary>The transaction hash (suite hash of the encoded envelope).</summary>
    public required Hash256 Hash { get; init; }

    /// <summary>Envelope type: 0 legacy, 1 EIP-2930, 2 EIP-1559, 0x54 native.</summary>
    public required byte Type { get; init; }

    /// <summary>Chain id in the signature; null for an unprotected legacy transaction.</summary>
    public ulong? ChainId { get; init; }

    /// <summary>Sender nonce.</summary>
    public required ulong Nonce { get; init; }

    /// <summary>Recovered (or carried) sender.</summary>
    public required Address From { get; init; }

    /// <summary>Recipient; null for contract creation.</summary>
    public Address? To { get; init; }

    /// <summary>Value transferred in wei.</summary>
    public required UInt256 Value { get; init; }

    /// <summary>Gas limit.</summary>
    public required ulong Gas { get; init; }

    /// <summary>
    /// The price shown as <c>gasPrice</c>: the signed price for types 0 and 1; for fee-market types, the effective
    /// price once mined and <see cref="MaxFeePerGas"/> while pending.
    /// </summary>
    public required UInt256 GasPrice { get; init; }

    /// <summary>EIP-1559 fee cap (types 2 and, when present, 0x54).</summary>
    public UInt256? MaxFeePerGas { get; init; }

    /// <summary>EIP-1559 tip cap.</summary>
    public UInt256? MaxPriorityFeePerGas { get; init; }

    /// <summary>Call data or init code.</summary>
    public required byte[] Input { get; init; }

    /// <summary>Access list (types 1, 2 and optionally 0x54).</summary>
    public IReadOnlyList<RpcAccessListEntry>? AccessList { get; init; }

    /// <summary>Signature v (legacy: 27/28 or EIP-155 value; typed: the y parity).</summary>
    public UInt256 V { get; init; }

    /// <summary>Signature r.</summary>
    public UInt256 R { get; init; }

    /// <summary>Signature s.</summary>
    public UInt256 S { get; init; }

    /// <summary>The native envelope's suite signature (0x54 only).</summary>
    public byte[]? Signature { get; init; }

    /// <summary>Hash of the containing block; null while pending.</summary>
    public Hash256? BlockHash { get; init; }

    /// <summary>Number of the containing block; null while pending.</summary>
    public ulong? BlockNumber { get; init; }

    /// <summary>Position in the block; null while pending.</summary>
    public ulong? TransactionIndex { get; init; }
}
