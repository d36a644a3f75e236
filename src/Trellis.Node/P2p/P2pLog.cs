using Microsoft.Extensions.Logging;
using Trellis.Network.Admission;
using Trellis.Network.Messages;

namespace Trellis.Node.P2p;

/// <summary>The node's peer-network log messages, generated once so logging costs nothing when the level is off.</summary>
internal static partial class P2pLog
{
    [LoggerMessage(EventId = 101, Level = LogLevel.Debug, Message = "gossiped {Count} transactions ({Bytes} bytes) to {Peers} validators")]
    public static partial void GossipSent(ILogger logger, int count, int bytes, int peers);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "consensus message of {Bytes} bytes not sent: {Reason}")]
    public static partial void ConsensusMessageRefused(ILogger logger, int bytes, string reason);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "behind: head {Head}, peers at {Target}; syncing")]
    public static partial void SyncStarted(ILogger logger, ulong head, ulong target);

    [LoggerMessage(EventId = 104, Level = LogLevel.Information, Message = "caught up at block {Head}")]
    public static partial void SyncFinished(ILogger logger, ulong head);

    [LoggerMessage(EventId = 105, Level = LogLevel.Information, Message = "synced {Count} blocks from {First} from {Peer}")]
    public static partial void SyncApplied(ILogger logger, int count, ulong first, PeerIdentity peer);

    [LoggerMessage(EventId = 106, Level = LogLevel.Warning, Message = "block range from {First} ({Count} blocks) from {Peer} failed: {Reason}")]
    public static partial void SyncRequestFailed(ILogger logger, PeerIdentity peer, ulong first, uint count, string reason);

    [LoggerMessage(EventId = 107, Level = LogLevel.Warning, Message = "refusing block range from {First} sent by {Peer}: {Reason}")]
    public static partial void SyncResponseRejected(ILogger logger, PeerIdentity peer, ulong first, string reason);

    [LoggerMessage(EventId = 108, Level = LogLevel.Debug, Message = "{Peer} has no blocks from {First}")]
    public static partial void SyncEmptyResponse(ILogger logger, PeerIdentity peer, ulong first);

    [LoggerMessage(EventId = 109, Level = LogLevel.Error, Message = "block sync failed; retrying")]
    public static partial void SyncFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 110, Level = LogLevel.Debug, Message = "dropping a {Type} message from {Peer}: {Reason}")]
    public static partial void MessageDropped(ILogger logger, MessageType type, PeerIdentity peer, string reason);

    [LoggerMessage(EventId = 111, Level = LogLevel.Warning, Message = "closing the connection to {Peer}: its certificate carries signing address {Claimed}, but genesis admits that certificate for {Expected}")]
    public static partial void AddressMismatch(ILogger logger, PeerIdentity peer, string claimed, string expected);

    [LoggerMessage(EventId = 112, Level = LogLevel.Error, Message = "the consensus engine failed on a message from {Peer}")]
    public static partial void EngineReceiveFailed(ILogger logger, PeerIdentity peer, Exception exception);

    [LoggerMessage(EventId = 113, Level = LogLevel.Debug, Message = "answering block range request from {Peer} failed: {Reason}")]
    public static partial void RangeAnswerFailed(ILogger logger, PeerIdentity peer, string reason);

    [LoggerMessage(EventId = 114, Level = LogLevel.Information, Message = "peer network up on {Endpoint} as {Node}; dialling {Peers} peers")]
    public static partial void Listening(ILogger logger, System.Net.EndPoint endpoint, string node, int peers);

    [LoggerMessage(EventId = 115, Level = LogLevel.Warning, Message = "closing the connection to {Peer}: {Reason}")]
    public static partial void Expelled(ILogger logger, PeerIdentity peer, string reason);
}
