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
