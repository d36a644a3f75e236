using Trellis.Network.Admission;
using Trellis.Network.Messages;

namespace Trellis.Network.Peers;

/// <summary>A message received from a peer, as delivered to consumers of <see cref="NetworkHost.Inbound"/>.</summary>
public sealed class InboundMessage
{
    internal InboundMessage(PeerConnection connection, MessageType type, ReadOnlyMemory<byte> payload, ulong requestId)
    {
        Connection = connection;
        Type = type;
        Payload = payload;
        RequestId = requestId;
    }

    /// <summary>Who sent it.</summary>
    public PeerIdentity Peer => Connection.Remote;

    /// <summary>What it is.</summary>
    public MessageType Type { get; }

    /// <summary>The opaque payload.</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>Non-zero when the sender waits for an answer (see <see cref="NetworkHost.RespondAsync"/>).</summary>
    public ulong RequestId { get; }

    /// <summary>Whether the sender waits for an answer.</summary>
    public bool ExpectsResponse => RequestId != 0;

    /// <summary>The connection it arrived on; an answer goes back on the same one.</summary>
    internal PeerConnection Connection { get; }
}
