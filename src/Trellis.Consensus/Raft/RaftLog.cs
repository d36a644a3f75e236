using Microsoft.Extensions.Logging;

namespace Trellis.Consensus.Raft;

/// <summary>The Raft engine's log messages.</summary>
internal static partial class RaftLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "raft: {Role} in term {Term} (leader {Leader})")]
    public static partial void RoleChanged(ILogger logger, string role, long term, string leader);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "raft: dropped a message from {From}: {Reason}")]
    public static partial void MessageDropped(ILogger logger, string from, string reason);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "raft: leader {Leader} compacted the entries this node needs; catching up by block sync to height {Height}")]
    public static partial void CatchingUp(ILogger logger, string leader, ulong height);

    [LoggerMessage(EventId = 4, Level = LogLevel.Critical, Message = "raft: fatal: {Reason}")]
    public static partial void Fatal(ILogger logger, string reason);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "raft: synced block refused: {Reason}")]
    public static partial void SyncRefused(ILogger logger, string reason);
}
