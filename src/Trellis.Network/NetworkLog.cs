using System.Net;
using Microsoft.Extensions.Logging;
using Trellis.Network.Admission;

namespace Trellis.Network;

/// <summary>The transport's log messages, generated once so logging costs nothing when the level is off.</summary>
internal static partial class NetworkLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "listening on {Endpoint} as {Node}")]
    public static partial void Listening(ILogger logger, EndPoint endpoint, string node);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "connected to {Peer} ({Direction})")]
    public static partial void PeerConnected(ILogger logger, PeerIdentity peer, string direction);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "disconnected from {Peer}: {Reason}")]
    public static partial void PeerDisconnected(ILogger logger, PeerIdentity peer, string reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "handshake with {Endpoint} failed: {Reason}")]
    public static partial void HandshakeFailed(ILogger logger, string endpoint, string reason);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "dropping {Peer} for a protocol violation: {Reason}")]
    public static partial void ProtocolViolation(ILogger logger, PeerIdentity peer, string reason);

    [LoggerMessage(EventId = 6, Level = LogLevel.Debug, Message = "dial {Endpoint} failed: {Reason}; next attempt in {Delay}")]
    public static partial void DialFailed(ILogger logger, EndPoint endpoint, string reason, TimeSpan delay);

    [LoggerMessage(EventId = 7, Level = LogLevel.Debug, Message = "closing duplicate connection to {Peer}: {Reason}")]
    public static partial void DuplicateConnection(ILogger logger, PeerIdentity peer, string reason);

    [LoggerMessage(EventId = 8, Level = LogLevel.Warning, Message = "refusing inbound connection from {Endpoint}: {Pending} handshakes already in progress")]
    public static partial void TooManyHandshakes(ILogger logger, string endpoint, int pending);

    [LoggerMessage(EventId = 9, Level = LogLevel.Debug, Message = "dropping a response from {Peer} to unknown request {RequestId} (timed out or never sent)")]
    public static partial void UnknownResponse(ILogger logger, PeerIdentity peer, ulong requestId);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "{Endpoint} is this node itself; no longer dialling it")]
    public static partial void DialedSelf(ILogger logger, EndPoint endpoint);

    [LoggerMessage(EventId = 11, Level = LogLevel.Error, Message = "peer event handler failed")]
    public static partial void EventHandlerFailed(ILogger logger, Exception exception);
}
