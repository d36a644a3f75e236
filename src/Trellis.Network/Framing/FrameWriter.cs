using System.Buffers.Binary;
using System.IO.Pipelines;
using Google.Protobuf;
using Trellis.Network.Messages;

namespace Trellis.Network.Framing;

/// <summary>Writes frames into a <see cref="PipeWriter"/>; several writes may share one flush.</summary>
public sealed class FrameWriter
{
    private readonly PipeWriter _writer;
    private readonly int _maxFrameSize;

    /// <summary>Creates a writer refusing bodies longer than <paramref name="maxFrameSize"/> bytes.</summary>
    public FrameWriter(PipeWriter writer, int maxFrameSize = FrameFormat.DefaultMaxFrameSize)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxFrameSize);
        _writer = writer;
        _maxFrameSize = maxFrameSize;
    }

    /// <summary>Bytes written since the last flush.</summary>
    public long UnflushedBytes { get; private set; }

    /// <summary>Serialises <paramref name="envelope"/> into the pipe without flushing. Returns the frame length.</summary>
    /// <exception cref="ArgumentException">The envelope is larger than the maximum frame size.</exception>
    public int Write(Envelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        int size = envelope.CalculateSize();
        if (size > _maxFrameSize)
        {
            throw new ArgumentException($"envelope of type {envelope.Type} is {size} bytes, over the maximum frame size {_maxFrameSize}", nameof(envelope));
        }

        int total = FrameFormat.HeaderLength + size;
        Span<byte> span = _writer.GetSpan(total)[..total];
        BinaryPrimitives.WriteUInt32BigEndian(span, (uint)size);
        envelope.WriteTo(span[FrameFormat.HeaderLength..]);
        _writer.Advance(total);
        UnflushedBytes += total;
        return total;
    }

    /// <summary>Sends what was written.</summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        UnflushedBytes = 0;
        FlushResult result = await _writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (result.IsCanceled)
        {
            throw new OperationCanceledException("frame flush was canceled", cancellationToken);
        }
    }
}
