using Trellis.Core.Rlp;
using Trellis.Ledger.Transactions;

namespace Trellis.Ledger.Blocks;

/// <summary>
/// A transaction's receipt, encoded as Ethereum does (EIP-658 status, EIP-2718 typed receipts): rlp([status,
/// cumulativeGasUsed, logsBloom, logs]), prefixed by the type byte for typed transactions (0x54 for native).
/// </summary>
public sealed class Receipt
{
    private readonly Log[] _logs;

    // The receipt is immutable, so its encoding is computed once: the receipts root and the block store both need it.
    // A race only computes the same bytes twice.
    private byte[]? _encoded;

    /// <summary>Creates a receipt; the bloom is computed from the logs.</summary>
    public Receipt(TxType type, bool success, ulong cumulativeGasUsed, IEnumerable<Log> logs)
    {
        ArgumentNullException.ThrowIfNull(logs);
        Type = type;
        Success = success;
        CumulativeGasUsed = cumulativeGasUsed;
        _logs = [.. logs];
        Bloom = LogsBloom.FromLogs(_logs);
    }

    private Receipt(TxType type, bool success, ulong cumulativeGasUsed, LogsBloom bloom, Log[] logs)
    {
        Type = type;
        Success = success;
        CumulativeGasUsed = cumulativeGasUsed;
        Bloom = bloom;
        _logs = logs;
    }

    /// <summary>The type of the transaction this receipt belongs to.</summary>
    public TxType Type { get; }

    /// <summary>True if execution succeeded (status 1).</summary>
    public bool Success { get; }

    /// <summary>Gas used in the block up to and including this transaction.</summary>
    public ulong CumulativeGasUsed { get; }

    /// <summary>The bloom of <see cref="Logs"/>.</summary>
    public LogsBloom Bloom { get; }

    /// <summary>The logs, in emission order.</summary>
    public IReadOnlyList<Log> Logs => _logs;

    /// <summary>The consensus encoding (the value stored in the receipts trie).</summary>
    public byte[] Encode()
    {
        return (byte[])EncodedBytes.Clone();
    }

    /// <summary>The cached encoding; callers inside the assembly must not modify it.</summary>
    internal byte[] EncodedBytes => _encoded ??= EncodeCore();

    private byte[] EncodeCore()
    {
        var writer = new RlpWriter(300 + (_logs.Length * 128));
        if (Type != TxType.Legacy)
        {
            writer.WriteEncoded([(byte)Type]);
        }

        int list = writer.StartList();
        writer.WriteULong(Success ? 1UL : 0UL);
        writer.WriteULong(CumulativeGasUsed);
        writer.WriteBytes(Bloom.Bytes);
        int logs = writer.StartList();
        foreach (Log log in _logs)
        {
            log.WriteTo(writer);
        }

        writer.EndList(logs);
        writer.EndList(list);
        return writer.ToArray();
    }

    /// <summary>Decodes a receipt; the stored bloom must match the logs.</summary>
    /// <exception cref="RlpException">Malformed receipt, unknown type, or a bloom that does not match the logs.</exception>
    public static Receipt Decode(ReadOnlySpan<byte> encoded)
    {
        if (encoded.IsEmpty)
        {
            throw new RlpException("receipt is empty");
        }

        TxType type = TxType.Legacy;
        if (encoded[0] < 0x80)
        {
            type = encoded[0] switch
            {
                (byte)TxType.AccessList or (byte)TxType.DynamicFee or (byte)TxType.Native => (TxType)encoded[0],
                _ => throw new RlpException($"receipt type 0x{encoded[0]:x2} is not one of 0x01, 0x02, 0x54"),
            };
            encoded = encoded[1..];
        }

        var reader = new RlpReader(encoded);
        RlpReader list = reader.ReadList();
        reader.EnsureEnd();
        ulong status = list.ReadULong();
        if (status > 1)
        {
            throw new RlpException($"receipt status {status} is not 0 or 1");
        }

        ulong cumulativeGasUsed = list.ReadULong();
        ReadOnlySpan<byte> bloomBytes = list.ReadBytes();
        if (bloomBytes.Length != LogsBloom.Length)
        {
            throw new RlpException($"receipt bloom is {bloomBytes.Length} bytes; a bloom is exactly {LogsBloom.Length}");
        }

        RlpReader logReader = list.ReadList();
        var logs = new List<Log>();
        while (logReader.HasMore)
        {
            logs.Add(Log.ReadFrom(ref logReader));
        }

        list.EnsureEnd();
        var bloom = new LogsBloom(bloomBytes);
        if (!bloom.Equals(LogsBloom.FromLogs(logs)))
        {
            throw new RlpException("receipt bloom does not match its logs");
        }

        return new Receipt(type, status == 1, cumulativeGasUsed, bloom, [.. logs]);
    }
}
