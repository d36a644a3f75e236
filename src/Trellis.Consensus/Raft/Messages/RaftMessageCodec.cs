using Google.Protobuf;
using Trellis.Consensus.Raft.Messages.Wire;

namespace Trellis.Consensus.Raft.Messages;

/// <summary>
/// Raft messages on the wire: one protobuf <c>WireRaftMessage</c> per consensus frame. Decoding is strict: any bytes
/// a peer sends give either a well-formed message (<see cref="RaftReplica.Validate"/> passes) or a reason, never an
/// exception.
/// </summary>
public static class RaftMessageCodec
{
    /// <summary>Most entries one AppendEntries may carry on the wire.</summary>
    public const int MaxEntries = 4096;

    /// <summary>Encodes a message. Payload bytes are referenced, not copied, until the returned array is built.</summary>
    /// <exception cref="ArgumentException">A term or index is negative (the replica never produces one).</exception>
    public static byte[] Encode(RaftMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var wire = new WireRaftMessage();
        switch (message)
        {
            case RequestVoteMessage vote:
                wire.RequestVote = new WireRequestVote { Term = U(vote.Term), LastLogIndex = U(vote.LastLogIndex), LastLogTerm = U(vote.LastLogTerm), PreVote = vote.PreVote };
                break;
            case RequestVoteResponseMessage response:
                wire.RequestVoteResponse = new WireRequestVoteResponse { Term = U(response.Term), Granted = response.Granted, PreVote = response.PreVote };
                break;
            case AppendEntriesMessage append:
                var entries = new WireAppendEntries
                {
                    Term = U(append.Term),
                    PrevLogIndex = U(append.PrevLogIndex),
                    PrevLogTerm = U(append.PrevLogTerm),
                    LeaderCommit = U(append.LeaderCommit),
                    LeaderHeight = append.LeaderHeight,
                };
                foreach (var entry in append.Entries)
                {
                    entries.Entries.Add(new WireEntry { Term = U(entry.Term), Payload = UnsafeByteOperations.UnsafeWrap(entry.Payload) });
                }

                wire.AppendEntries = entries;
                break;
            case AppendEntriesResponseMessage response:
                wire.AppendEntriesResponse = new WireAppendEntriesResponse { Term = U(response.Term), Success = response.Success, Index = U(response.Index) };
                break;
            case CatchUpMessage catchUp:
                wire.CatchUp = new WireCatchUp { Term = U(catchUp.Term), SnapshotIndex = U(catchUp.SnapshotIndex), SnapshotTerm = U(catchUp.SnapshotTerm), LeaderHeight = catchUp.LeaderHeight };
                break;
            default:
                throw new ArgumentException($"cannot encode raft message type {message.GetType().Name}", nameof(message));
        }

        return wire.ToByteArray();
    }

    /// <summary>Decodes and validates a message; false with a reason for anything malformed.</summary>
    public static bool TryDecode(ReadOnlyMemory<byte> bytes, out RaftMessage? message, out string? error)
    {
        message = null;
        WireRaftMessage wire;
        try
        {
            wire = WireRaftMessage.Parser.ParseFrom(bytes.Span);
        }
        catch (InvalidProtocolBufferException e)
        {
            error = $"raft message of {bytes.Length} bytes is not valid protobuf: {e.Message}";
            return false;
        }

        error = wire.BodyCase switch
        {
            WireRaftMessage.BodyOneofCase.RequestVote => FromWire(wire.RequestVote, out message),
            WireRaftMessage.BodyOneofCase.RequestVoteResponse => FromWire(wire.RequestVoteResponse, out message),
            WireRaftMessage.BodyOneofCase.AppendEntries => FromWire(wire.AppendEntries, out message),
            WireRaftMessage.BodyOneofCase.AppendEntriesResponse => FromWire(wire.AppendEntriesResponse, out message),
            WireRaftMessage.BodyOneofCase.CatchUp => FromWire(wire.CatchUp, out message),
            _ => $"raft message of {bytes.Length} bytes carries no known message (body case {wire.BodyCase})",
        };
        if (error is null && message is not null)
        {
            string? invalid = RaftReplica.Validate(message);
            if (invalid is not null)
            {
                error = $"raft {message.GetType().Name} is invalid: {invalid}";
                message = null;
            }
        }

        return error is null;
    }

    private static string? FromWire(WireRequestVote wire, out RaftMessage? message)
    {
        message = null;
        if (!TryLong(wire.Term, "term", out long term, out string? error)
            || !TryLong(wire.LastLogIndex, "last log index", out long lastIndex, out error)
            || !TryLong(wire.LastLogTerm, "last log term", out long lastTerm, out error))
        {
            return "RequestVote " + error;
        }

        message = new RequestVoteMessage(term, lastIndex, lastTerm, wire.PreVote);
        return null;
    }

    private static string? FromWire(WireRequestVoteResponse wire, out RaftMessage? message)
    {
        message = null;
        if (!TryLong(wire.Term, "term", out long term, out string? error))
        {
            return "RequestVoteResponse " + error;
        }

        message = new RequestVoteResponseMessage(term, wire.Granted, wire.PreVote);
        return null;
    }

    private static string? FromWire(WireAppendEntries wire, out RaftMessage? message)
    {
        message = null;
        if (!TryLong(wire.Term, "term", out long term, out string? error)
            || !TryLong(wire.PrevLogIndex, "previous log index", out long prevIndex, out error)
            || !TryLong(wire.PrevLogTerm, "previous log term", out long prevTerm, out error)
            || !TryLong(wire.LeaderCommit, "leader commit", out long commit, out error))
        {
            return "AppendEntries " + error;
        }

        if (wire.Entries.Count > MaxEntries)
        {
            return $"AppendEntries carries {wire.Entries.Count} entries; the limit is {MaxEntries}";
        }

        if (prevIndex > long.MaxValue - MaxEntries)
        {
            return $"AppendEntries previous log index {prevIndex} leaves no room for entries";
        }

        var entries = new RaftEntry[wire.Entries.Count];
        for (int i = 0; i < entries.Length; i++)
        {
            var entry = wire.Entries[i];
            if (!TryLong(entry.Term, $"entry {i} term", out long entryTerm, out error))
            {
                return "AppendEntries " + error;
            }

            entries[i] = new RaftEntry(prevIndex + 1 + i, entryTerm, entry.Payload.Memory);
        }

        message = new AppendEntriesMessage(term, prevIndex, prevTerm, entries, commit, wire.LeaderHeight);
        return null;
    }

    private static string? FromWire(WireAppendEntriesResponse wire, out RaftMessage? message)
    {
        message = null;
        if (!TryLong(wire.Term, "term", out long term, out string? error) || !TryLong(wire.Index, "index", out long index, out error))
        {
            return "AppendEntriesResponse " + error;
        }

        message = new AppendEntriesResponseMessage(term, wire.Success, index);
        return null;
    }

    private static string? FromWire(WireCatchUp wire, out RaftMessage? message)
    {
        message = null;
        if (!TryLong(wire.Term, "term", out long term, out string? error)
            || !TryLong(wire.SnapshotIndex, "snapshot index", out long index, out error)
            || !TryLong(wire.SnapshotTerm, "snapshot term", out long snapshotTerm, out error))
        {
            return "CatchUp " + error;
        }

        message = new CatchUpMessage(term, index, snapshotTerm, wire.LeaderHeight);
        return null;
    }

    private static bool TryLong(ulong value, string name, out long result, out string? error)
    {
        if (value > long.MaxValue)
        {
            result = 0;
            error = $"{name} {value} exceeds {long.MaxValue}";
            return false;
        }

        result = (long)value;
        error = null;
        return true;
    }

    private static ulong U(long value) =>
        value >= 0 ? (ulong)value : throw new ArgumentException($"raft terms and indexes are never negative, got {value}", nameof(value));
}
