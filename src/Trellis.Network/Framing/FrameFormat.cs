using System.Buffers.Binary;
using Google.Protobuf;
using Trellis.Network.Messages;

namespace Trellis.Network.Framing;

/// <summary>
/// The frame layout: a 4-byte big-endian unsigned length, then that many bytes of a protobuf <see cref="Envelope"/>.
/// </summary>
public static class FrameFormat
{
    /// <summary>Bytes of the length prefix.</summary>
    public const int HeaderLength = 4;

    /// <summary>The default maximum frame body size: 16 MiB.</summary>
    public const int DefaultMaxFrameSize = 16 * 1024 * 1024;

    /// <summary>Encodes one whole frame (header and body) into a new array.</summary>
    public static byte[] Encode(Envelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        int size = envelope.CalculateSize();
        var frame = new byte[HeaderLength + size];
        BinaryPrimitives.WriteUInt32BigEndian(frame, (uint)size);
        envelope.WriteTo(frame.AsSpan(HeaderLength));
        return frame;
    }

    /// <summary>
    /// Checks the rules a parsed envelope must meet beyond protobuf syntax. Returns a reason, or null when valid.
    /// </summary>
    public static string? Validate(Envelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        if (envelope.Type == MessageType.Unspecified)
        {
            return "envelope has message type 0 (unspecified)";
        }

        if (envelope.IsResponse && envelope.RequestId == 0)
        {
            return $"envelope of type {envelope.Type} is a response without a request id";
        }

        return null;
    }
}
