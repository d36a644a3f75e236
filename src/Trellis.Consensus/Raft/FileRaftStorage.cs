using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Trellis.Consensus.Raft;

/// <summary>
/// Raft state in one append-only file: a 5-byte header ("TRRF", version) then records, each a 4-byte big-endian
/// length, a body (type byte and fields) and the body's SHA-256. A term/vote, entry or truncation record is flushed
/// to disk (fsync) before its method returns; a compaction record is only written (the next fsync carries it).
/// Loading replays the records; a torn final record (a crash mid-write, never acknowledged) is cut off, damage
/// anywhere else is an error. When the file outgrows <see cref="RewriteThreshold"/> after a compaction it is
/// rewritten with only the live state (temporary file, fsync, rename, directory fsync), so it stays bounded: the
/// committed chain lives in the block store.
/// </summary>
public sealed class FileRaftStorage : IRaftStorage, IDisposable
{
    /// <summary>File size above which a compaction rewrites the file.</summary>
    public const long RewriteThreshold = 16L * 1024 * 1024;

    private const byte FormatVersion = 1;
    private const int HeaderLength = 5;
    private const int ChecksumLength = 32;
    private const int MaxRecord = 256 * 1024 * 1024;
    private const byte TermVoteRecord = 1;
    private const byte EntryRecord = 2;
    private const byte TruncateRecord = 3;
    private const byte CompactRecord = 4;
    private static readonly byte[] s_magic = "TRRF"u8.ToArray();

    private readonly string _path;
    private readonly List<RaftEntry> _entries = [];
    private FileStream _stream;
    private long _term;
    private int _votedFor = -1;
    private long _snapshotIndex;
    private long _snapshotTerm;

    /// <summary>Opens (or creates) the file at <paramref name="path"/>, whose directory must exist, and reads it.</summary>
    /// <exception cref="InvalidDataException">The file is damaged other than by a torn final record.</exception>
    public FileRaftStorage(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _path = Path.GetFullPath(path);
        bool created = !File.Exists(_path);
        _stream = new FileStream(_path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 1, FileOptions.None);
        try
        {
            if (created || _stream.Length == 0)
            {
                WriteHeader(_stream);
                _stream.Flush(flushToDisk: true);
                FlushDirectory(Path.GetDirectoryName(_path)!);
            }
            else
            {
                var bytes = new byte[_stream.Length];
                _stream.ReadExactly(bytes);
                long valid = Replay(bytes);
                if (valid < bytes.Length)
                {
                    // Cut the torn tail so new records follow the last whole one.
                    _stream.SetLength(valid);
                    _stream.Flush(flushToDisk: true);
                }
            }

            _stream.Seek(0, SeekOrigin.End);
        }
        catch
        {
            _stream.Dispose();
            throw;
        }
    }

    /// <summary>The file's full path.</summary>
    public string FilePath => _path;

    /// <summary>The file's current size in bytes.</summary>
    public long FileLength => _stream.Length;

    /// <inheritdoc/>
    public RaftPersistentState Load() => new(_term, _votedFor, _snapshotIndex, _snapshotTerm, [.. _entries]);

    /// <inheritdoc/>
    public void SaveTermAndVote(long term, int votedFor)
    {
        Span<byte> body = stackalloc byte[13];
        body[0] = TermVoteRecord;
        BinaryPrimitives.WriteInt64BigEndian(body[1..], term);
        BinaryPrimitives.WriteInt32BigEndian(body[9..], votedFor);
        WriteRecord(_stream, body);
        _stream.Flush(flushToDisk: true);
        _term = term;
        _votedFor = votedFor;
    }

    /// <inheritdoc/>
    public void Append(IReadOnlyList<RaftEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        long next = LastIndex + 1;
        foreach (var entry in entries)
        {
            if (entry.Index != next++)
            {
                throw new ArgumentException($"raft storage {_path}: appended entry index {entry.Index} does not follow the last stored index {next - 2}", nameof(entries));
            }
        }

        foreach (var entry in entries)
        {
            var body = EntryBody(entry);
            WriteRecord(_stream, body);
            _entries.Add(new RaftEntry(entry.Index, entry.Term, body.AsMemory(17)));
        }

        _stream.Flush(flushToDisk: true);
    }

    /// <inheritdoc/>
    public void TruncateFrom(long index)
    {
        int keep = (int)Math.Clamp(index - _snapshotIndex - 1, 0, _entries.Count);
        if (keep == _entries.Count)
        {
            return;
        }

        Span<byte> body = stackalloc byte[9];
        body[0] = TruncateRecord;
        BinaryPrimitives.WriteInt64BigEndian(body[1..], index);
        WriteRecord(_stream, body);
        _stream.Flush(flushToDisk: true);
        _entries.RemoveRange(keep, _entries.Count - keep);
    }

    /// <inheritdoc/>
    public void Compact(long index, long term)
    {
        if (index <= _snapshotIndex)
        {
            return;
        }

        Span<byte> body = stackalloc byte[17];
        body[0] = CompactRecord;
        BinaryPrimitives.WriteInt64BigEndian(body[1..], index);
        BinaryPrimitives.WriteInt64BigEndian(body[9..], term);
        WriteRecord(_stream, body);
        _stream.Flush(flushToDisk: false);
        ApplyCompact(index, term);
        if (_stream.Length > RewriteThreshold)
        {
            Rewrite();
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _stream.Dispose();

    private long LastIndex => _entries.Count > 0 ? _entries[^1].Index : _snapshotIndex;

    private void ApplyCompact(long index, long term)
    {
        int drop = (int)Math.Clamp(index - _snapshotIndex, 0, _entries.Count);
        _entries.RemoveRange(0, drop);
        if (_entries.Count > 0 && _entries[0].Index != index + 1)
        {
            _entries.Clear();
        }

        _snapshotIndex = index;
        _snapshotTerm = term;
    }

    private static void WriteRecord(Stream stream, ReadOnlySpan<byte> body)
    {
        Span<byte> frame = stackalloc byte[4 + ChecksumLength];
        BinaryPrimitives.WriteInt32BigEndian(frame, body.Length);
        stream.Write(frame[..4]);
        stream.Write(body);
        SHA256.HashData(body, frame[4..]);
        stream.Write(frame[4..]);
    }

    private long Replay(byte[] file)
    {
        if (file.Length < HeaderLength || !file.AsSpan(0, 4).SequenceEqual(s_magic))
        {
            throw new InvalidDataException($"raft storage {_path} does not start with the magic \"TRRF\"");
        }

        if (file[4] != FormatVersion)
        {
            throw new InvalidDataException($"raft storage {_path} has format version {file[4]}, expected {FormatVersion}");
        }

        var bytes = file.AsSpan();
        int offset = HeaderLength;
        Span<byte> checksum = stackalloc byte[ChecksumLength];
        while (offset < bytes.Length)
        {
            int remaining = bytes.Length - offset;
            if (remaining < 4)
            {
                break; // a torn length prefix
            }

            int length = BinaryPrimitives.ReadInt32BigEndian(bytes[offset..]);
            if (length < 1 || length > MaxRecord)
            {
                if (remaining < 4 + 17 + ChecksumLength)
                {
                    break; // too short to be a whole record: a torn final write
                }

                throw new InvalidDataException($"raft storage {_path}: record at offset {offset} claims {length} bytes, outside [1, {MaxRecord}]");
            }

            long end = (long)offset + 4 + length + ChecksumLength;
            if (end > bytes.Length)
            {
                break; // runs past the end: the torn final write, never acknowledged
            }

            var body = bytes.Slice(offset + 4, length);
            SHA256.HashData(body, checksum);
            if (!checksum.SequenceEqual(bytes.Slice(offset + 4 + length, ChecksumLength)))
            {
                if (end == bytes.Length)
                {
                    break; // the last record, torn inside
                }

                throw new InvalidDataException($"raft storage {_path}: record at offset {offset} fails its SHA-256 checksum");
            }

            ApplyRecord(file, offset + 4, length);
            offset = (int)end;
        }

        return offset;
    }

    private void ApplyRecord(byte[] file, int start, int length)
    {
        var body = file.AsSpan(start, length);
        string where = $"raft storage {_path}: record at offset {start - 4}";
        switch (body[0])
        {
            case TermVoteRecord when length == 13:
                long term = BinaryPrimitives.ReadInt64BigEndian(body[1..]);
                int vote = BinaryPrimitives.ReadInt32BigEndian(body[9..]);
                if (term < _term || term < 0 || vote < -1)
                {
                    throw new InvalidDataException($"{where} sets term {term} (vote {vote}) after term {_term}");
                }

                _term = term;
                _votedFor = vote;
                break;
            case EntryRecord when length >= 17:
                long index = BinaryPrimitives.ReadInt64BigEndian(body[1..]);
                long entryTerm = BinaryPrimitives.ReadInt64BigEndian(body[9..]);
                if (index != LastIndex + 1 || entryTerm < 0)
                {
                    throw new InvalidDataException($"{where} holds entry ({index}, term {entryTerm}) but the log ends at {LastIndex}");
                }

                _entries.Add(new RaftEntry(index, entryTerm, file.AsMemory(start + 17, length - 17)));
                break;
            case TruncateRecord when length == 9:
                long from = BinaryPrimitives.ReadInt64BigEndian(body[1..]);
                int keep = (int)Math.Clamp(from - _snapshotIndex - 1, 0, _entries.Count);
                _entries.RemoveRange(keep, _entries.Count - keep);
                break;
            case CompactRecord when length == 17:
                long point = BinaryPrimitives.ReadInt64BigEndian(body[1..]);
                long pointTerm = BinaryPrimitives.ReadInt64BigEndian(body[9..]);
                if (point < 0 || pointTerm < 0)
                {
                    throw new InvalidDataException($"{where} compacts to a negative point ({point}, {pointTerm})");
                }

                if (point > _snapshotIndex)
                {
                    ApplyCompact(point, pointTerm);
                }

                break;
            default:
                throw new InvalidDataException($"{where} has unknown type {body[0]} or wrong length {length}");
        }
    }

    private void Rewrite()
    {
        string temporary = _path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024))
        {
            WriteHeader(stream);
            Span<byte> body = stackalloc byte[17];
            body[0] = TermVoteRecord;
            BinaryPrimitives.WriteInt64BigEndian(body[1..], _term);
            BinaryPrimitives.WriteInt32BigEndian(body[9..], _votedFor);
            WriteRecord(stream, body[..13]);
            body[0] = CompactRecord;
            BinaryPrimitives.WriteInt64BigEndian(body[1..], _snapshotIndex);
            BinaryPrimitives.WriteInt64BigEndian(body[9..], _snapshotTerm);
            WriteRecord(stream, body);
            foreach (var entry in _entries)
            {
                WriteRecord(stream, EntryBody(entry));
            }

            stream.Flush(flushToDisk: true);
        }

        _stream.Dispose();
        File.Move(temporary, _path, overwrite: true);
        FlushDirectory(Path.GetDirectoryName(_path)!);
        _stream = new FileStream(_path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read, 1, FileOptions.None);
        _stream.Seek(0, SeekOrigin.End);
    }

    private static byte[] EntryBody(RaftEntry entry)
    {
        var body = new byte[17 + entry.Payload.Length];
        body[0] = EntryRecord;
        BinaryPrimitives.WriteInt64BigEndian(body.AsSpan(1), entry.Index);
        BinaryPrimitives.WriteInt64BigEndian(body.AsSpan(9), entry.Term);
        entry.Payload.Span.CopyTo(body.AsSpan(17));
        return body;
    }

    private static void WriteHeader(Stream stream)
    {
        stream.Write(s_magic);
        stream.WriteByte(FormatVersion);
    }

    private static void FlushDirectory(string directory) => DirectoryDurability.Flush(directory, "the raft storage file's entry");
}
