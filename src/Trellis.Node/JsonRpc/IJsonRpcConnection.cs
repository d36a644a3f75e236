namespace Trellis.Node.JsonRpc;

/// <summary>A long-lived client connection (WebSocket) that can receive server-initiated messages.</summary>
public interface IJsonRpcConnection
{
    /// <summary>Cancelled when the connection closes, for whatever reason.</summary>
    CancellationToken Closed { get; }

    /// <summary>
    /// Queues one complete JSON message without waiting. Returns false when the connection is closed or its queue
    /// overflowed; an overflowing client is disconnected, so a slow reader never blocks the node.
    /// </summary>
    bool TrySend(ReadOnlyMemory<byte> message);
}
