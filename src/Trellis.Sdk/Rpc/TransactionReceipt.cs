using System.Text.Json;
using Trellis.Core;

namespace Trellis.Sdk.Rpc;

/// <summary>The receipt of an included transaction (<c>eth_getTransactionReceipt</c>).</summary>
public sealed class TransactionReceipt
{
    /// <summary>The transaction hash.</summary>
    public required Hash256 TransactionHash { get; init; }

    /// <summary>The block that includes it.</summary>
    public required Hash256 BlockHash { get; init; }

    /// <summary>The block number.</summary>
    public required ulong BlockNumber { get; init; }

    /// <summary>The transaction's index in the block.</summary>
    public ulong TransactionIndex { get; init; }

    /// <summary>The sender.</summary>
    public required Address From { get; init; }

    /// <summary>The recipient; null for a contract creation.</summary>
    public Address? To { get; init; }

    /// <summary>The created contract's address; null unless the transaction created one.</summary>
    public Address? ContractAddress { get; init; }

    /// <summary>Gas used by this transaction.</summary>
    public required ulong GasUsed { get; init; }

    /// <summary>Gas used by the block up to and including this transaction.</summary>
    public ulong CumulativeGasUsed { get; init; }

    /// <summary>The price per gas actually paid.</summary>
    public UInt256 EffectiveGasPrice { get; init; }

    /// <summary>True when execution succeeded (status 1); false when it reverted (status 0).</summary>
    public required bool Succeeded { get; init; }

    /// <summary>The envelope type byte (0, 1, 2, or 0x54 for the native envelope).</summary>
    public ulong Type { get; init; }

    /// <summary>The logs emitted.</summary>
    public required IReadOnlyList<LogEntry> Logs { get; init; }

    internal static TransactionReceipt FromJson(JsonElement receipt)
    {
        var logs = new List<LogEntry>();
        JsonElement logsJson = RpcJson.Property(receipt, "logs");
        if (logsJson.ValueKind != JsonValueKind.Array)
        {
            throw RpcJson.Malformed("logs", logsJson, "is not an array");
        }

        foreach (JsonElement log in logsJson.EnumerateArray())
        {
            logs.Add(LogEntry.FromJson(log));
        }

        ulong status = RpcJson.ReadULong(RpcJson.Property(receipt, "status"), "status");
        return new TransactionReceipt
        {
            TransactionHash = RpcJson.ReadHash(RpcJson.Property(receipt, "transactionHash"), "transactionHash"),
            BlockHash = RpcJson.ReadHash(RpcJson.Property(receipt, "blockHash"), "blockHash"),
            BlockNumber = RpcJson.ReadULong(RpcJson.Property(receipt, "blockNumber"), "blockNumber"),
            TransactionIndex = RpcJson.IsNull(receipt, "transactionIndex") ? 0 : RpcJson.ReadULong(receipt.GetProperty("transactionIndex"), "transactionIndex"),
            From = RpcJson.ReadAddress(RpcJson.Property(receipt, "from"), "from"),
            To = RpcJson.IsNull(receipt, "to") ? null : RpcJson.ReadAddress(receipt.GetProperty("to"), "to"),
            ContractAddress = RpcJson.IsNull(receipt, "contractAddress") ? null : RpcJson.ReadAddress(receipt.GetProperty("contractAddress"), "contractAddress"),
            GasUsed = RpcJson.ReadULong(RpcJson.Property(receipt, "gasUsed"), "gasUsed"),
            CumulativeGasUsed = RpcJson.IsNull(receipt, "cumulativeGasUsed") ? 0 : RpcJson.ReadULong(receipt.GetProperty("cumulativeGasUsed"), "cumulativeGasUsed"),
            EffectiveGasPrice = RpcJson.IsNull(receipt, "effectiveGasPrice") ? UInt256.Zero : RpcJson.ReadUInt256(receipt.GetProperty("effectiveGasPrice"), "effectiveGasPrice"),
            Succeeded = status switch
            {
                1 => true,
                0 => false,
                _ => throw RpcJson.Malformed("status", receipt.GetProperty("status"), "is neither 0x0 nor 0x1"),
            },
            Type = RpcJson.IsNull(receipt, "type") ? 0 : RpcJson.ReadULong(receipt.GetProperty("type"), "type"),
            Logs = logs,
        };
    }
}
