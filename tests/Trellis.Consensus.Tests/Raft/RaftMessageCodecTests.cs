using FsCheck;
using FsCheck.Fluent;
using Trellis.Consensus.Raft;
using Trellis.Consensus.Raft.Messages;
using Trellis.Consensus.Raft.Messages.Wire;

namespace Trellis.Consensus.Tests.Raft;

public sealed class RaftMessageCodecTests
{
    public static TheoryData<RaftMessage> Messages() =>
    [
        new RequestVoteMessage(5, 17, 4),
        new RequestVoteResponseMessage(5, true),
        new RequestVoteMessage(6, 17, 4, PreVote: true),
        new RequestVoteResponseMessage(6, true, PreVote: true),
        new RequestVoteResponseMessage(3, false, PreVote: true),
        new AppendEntriesResponseMessage(6, false, 12),
        new CatchUpMessage(9, 40, 8, 123_456),
        new AppendEntriesMessage(3, 0, 0, [], 0, 0),
    ];

    [Theory]
    [MemberData(nameof(Messages))]
    public void EncodeThenDecode_GivesTheSameMessage(RaftMessage message)
    {
        Assert.True(RaftMessageCodec.TryDecode(RaftMessageCodec.Encode(message), out var decoded, out string? error), error);
        Assert.Equal(message.GetType(), decoded!.GetType());
        if (message is not AppendEntriesMessage)
        {
            Assert.Equal(message, decoded);
        }
    }

    [Fact]
    public void AppendEntries_KeepTheirEntriesTermsPayloadsAndIndexes()
    {
        var message = new AppendEntriesMessage(4, 10, 3, [new RaftEntry(11, 3, new byte[] { 1, 2 }), new RaftEntry(12, 4, ReadOnlyMemory<byte>.Empty)], 9, 77);

        Assert.True(RaftMessageCodec.TryDecode(RaftMessageCodec.Encode(message), out var decoded, out string? error), error);

        var append = Assert.IsType<AppendEntriesMessage>(decoded);
        Assert.Equal((4L, 10L, 3L, 9L, 77UL), (append.Term, append.PrevLogIndex, append.PrevLogTerm, append.LeaderCommit, append.LeaderHeight));
        Assert.Equal([11L, 12L], append.Entries.Select(e => e.Index));
        Assert.Equal([3L, 4L], append.Entries.Select(e => e.Term));
        Assert.Equal(new byte[] { 1, 2 }, append.Entries[0].Payload.ToArray());
        Assert.True(append.Entries[1].Payload.IsEmpty);
    }

    [Fact]
    public void TermsBeyondASignedLong_AreRefusedWithAReason()
    {
        var wire = new WireRaftMessage { RequestVote = new WireRequestVote { Term = ulong.MaxValue } };

        Assert.False(RaftMessageCodec.TryDecode(wire.ToByteArrayForTest(), out var message, out string? error));

        Assert.Null(message);
        Assert.Contains("exceeds", error, StringComparison.Ordinal);
    }

    [Fact]
    public void EntriesNewerThanTheMessagesTerm_AreRefused()
    {
        var wire = new WireRaftMessage { AppendEntries = new WireAppendEntries { Term = 2 } };
        wire.AppendEntries.Entries.Add(new WireEntry { Term = 3 });

        Assert.False(RaftMessageCodec.TryDecode(wire.ToByteArrayForTest(), out _, out string? error));

        Assert.Contains("does not follow", error, StringComparison.Ordinal);
    }

    [Fact]
    public void VoteMessages_EncodedWithoutThePreVoteField_DecodeAsRealVotes()
    {
        // Field 4 of RequestVote and 3 of its response are new; these are the bytes an older node sends.
        byte[] request = [0x0a, 0x06, 0x08, 0x05, 0x10, 0x11, 0x18, 0x04];
        byte[] response = [0x12, 0x04, 0x08, 0x05, 0x10, 0x01];

        Assert.True(RaftMessageCodec.TryDecode(request, out var vote, out string? error), error);
        Assert.True(RaftMessageCodec.TryDecode(response, out var answer, out error), error);

        Assert.Equal(new RequestVoteMessage(5, 17, 4), vote);
        Assert.Equal(new RequestVoteResponseMessage(5, true), answer);
    }

    [Fact]
    public void PreVoteFlag_IsField4OfRequestVoteAndField3OfItsResponse()
    {
        Assert.Equal(new byte[] { 0x0a, 0x08, 0x08, 0x06, 0x10, 0x11, 0x18, 0x04, 0x20, 0x01 }, RaftMessageCodec.Encode(new RequestVoteMessage(6, 17, 4, PreVote: true)));
        Assert.Equal(new byte[] { 0x12, 0x06, 0x08, 0x06, 0x10, 0x01, 0x18, 0x01 }, RaftMessageCodec.Encode(new RequestVoteResponseMessage(6, true, PreVote: true)));
    }

    [Fact]
    public void PreVote_WithATermBeyondTheLastUsable_OrATruncatedFlag_IsRefused()
    {
        var beyond = new WireRaftMessage { RequestVote = new WireRequestVote { Term = long.MaxValue, PreVote = true } };
        Assert.False(RaftMessageCodec.TryDecode(beyond.ToByteArrayForTest(), out _, out string? error));
        Assert.Contains("newer than the candidate's term", error, StringComparison.Ordinal);

        // The flag's tag with no value after it.
        byte[] truncated = [0x0a, 0x03, 0x08, 0x05, 0x20];
        Assert.False(RaftMessageCodec.TryDecode(truncated, out var message, out error));
        Assert.Null(message);
        Assert.Contains("not valid protobuf", error, StringComparison.Ordinal);
    }

    [Fact]
    public void PreVoteFlag_WithTheWrongWireType_IsAnUnknownField_SoTheMessageIsARealVote()
    {
        // Field 4 as length-delimited (wire type 2): protobuf skips it as unknown; it never makes a pre-vote.
        byte[] wrongType = [0x0a, 0x04, 0x08, 0x05, 0x22, 0x00];

        Assert.True(RaftMessageCodec.TryDecode(wrongType, out var message, out string? error), error);

        Assert.Equal(new RequestVoteMessage(5, 0, 0), message);
    }

    [Fact]
    public void EmptyMessage_IsRefused()
    {
        Assert.False(RaftMessageCodec.TryDecode(ReadOnlyMemory<byte>.Empty, out _, out string? error));
        Assert.Contains("no known message", error, StringComparison.Ordinal);
    }

    [Fact]
    public void RandomBytes_NeverThrow() =>
        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), bytes =>
        {
            bool decoded = RaftMessageCodec.TryDecode(bytes, out var message, out string? error);
            return decoded ? message is not null && error is null : message is null && !string.IsNullOrEmpty(error);
        }).QuickCheckThrowOnFailure();
}

internal static class WireTestExtensions
{
    public static byte[] ToByteArrayForTest(this Google.Protobuf.IMessage message) => Google.Protobuf.MessageExtensions.ToByteArray(message);
}
