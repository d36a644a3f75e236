using Trellis.Core;

namespace Trellis.Node.Rpc;

/// <summary>A transaction receipt as JSON-RPC shows it.</summary>
public sealed record RpcReceipt
{
    /// <summary>The transaction.</summary>
    public required Hash256 TransactionHash { get; init; }

    /// <summary>Position in the block.</summary>
    public required ulong TransactionIndex { get; init; }

    /// <summary>Containing block hash.</summary>
    public required Hash256 BlockHash { get; init; }

    /// <summary>Containing block number.</summary>
    public required ulong BlockNumber { get; init; }

    /// <summary>Sender.</summary>
    public required Address From { get; init; }

    /// <summary>Recipient; null for contract creation.</summary>
    public Address? To { get; init; }

    /// <summary>Created contract; null unless the transaction created one.</summary>
    public Address? ContractAddress { get; init; }

    /// <summary>Gas used by this and all earlier transactions in the block.</summary>
    public required ulong CumulativeGasUsed { get; init; }

    /// <summary>Gas used by this transaction.</summary>
    public required ulong GasUsed { get; init; }

    /// <summary>Price per gas actually paid.</summary>
    public required UInt256 EffectiveGasPrice { get; init; }

    /// <summary>True for success (status 1), false for failure (status 0).</summary>
    public required bool Succeeded { get; init; }

    /// <summary>256-byte bloom of the logs.</summary>
    public required byte[] LogsBloom { get; init; }

    /// <summary>Logs in order.</summary>
    public required IReadOnlyList<RpcLog> Logs { get; init; }

    /// <summary>Envelope type of the transaction.</summary>
    public required byte Type { get; init; }
}
