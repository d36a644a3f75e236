using System.Buffers;
using System.IO.Pipelines;
using FsCheck;
using FsCheck.Fluent;
using Google.Protobuf;
using Trellis.Network.Framing;
using Trellis.Network.Messages;

namespace Trellis.Network.Tests.Framing;

public sealed class FrameReaderTests
{
    // Protobuf wire format written out by hand from the encoding spec: field 1 varint (tag 0x08) = 16,
    // field 2 bytes (tag 0x12) length 3 "abc", field 3 varint (tag 0x18) = 300 (0xac 0x02), field 4 bool (tag 0x20) = 1.
    private static readonly byte[] HandEncodedFrame =
        [0, 0, 0, 12, 0x08, 0x10, 0x12, 0x03, (byte)'a', (byte)'b', (byte)'c', 0x18, 0xac, 0x02, 0x20, 0x01];

    [Fact]
    public async Task Read_DecodesAHandEncodedFrame()
    {
        Envelope? envelope = await ReadOneAsync(HandEncodedFrame);
        Assert.NotNull(envelope);
        Assert.Equal(MessageType.Transaction, envelope.Type);
        Assert.Equal("abc"u8.ToArray(), envelope.Payload.ToByteArray());
        Assert.Equal(300UL, envelope.RequestId);
        Assert.True(envelope.IsResponse);
    }

    [Fact]
    public void Encode_ProducesTheHandEncodedBytes()
    {
        var envelope = new Envelope { Type = MessageType.Transaction, Payload = ByteString.CopyFromUtf8("abc"), RequestId = 300, IsResponse = true };
        Assert.Equal(HandEncodedFrame, FrameFormat.Encode(envelope));
    }

    [Fact]
    public async Task Read_AssemblesFramesDeliveredOneByteAtATime()
    {
        var pipe = new Pipe();
        var reader = new FrameReader(pipe.Reader);
        byte[] two = [.. HandEncodedFrame, .. FrameFormat.Encode(new Envelope { Type = MessageType.Consensus })];
        Task writing = Task.Run(async () =>
        {
            foreach (byte b in two)
            {
                await pipe.Writer.WriteAsync(new[] { b });
            }

            await pipe.Writer.CompleteAsync();
        });

        Envelope? first = await reader.ReadAsync();
        Envelope? second = await reader.ReadAsync();
        Envelope? end = await reader.ReadAsync();
        await writing;
        Assert.Equal(300UL, first!.RequestId);
        Assert.Equal(MessageType.Consensus, second!.Type);
        Assert.Null(end);
    }

    [Fact]
    public async Task Read_RejectsAnOversizedLengthBeforeTheBodyArrives()
    {
        var pipe = new Pipe();
        var reader = new FrameReader(pipe.Reader, maxFrameSize: 1000);
        await pipe.Writer.WriteAsync(new byte[] { 0, 0, 0x03, 0xe9 }); // 1001, and no body at all
        FrameException error = await Assert.ThrowsAsync<FrameException>(async () => await reader.ReadAsync());
        Assert.Equal(FrameError.Oversized, error.Error);
        Assert.Equal("frame length 1001 exceeds the maximum frame size 1000", error.Message);
    }

    [Fact]
    public async Task Read_AcceptsAFrameOfExactlyTheMaximumSize()
    {
        byte[] frame = FrameFormat.Encode(new Envelope { Type = MessageType.Transaction, Payload = ByteString.CopyFrom(new byte[100]) });
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(frame);
        await pipe.Writer.CompleteAsync();
        Envelope? envelope = await new FrameReader(pipe.Reader, maxFrameSize: frame.Length - 4).ReadAsync();
        Assert.Equal(100, envelope!.Payload.Length);
    }

    [Fact]
    public async Task Read_ReportsATruncatedBody()
    {
        FrameException error = await Assert.ThrowsAsync<FrameException>(async () => await ReadOneAsync([0, 0, 0, 10, 0x08, 0x10]));
        Assert.Equal(FrameError.Truncated, error.Error);
        Assert.Equal("stream ended inside a frame: got 2 of 10 body bytes", error.Message);
    }

    [Fact]
    public async Task Read_ReportsATruncatedLength()
    {
        FrameException error = await Assert.ThrowsAsync<FrameException>(async () => await ReadOneAsync([0, 0]));
        Assert.Equal("stream ended inside a frame: got 2 of 4 length bytes", error.Message);
    }

    [Fact]
    public async Task Read_ReturnsNullAtACleanEnd()
    {
        Assert.Null(await ReadOneAsync([]));
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0, 2, 0x08, 0x00 }, "message type 0")] // type explicitly 0
    [InlineData(new byte[] { 0, 0, 0, 0 }, "message type 0")] // empty envelope
    [InlineData(new byte[] { 0, 0, 0, 4, 0x08, 0x10, 0x20, 0x01 }, "response without a request id")]
    [InlineData(new byte[] { 0, 0, 0, 1, 0x00 }, "is not a valid envelope")] // field number 0
    [InlineData(new byte[] { 0, 0, 0, 3, 0x12, 0x05, 0x01 }, "is not a valid envelope")] // bytes field longer than the body
    [InlineData(new byte[] { 0, 0, 0, 2, 0x08, 0xff }, "is not a valid envelope")] // unterminated varint
    [InlineData(new byte[] { 0, 0, 0, 1, 0x0f }, "is not a valid envelope")] // wire type 7 does not exist
    public async Task Read_RejectsMalformedBodies(byte[] frame, string reason)
    {
        FrameException error = await Assert.ThrowsAsync<FrameException>(async () => await ReadOneAsync(frame));
        Assert.Equal(FrameError.Malformed, error.Error);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_OnAnyBytes_YieldsEnvelopesOrAFrameExceptionAndNothingElse()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), bytes =>
        {
            try
            {
                var sequence = new ReadOnlySequence<byte>(bytes);
                while (FrameReader.TryParse(ref sequence, maxFrameSize: 64) is not null)
                {
                }

                return true;
            }
            catch (FrameException)
            {
                return true;
            }
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Read_OnValidFramesWithRandomPayloads_RoundTrips()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), ArbMap.Default.ArbFor<ulong>(), (payload, requestId) =>
        {
            var envelope = new Envelope { Type = MessageType.BlockAnnouncement, Payload = ByteString.CopyFrom(payload), RequestId = requestId };
            var sequence = new ReadOnlySequence<byte>(FrameFormat.Encode(envelope));
            Envelope? parsed = FrameReader.TryParse(ref sequence, FrameFormat.DefaultMaxFrameSize);
            return parsed is not null && parsed.Equals(envelope) && sequence.IsEmpty;
        }).QuickCheckThrowOnFailure();
    }

    private static async Task<Envelope?> ReadOneAsync(byte[] bytes)
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(bytes);
        await pipe.Writer.CompleteAsync();
        return await new FrameReader(pipe.Reader).ReadAsync();
    }
}
