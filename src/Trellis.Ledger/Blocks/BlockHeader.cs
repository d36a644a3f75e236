using Trellis.Core;
using Trellis.Core.Rlp;
using Trellis.Crypto;

namespace Trellis.Ledger.Blocks;

/// <summary>
/// A block header. Its hash is the suite hash of rlp([parentHash, height, timestamp, proposer, transactionsRoot,
/// receiptsRoot, stateRoot, logsBloom, gasUsed, gasLimit]); the consensus certificate is stored after those fields
/// but is not hashed, so the certificate can sign the hash.
/// </summary>
public sealed class BlockHeader
{
    private readonly LogsBloom _logsBloom = new();
    private readonly byte[] _certificate = [];

    /// <summary>Hash of the parent header; zero for genesis.</summary>
    public required Hash256 ParentHash { get; init; }

    /// <summary>Height (block number); 0 for genesis.</summary>
    public required ulong Height { get; init; }

    /// <summary>Unix time in seconds, as the EVM's TIMESTAMP reports it.</summary>
    public required ulong Timestamp { get; init; }

    /// <summary>The validator that proposed the block; zero for genesis.</summary>
    public Address Proposer { get; init; }

    /// <summary>Root of the trie of transactions keyed by RLP(index).</summary>
    public required Hash256 TransactionsRoot { get; init; }

    /// <summary>Root of the trie of receipts keyed by RLP(index).</summary>
    public required Hash256 ReceiptsRoot { get; init; }

    /// <summary>Root of the world state after the block.</summary>
    public required Hash256 StateRoot { get; init; }

    /// <summary>The OR of the receipts' blooms (a copy is kept).</summary>
    public LogsBloom LogsBloom
    {
        get => new(_logsBloom.Bytes);
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            _logsBloom = new LogsBloom(value.Bytes);
        }
    }

    /// <summary>Gas used by all transactions.</summary>
    public ulong GasUsed { get; init; }

    /// <summary>The block gas limit.</summary>
    public required ulong GasLimit { get; init; }

    /// <summary>The consensus engine's proof that the block is committed (opaque here; not part of the hash).</summary>
    public ReadOnlyMemory<byte> ConsensusCertificate
    {
        get => _certificate;
        init => _certificate = value.ToArray();
    }

    /// <summary>The header hash (certificate excluded).</summary>
    public Hash256 ComputeHash(ICryptoSuite suite)
    {
        ArgumentNullException.ThrowIfNull(suite);
        var writer = new RlpWriter(600);
        Write(writer, includeCertificate: false);
        return suite.Hash(writer.WrittenSpan);
    }

    /// <summary>The same header with another certificate.</summary>
    public BlockHeader WithCertificate(ReadOnlySpan<byte> certificate) => new()
    {
        ParentHash = ParentHash,
        Height = Height,
        Timestamp = Timestamp,
        Proposer = Proposer,
        TransactionsRoot = TransactionsRoot,
        ReceiptsRoot = ReceiptsRoot,
        StateRoot = StateRoot,
        LogsBloom = _logsBloom,
        GasUsed = GasUsed,
        GasLimit = GasLimit,
        ConsensusCertificate = certificate.ToArray(),
    };

    /// <summary>The storage and wire encoding: the hashed fields then the certificate.</summary>
    public byte[] Encode()
    {
        var writer = new RlpWriter(600 + _certificate.Length);
        Write(writer, includeCertificate: true);
        return writer.ToArray();
    }

    /// <summary>Appends the storage and wire encoding.</summary>
    public void WriteTo(RlpWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Write(writer, includeCertificate: true);
    }

    /// <summary>Decodes the encoding written by <see cref="Encode"/>.</summary>
    /// <exception cref="RlpException">Malformed header.</exception>
    public static BlockHeader Decode(ReadOnlySpan<byte> encoded)
    {
        var reader = new RlpReader(encoded);
        BlockHeader header = ReadFrom(ref reader);
        reader.EnsureEnd();
        return header;
    }

    /// <summary>Reads one header.</summary>
    /// <exception cref="RlpException">Malformed header.</exception>
    public static BlockHeader ReadFrom(ref RlpReader reader)
    {
        RlpReader list = reader.ReadList();
        var header = new BlockHeader
        {
            ParentHash = ReadHash(ref list, "parentHash"),
            Height = list.ReadULong(),
            Timestamp = list.ReadULong(),
            Proposer = ReadAddress(ref list),
            TransactionsRoot = ReadHash(ref list, "transactionsRoot"),
            ReceiptsRoot = ReadHash(ref list, "receiptsRoot"),
            StateRoot = ReadHash(ref list, "stateRoot"),
            LogsBloom = ReadBloom(ref list),
            GasUsed = list.ReadULong(),
            GasLimit = list.ReadULong(),
            ConsensusCertificate = list.ReadBytes().ToArray(),
        };
        list.EnsureEnd();
        return header;
    }

    private void Write(RlpWriter writer, bool includeCertificate)
    {
        int list = writer.StartList();
        writer.WriteBytes(ParentHash.Bytes);
        writer.WriteULong(Height);
        writer.WriteULong(Timestamp);
        writer.WriteBytes(Proposer.Bytes);
        writer.WriteBytes(TransactionsRoot.Bytes);
        writer.WriteBytes(ReceiptsRoot.Bytes);
        writer.WriteBytes(StateRoot.Bytes);
        writer.WriteBytes(_logsBloom.Bytes);
        writer.WriteULong(GasUsed);
        writer.WriteULong(GasLimit);
        if (includeCertificate)
        {
            writer.WriteBytes(_certificate);
        }

        writer.EndList(list);
    }

    private static Hash256 ReadHash(ref RlpReader reader, string field)
    {
        ReadOnlySpan<byte> bytes = reader.ReadBytes();
        return bytes.Length == Hash256.Length
            ? new Hash256(bytes)
            : throw new RlpException($"header {field} is {bytes.Length} bytes; a hash is exactly 32");
    }

    private static Address ReadAddress(ref RlpReader reader)
    {
        ReadOnlySpan<byte> bytes = reader.ReadBytes();
        return bytes.Length == Address.Length
            ? new Address(bytes)
            : throw new RlpException($"header proposer is {bytes.Length} bytes; an address is exactly 20");
    }

    private static LogsBloom ReadBloom(ref RlpReader reader)
    {
        ReadOnlySpan<byte> bytes = reader.ReadBytes();
        return bytes.Length == LogsBloom.Length
            ? new LogsBloom(bytes)
            : throw new RlpException($"header logsBloom is {bytes.Length} bytes; a bloom is exactly {LogsBloom.Length}");
    }
}
