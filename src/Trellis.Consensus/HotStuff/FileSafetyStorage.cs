using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using Trellis.Core;
using Trellis.Crypto;

namespace Trellis.Consensus.HotStuff;

/// <summary>
/// Safety data in one file, replaced atomically: written to a temporary file, flushed to disk (fsync), renamed over
/// the old file, and the directory flushed so the rename itself survives a power cut. The file ends with a SHA-256
/// checksum so a torn or altered file is detected on load instead of being trusted. Blocks are appended to a second
/// file (<c>path.blocks</c>), one length-prefixed, checksummed record each, flushed before <see cref="SaveBlock"/>
/// returns; a torn last record is ignored on load.
/// </summary>
public sealed class FileSafetyStorage : ISafetyStorage
{
    private const int MaxSignatures = 4096;
    private const int MaxSignatureLength = 1024;
    private const int ChecksumLength = 32;
    private static readonly byte[] s_magic = "TRSF"u8.ToArray();
    private const byte FormatVersion = 1;

    private const int MaxBlockRecord = 64 * 1024 * 1024;

    private readonly string _path;
    private readonly ICryptoSuite _suite;

    /// <summary>Stores the data in <paramref name="path"/> (its directory must exist); blocks are hashed with <paramref name="suite"/> when loaded.</summary>
    public FileSafetyStorage(string path, ICryptoSuite suite)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(suite);
        _path = Path.GetFullPath(path);
        _suite = suite;
    }

    /// <summary>The file's full path.</summary>
    public string FilePath => _path;

    /// <inheritdoc/>
    public SafetyData? Load()
    {
        if (!File.Exists(_path))
        {
            return null;
        }

        return Decode(File.ReadAllBytes(_path), _path);
    }

    /// <inheritdoc/>
    public void Save(SafetyData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var bytes = Encode(data);
        string temporary = _path + ".tmp";
        // No FileOptions.WriteThrough (O_SYNC): the fsync of Flush(flushToDisk: true) makes the write durable
        // before the rename, and O_SYNC only synced the same bytes a second time.
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 0))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, _path, overwrite: true);
        FlushDirectory(Path.GetDirectoryName(_path)!);
    }

    /// <inheritdoc/>
    public void SaveBlock(HotStuffBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        string blocksPath = _path + ".blocks";
        bool created = !File.Exists(blocksPath);
        // The record comes from the array pool (a block of a few hundred transactions is a large object), and is
        // written unbuffered and fsync'd once, as in Save.
        int length = RecordLength(block);
        byte[] record = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            EncodeRecord(block, record.AsSpan(0, length));
            using var stream = new FileStream(blocksPath, FileMode.Append, FileAccess.Write, FileShare.None, 0);
            stream.Write(record, 0, length);
            stream.Flush(flushToDisk: true);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(record);
        }

        if (created)
        {
            FlushDirectory(Path.GetDirectoryName(_path)!);
        }
    }

    /// <summary>Bytes in the block log (0 when it does not exist).</summary>
    public long BlockLogLength
    {
        get
        {
            var info = new FileInfo(_path + ".blocks");
            return info.Exists ? info.Length : 0;
        }
    }

    /// <summary>
    /// Rewrites the block log keeping only blocks above <paramref name="committedHeight"/> (a block at or below the
    /// committed height is final or abandoned and never needed again), atomically as <see cref="Save"/> does.
    /// Returns how many blocks were kept.
    /// </summary>
    public int CompactBlocks(long committedHeight)
    {
        string blocksPath = _path + ".blocks";
        if (!File.Exists(blocksPath))
        {
            return 0;
        }

        int kept = 0;
        string temporary = blocksPath + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            foreach (var block in LoadBlocks())
            {
                if (block.Height > committedHeight)
                {
                    stream.Write(EncodeRecord(block));
                    kept++;
                }
            }

            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, blocksPath, overwrite: true);
        FlushDirectory(Path.GetDirectoryName(_path)!);
        return kept;
    }

    /// <inheritdoc/>
    public IReadOnlyList<HotStuffBlock> LoadBlocks()
    {
        string blocksPath = _path + ".blocks";
        var blocks = new List<HotStuffBlock>();
        if (!File.Exists(blocksPath))
        {
            return blocks;
        }

        var bytes = File.ReadAllBytes(blocksPath).AsSpan();
        int offset = 0;
        Span<byte> checksum = stackalloc byte[ChecksumLength];
        while (bytes.Length - offset >= 4)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(bytes[offset..]);
            if (length < 84 || length > MaxBlockRecord)
            {
                throw new InvalidDataException($"block file {blocksPath}: record at offset {offset} claims {length} bytes, outside [84, {MaxBlockRecord}]");
            }

            if (bytes.Length - offset - 4 < length + ChecksumLength)
            {
                break; // a torn final append: the block was never acknowledged
            }

            var body = bytes.Slice(offset + 4, length);
            SHA256.HashData(body, checksum);
            if (!checksum.SequenceEqual(bytes.Slice(offset + 4 + length, ChecksumLength)))
            {
                throw new InvalidDataException($"block file {blocksPath}: record at offset {offset} fails its SHA-256 checksum");
            }

            string name = $"{blocksPath}@{offset}";
            int at = 80;
            var justify = ReadQc(body, ref at, name);
            Require(body, at, 4, name, "payload length");
            int payloadLength = BinaryPrimitives.ReadInt32BigEndian(body[at..]);
            if (payloadLength != body.Length - at - 4)
            {
                throw new InvalidDataException($"block file {name}: payload length {payloadLength} does not match the {body.Length - at - 4} bytes left");
            }

            blocks.Add(HotStuffBlock.FromParts(
                _suite,
                new Hash256(body[..32]),
                BinaryPrimitives.ReadInt64BigEndian(body[32..]),
                BinaryPrimitives.ReadInt64BigEndian(body[40..]),
                body[(at + 4)..],
                new Hash256(body.Slice(48, 32)),
                justify));
            offset += 4 + length + ChecksumLength;
        }

        return blocks;
    }

    private static byte[] EncodeRecord(HotStuffBlock block)
    {
        var record = new byte[RecordLength(block)];
        EncodeRecord(block, record);
        return record;
    }

    private static int RecordLength(HotStuffBlock block) => 4 + BodyLength(block) + ChecksumLength;

    private static int BodyLength(HotStuffBlock block) => 32 + 8 + 8 + 32 + QcLength(block.Justify) + 4 + block.Payload.Length;

    private static void EncodeRecord(HotStuffBlock block, Span<byte> span)
    {
        int bodyLength = BodyLength(block);
        BinaryPrimitives.WriteInt32BigEndian(span, bodyLength);
        var body = span.Slice(4, bodyLength);
        block.ParentHash.Bytes.CopyTo(body);
        BinaryPrimitives.WriteInt64BigEndian(body[32..], block.View);
        BinaryPrimitives.WriteInt64BigEndian(body[40..], block.Height);
        block.StateRoot.Bytes.CopyTo(body[48..]);
        int at = WriteQc(body, 80, block.Justify);
        BinaryPrimitives.WriteInt32BigEndian(body[at..], block.Payload.Length);
        block.Payload.Span.CopyTo(body[(at + 4)..]);
        SHA256.HashData(body, span[(4 + bodyLength)..]);
    }

    /// <summary>The file format: magic, version, last voted view, locked QC, high QC, SHA-256 of all before it.</summary>
    internal static byte[] Encode(SafetyData data)
    {
        int length = s_magic.Length + 1 + 8 + QcLength(data.LockedQc) + QcLength(data.HighQc) + ChecksumLength;
        var bytes = new byte[length];
        var span = bytes.AsSpan();
        s_magic.CopyTo(span);
        int at = s_magic.Length;
        span[at++] = FormatVersion;
        BinaryPrimitives.WriteInt64BigEndian(span[at..], data.LastVotedView);
        at += 8;
        at = WriteQc(span, at, data.LockedQc);
        at = WriteQc(span, at, data.HighQc);
        SHA256.HashData(span[..at], span[at..]);
        return bytes;
    }

    /// <summary>Parses <see cref="Encode"/>'s output; any damage gives an <see cref="InvalidDataException"/> naming the file and the problem.</summary>
    internal static SafetyData Decode(ReadOnlySpan<byte> bytes, string name)
    {
        int minimum = s_magic.Length + 1 + 8 + ChecksumLength;
        if (bytes.Length < minimum)
        {
            throw new InvalidDataException($"safety file {name} is {bytes.Length} bytes, shorter than the minimum {minimum}");
        }

        if (!bytes[..s_magic.Length].SequenceEqual(s_magic))
        {
            throw new InvalidDataException($"safety file {name} does not start with the magic \"TRSF\"");
        }

        Span<byte> checksum = stackalloc byte[ChecksumLength];
        var body = bytes[..^ChecksumLength];
        SHA256.HashData(body, checksum);
        if (!checksum.SequenceEqual(bytes[^ChecksumLength..]))
        {
            throw new InvalidDataException($"safety file {name} fails its SHA-256 checksum (torn write or tampering)");
        }

        if (body[s_magic.Length] != FormatVersion)
        {
            throw new InvalidDataException($"safety file {name} has format version {body[s_magic.Length]}, expected {FormatVersion}");
        }

        int at = s_magic.Length + 1;
        long lastVoted = BinaryPrimitives.ReadInt64BigEndian(body[at..]);
        at += 8;
        var locked = ReadQc(body, ref at, name);
        var high = ReadQc(body, ref at, name);
        if (at != body.Length)
        {
            throw new InvalidDataException($"safety file {name} has {body.Length - at} unexpected trailing bytes");
        }

        if (lastVoted < 0)
        {
            throw new InvalidDataException($"safety file {name} records a negative last voted view {lastVoted}");
        }

        return new SafetyData(lastVoted, locked, high);
    }

    private static int QcLength(QuorumCertificate qc)
    {
        int length = 8 + 32 + 4;
        foreach (var signature in qc.Signatures)
        {
            length += 4 + 4 + signature.Signature.Length;
        }

        return length;
    }

    private static int WriteQc(Span<byte> span, int at, QuorumCertificate qc)
    {
        BinaryPrimitives.WriteInt64BigEndian(span[at..], qc.View);
        at += 8;
        qc.BlockHash.Bytes.CopyTo(span[at..]);
        at += 32;
        BinaryPrimitives.WriteInt32BigEndian(span[at..], qc.Signatures.Count);
        at += 4;
        foreach (var signature in qc.Signatures)
        {
            BinaryPrimitives.WriteInt32BigEndian(span[at..], signature.Validator);
            at += 4;
            BinaryPrimitives.WriteInt32BigEndian(span[at..], signature.Signature.Length);
            at += 4;
            signature.Signature.CopyTo(span[at..]);
            at += signature.Signature.Length;
        }

        return at;
    }

    private static QuorumCertificate ReadQc(ReadOnlySpan<byte> body, ref int at, string name)
    {
        Require(body, at, 8 + 32 + 4, name, "QC header");
        long view = BinaryPrimitives.ReadInt64BigEndian(body[at..]);
        var hash = new Hash256(body.Slice(at + 8, 32));
        int count = BinaryPrimitives.ReadInt32BigEndian(body[(at + 40)..]);
        at += 44;
        if (count < 0 || count > MaxSignatures)
        {
            throw new InvalidDataException($"safety file {name} has a QC with {count} signatures; the limit is [0, {MaxSignatures}]");
        }

        var signatures = new ValidatorSignature[count];
        for (int i = 0; i < count; i++)
        {
            Require(body, at, 8, name, "signature header");
            int validator = BinaryPrimitives.ReadInt32BigEndian(body[at..]);
            int length = BinaryPrimitives.ReadInt32BigEndian(body[(at + 4)..]);
            at += 8;
            if (length < 0 || length > MaxSignatureLength)
            {
                throw new InvalidDataException($"safety file {name} has a signature of {length} bytes; the limit is [0, {MaxSignatureLength}]");
            }

            Require(body, at, length, name, "signature");
            signatures[i] = new ValidatorSignature(validator, body.Slice(at, length).ToArray());
            at += length;
        }

        return new QuorumCertificate(view, hash, signatures);
    }

    private static void Require(ReadOnlySpan<byte> body, int at, int needed, string name, string what)
    {
        if (body.Length - at < needed)
        {
            throw new InvalidDataException($"safety file {name} is truncated: {what} needs {needed} bytes at offset {at}, {body.Length - at} remain");
        }
    }

    private static void FlushDirectory(string directory) => DirectoryDurability.Flush(directory, "the safety file's rename");
}
