using System.Text.Json;
using Trellis.Core;

namespace Trellis.Node.Rpc;

/// <summary>
/// Writes blocks, transactions, receipts and logs in the JSON shapes geth produces: quantities as minimal hex
/// (<c>0x0</c> for zero), data as even-length hex, addresses lowercase.
/// </summary>
public static class EthJsonWriter
{
    /// <summary>Writes a quantity as minimal <c>0x</c> hex.</summary>
    public static void WriteQuantity(Utf8JsonWriter writer, ulong value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Span<byte> text = stackalloc byte[18];
        writer.WriteStringValue(FormatQuantity(value, text));
    }

    /// <summary>Writes a 256-bit quantity as minimal <c>0x</c> hex.</summary>
    public static void WriteQuantity(Utf8JsonWriter writer, UInt256 value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value.FitsInUlong)
        {
            WriteQuantity(writer, value.U0);
            return;
        }

        writer.WriteStringValue(value.ToHexString());
    }

    /// <summary>Writes bytes as <c>0x</c> hex.</summary>
    public static void WriteData(Utf8JsonWriter writer, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (data.Length <= 64)
        {
            Span<byte> text = stackalloc byte[2 + 2 * 64];
            writer.WriteStringValue(FormatData(data, text));
            return;
        }

        writer.WriteStringValue(Hex.Encode(data));
    }

    /// <summary>Writes an address as lowercase <c>0x</c> hex.</summary>
    public static void WriteAddress(Utf8JsonWriter writer, Address address) => WriteData(writer, address.Bytes);

    /// <summary>Writes a hash as <c>0x</c> hex.</summary>
    public static void WriteHash(Utf8JsonWriter writer, Hash256 hash) => WriteData(writer, hash.Bytes);

    /// <summary>Writes a block: all transactions as objects when <paramref name="fullTransactions"/>, otherwise their hashes.</summary>
    public static void WriteBlock(Utf8JsonWriter writer, RpcBlock block, bool fullTransactions)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(block);
        writer.WriteStartObject();
        WriteHeaderFields(writer, block);
        writer.WritePropertyName("size"u8);
        WriteQuantity(writer, block.Size);
        writer.WriteStartArray("transactions"u8);
        foreach (RpcTransaction transaction in block.Transactions)
        {
            if (fullTransactions)
            {
                WriteTransaction(writer, transaction);
            }
            else
            {
                WriteHash(writer, transaction.Hash);
            }
        }

        writer.WriteEndArray();
        writer.WriteStartArray("uncles"u8);
        writer.WriteEndArray();
        if (block.WithdrawalsRoot is not null)
        {
            writer.WriteStartArray("withdrawals"u8);
            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    /// <summary>Writes a header as eth_subscribe newHeads delivers it (no transactions, uncles or size).</summary>
    public static void WriteHeader(Utf8JsonWriter writer, RpcBlock block)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(block);
        writer.WriteStartObject();
        WriteHeaderFields(writer, block);
        writer.WriteEndObject();
    }

    /// <summary>Writes a transaction with the fields of its type.</summary>
    public static void WriteTransaction(Utf8JsonWriter writer, RpcTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(transaction);
        writer.WriteStartObject();
        writer.WritePropertyName("blockHash"u8);
        WriteNullableHash(writer, transaction.BlockHash);
        writer.WritePropertyName("blockNumber"u8);
        WriteNullableQuantity(writer, transaction.BlockNumber);
        writer.WritePropertyName("from"u8);
        WriteAddress(writer, transaction.From);
        writer.WritePropertyName("gas"u8);
        WriteQuantity(writer, transaction.Gas);
        writer.WritePropertyName("gasPrice"u8);
        WriteQuantity(writer, transaction.GasPrice);
        if (transaction.MaxFeePerGas is { } maxFee)
        {
            writer.WritePropertyName("maxFeePerGas"u8);
            WriteQuantity(writer, maxFee);
        }

        if (transaction.MaxPriorityFeePerGas is { } maxPriority)
        {
            writer.WritePropertyName("maxPriorityFeePerGas"u8);
            WriteQuantity(writer, maxPriority);
        }

        writer.WritePropertyName("hash"u8);
        WriteHash(writer, transaction.Hash);
        writer.WritePropertyName("input"u8);
        WriteData(writer, transaction.Input);
        writer.WritePropertyName("nonce"u8);
        WriteQuantity(writer, transaction.Nonce);
        writer.WritePropertyName("to"u8);
        WriteNullableAddress(writer, transaction.To);
        writer.WritePropertyName("transactionIndex"u8);
        WriteNullableQuantity(writer, transaction.TransactionIndex);
        writer.WritePropertyName("value"u8);
        WriteQuantity(writer, transaction.Value);
        writer.WritePropertyName("type"u8);
        WriteQuantity(writer, transaction.Type);
        bool typed = transaction.Type != 0;
        if (typed || transaction.AccessList is not null)
        {
            writer.WritePropertyName("accessList"u8);
            WriteAccessList(writer, transaction.AccessList ?? []);
        }

        if (transaction.ChainId is { } chainId)
        {
            writer.WritePropertyName("chainId"u8);
            WriteQuantity(writer, chainId);
        }

        if (transaction.Signature is { } signature)
        {
            writer.WritePropertyName("signature"u8);
            WriteData(writer, signature);
        }
        else
        {
            writer.WritePropertyName("v"u8);
            WriteQuantity(writer, transaction.V);
            writer.WritePropertyName("r"u8);
            WriteQuantity(writer, transaction.R);
            writer.WritePropertyName("s"u8);
            WriteQuantity(writer, transaction.S);
            if (typed)
            {
                writer.WritePropertyName("yParity"u8);
                WriteQuantity(writer, transaction.V);
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>Writes a receipt.</summary>
    public static void WriteReceipt(Utf8JsonWriter writer, RpcReceipt receipt)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(receipt);
        writer.WriteStartObject();
        writer.WritePropertyName("blockHash"u8);
        WriteHash(writer, receipt.BlockHash);
        writer.WritePropertyName("blockNumber"u8);
        WriteQuantity(writer, receipt.BlockNumber);
        writer.WritePropertyName("contractAddress"u8);
        WriteNullableAddress(writer, receipt.ContractAddress);
        writer.WritePropertyName("cumulativeGasUsed"u8);
        WriteQuantity(writer, receipt.CumulativeGasUsed);
        writer.WritePropertyName("effectiveGasPrice"u8);
        WriteQuantity(writer, receipt.EffectiveGasPrice);
        writer.WritePropertyName("from"u8);
        WriteAddress(writer, receipt.From);
        writer.WritePropertyName("gasUsed"u8);
        WriteQuantity(writer, receipt.GasUsed);
        writer.WriteStartArray("logs"u8);
        foreach (RpcLog log in receipt.Logs)
        {
            WriteLog(writer, log);
        }

        writer.WriteEndArray();
        writer.WritePropertyName("logsBloom"u8);
        WriteData(writer, receipt.LogsBloom);
        writer.WritePropertyName("status"u8);
        WriteQuantity(writer, receipt.Succeeded ? 1UL : 0UL);
        writer.WritePropertyName("to"u8);
        WriteNullableAddress(writer, receipt.To);
        writer.WritePropertyName("transactionHash"u8);
        WriteHash(writer, receipt.TransactionHash);
        writer.WritePropertyName("transactionIndex"u8);
        WriteQuantity(writer, receipt.TransactionIndex);
        writer.WritePropertyName("type"u8);
        WriteQuantity(writer, receipt.Type);
        writer.WriteEndObject();
    }

    /// <summary>Writes a log.</summary>
    public static void WriteLog(Utf8JsonWriter writer, RpcLog log)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(log);
        writer.WriteStartObject();
        writer.WritePropertyName("address"u8);
        WriteAddress(writer, log.Address);
        writer.WriteStartArray("topics"u8);
        foreach (Hash256 topic in log.Topics)
        {
            WriteHash(writer, topic);
        }

        writer.WriteEndArray();
        writer.WritePropertyName("data"u8);
        WriteData(writer, log.Data);
        writer.WritePropertyName("blockNumber"u8);
        WriteQuantity(writer, log.BlockNumber);
        writer.WritePropertyName("transactionHash"u8);
        WriteHash(writer, log.TransactionHash);
        writer.WritePropertyName("transactionIndex"u8);
        WriteQuantity(writer, log.TransactionIndex);
        writer.WritePropertyName("blockHash"u8);
        WriteHash(writer, log.BlockHash);
        writer.WritePropertyName("logIndex"u8);
        WriteQuantity(writer, log.LogIndex);
        writer.WriteBoolean("removed"u8, log.Removed);
        writer.WriteEndObject();
    }

    private static void WriteHeaderFields(Utf8JsonWriter writer, RpcBlock block)
    {
        if (block.BaseFeePerGas is { } baseFee)
        {
            writer.WritePropertyName("baseFeePerGas"u8);
            WriteQuantity(writer, baseFee);
        }

        if (block.BlobGasUsed is { } blobGasUsed)
        {
            writer.WritePropertyName("blobGasUsed"u8);
            WriteQuantity(writer, blobGasUsed);
        }

        writer.WritePropertyName("difficulty"u8);
        WriteQuantity(writer, block.Difficulty);
        if (block.ExcessBlobGas is { } excessBlobGas)
        {
            writer.WritePropertyName("excessBlobGas"u8);
            WriteQuantity(writer, excessBlobGas);
        }

        writer.WritePropertyName("extraData"u8);
        WriteData(writer, block.ExtraData);
        writer.WritePropertyName("gasLimit"u8);
        WriteQuantity(writer, block.GasLimit);
        writer.WritePropertyName("gasUsed"u8);
        WriteQuantity(writer, block.GasUsed);
        writer.WritePropertyName("hash"u8);
        WriteHash(writer, block.Hash);
        writer.WritePropertyName("logsBloom"u8);
        WriteData(writer, block.LogsBloom);
        writer.WritePropertyName("miner"u8);
        WriteAddress(writer, block.Miner);
        writer.WritePropertyName("mixHash"u8);
        WriteHash(writer, block.MixHash);
        writer.WritePropertyName("nonce"u8);
        Span<byte> nonce = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(nonce, block.Nonce);
        WriteData(writer, nonce);
        writer.WritePropertyName("number"u8);
        WriteQuantity(writer, block.Number);
        if (block.ParentBeaconBlockRoot is { } beaconRoot)
        {
            writer.WritePropertyName("parentBeaconBlockRoot"u8);
            WriteHash(writer, beaconRoot);
        }

        writer.WritePropertyName("parentHash"u8);
        WriteHash(writer, block.ParentHash);
        writer.WritePropertyName("receiptsRoot"u8);
        WriteHash(writer, block.ReceiptsRoot);
        writer.WritePropertyName("sha3Uncles"u8);
        WriteHash(writer, block.Sha3Uncles);
        writer.WritePropertyName("stateRoot"u8);
        WriteHash(writer, block.StateRoot);
        writer.WritePropertyName("timestamp"u8);
        WriteQuantity(writer, block.Timestamp);
        writer.WritePropertyName("transactionsRoot"u8);
        WriteHash(writer, block.TransactionsRoot);
        if (block.WithdrawalsRoot is { } withdrawalsRoot)
        {
            writer.WritePropertyName("withdrawalsRoot"u8);
            WriteHash(writer, withdrawalsRoot);
        }
    }

    private static void WriteAccessList(Utf8JsonWriter writer, IReadOnlyList<RpcAccessListEntry> accessList)
    {
        writer.WriteStartArray();
        foreach (RpcAccessListEntry entry in accessList)
        {
            writer.WriteStartObject();
            writer.WritePropertyName("address"u8);
            WriteAddress(writer, entry.Address);
            writer.WriteStartArray("storageKeys"u8);
            foreach (Hash256 key in entry.StorageKeys)
            {
                WriteHash(writer, key);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteNullableHash(Utf8JsonWriter writer, Hash256? hash)
    {
        if (hash is { } h)
        {
            WriteHash(writer, h);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    private static void WriteNullableAddress(Utf8JsonWriter writer, Address? address)
    {
        if (address is { } a)
        {
            WriteAddress(writer, a);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    private static void WriteNullableQuantity(Utf8JsonWriter writer, ulong? value)
    {
        if (value is { } v)
        {
            WriteQuantity(writer, v);
        }
        else
        {
            writer.WriteNullValue();
        }
    }

    private static ReadOnlySpan<byte> FormatQuantity(ulong value, Span<byte> text)
    {
        int digits = value == 0 ? 1 : (64 - System.Numerics.BitOperations.LeadingZeroCount(value) + 3) / 4;
        text[0] = (byte)'0';
        text[1] = (byte)'x';
        for (int i = digits + 1; i >= 2; i--)
        {
            text[i] = HexDigits[(int)(value & 0xF)];
            value >>= 4;
        }

        return text[..(digits + 2)];
    }

    private static ReadOnlySpan<byte> FormatData(ReadOnlySpan<byte> data, Span<byte> text)
    {
        text[0] = (byte)'0';
        text[1] = (byte)'x';
        for (int i = 0; i < data.Length; i++)
        {
            text[2 + 2 * i] = HexDigits[data[i] >> 4];
            text[3 + 2 * i] = HexDigits[data[i] & 0xF];
        }

        return text[..(2 + 2 * data.Length)];
    }

    private static ReadOnlySpan<byte> HexDigits => "0123456789abcdef"u8;
}
