using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Google.Protobuf;
using Trellis.Network.Messages;

namespace Trellis.Network.Framing;

/// <summary>
/// Reads frames from a <see cref="PipeReader"/>. The length is checked against the maximum before any body byte is
/// waited for, so an oversized claim costs nothing to refuse.
/// </summary>
public sealed class FrameReader
{
    private readonly PipeReader _reader;
    private readonly int _maxFrameSize;

    /// <summary>Creates a reader refusing bodies longer than <paramref name="maxFrameSize"/> bytes.</summary>
    public FrameReader(PipeReader reader, int maxFrameSize = FrameFormat.DefaultMaxFrameSize)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxFrameSize);
        _reader = reader;
        _maxFrameSize = maxFrameSize;
    }

    /// <summary>
    /// Reads the next envelope, or null when the stream ends cleanly between frames.
    /// </summary>
    /// <exception cref="FrameException">An oversized length, a body that is not a valid envelope, or a stream that
    /// ends inside a frame.</exception>
    public async ValueTask<Envelope?> ReadAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            ReadResult result = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            ReadOnlySequence<byte> buffer = result.Buffer;
            Envelope? envelope;
            try
            {
                envelope = TryParse(ref buffer, _maxFrameSize);
            }
            catch
            {
                _reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
                throw;
            }

            if (envelope is not null)
            {
                _reader.AdvanceTo(buffer.Start);
                return envelope;
            }

            if (result.IsCanceled)
            {
                _reader.AdvanceTo(buffer.Start, buffer.End);
                throw new OperationCanceledException("frame read was canceled");
            }

            if (result.IsCompleted)
            {
                string detail = DescribeIncomplete(buffer);
                _reader.AdvanceTo(buffer.End);
                if (detail.Length == 0)
                {
                    return null;
                }

                throw new FrameException(FrameError.Truncated, $"stream ended inside a frame: {detail}");
            }

            _reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static string DescribeIncomplete(ReadOnlySequence<byte> buffer)
    {
        if (buffer.Length == 0)
        {
            return string.Empty;
        }

        if (buffer.Length < FrameFormat.HeaderLength)
        {
            return $"got {buffer.Length} of {FrameFormat.HeaderLength} length bytes";
        }

        Span<byte> header = stackalloc byte[FrameFormat.HeaderLength];
        buffer.Slice(0, FrameFormat.HeaderLength).CopyTo(header);
        return $"got {buffer.Length - FrameFormat.HeaderLength} of {BinaryPrimitives.ReadUInt32BigEndian(header)} body bytes";
    }

    /// <summary>
    /// Parses one frame from the front of <paramref name="buffer"/> and slices it off; null when more bytes are needed.
    /// </summary>
    /// <exception cref="FrameException">An oversized length or a body that is not a valid envelope.</exception>
    public static Envelope? TryParse(ref ReadOnlySequence<byte> buffer, int maxFrameSize)
    {
        if (buffer.Length < FrameFormat.HeaderLength)
        {
            return null;
        }

        Span<byte> header = stackalloc byte[FrameFormat.HeaderLength];
        buffer.Slice(0, FrameFormat.HeaderLength).CopyTo(header);
        uint length = BinaryPrimitives.ReadUInt32BigEndian(header);
        if (length > (uint)maxFrameSize)
        {
            throw new FrameException(FrameError.Oversized, $"frame length {length} exceeds the maximum frame size {maxFrameSize}");
        }

        if (buffer.Length - FrameFormat.HeaderLength < length)
        {
            return null;
        }

        ReadOnlySequence<byte> body = buffer.Slice(FrameFormat.HeaderLength, length);
        Envelope envelope;
        try
        {
            envelope = Envelope.Parser.ParseFrom(body);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new FrameException(FrameError.Malformed, $"frame of {length} bytes is not a valid envelope: {e.Message}", e);
        }

        if (FrameFormat.Validate(envelope) is { } reason)
        {
            throw new FrameException(FrameError.Malformed, reason);
        }

        buffer = buffer.Slice(body.End);
        return envelope;
    }
}
