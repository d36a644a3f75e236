using Microsoft.Extensions.Logging;

namespace Trellis.Consensus.HotStuff.Engine;

/// <summary>The HotStuff engine's log messages (source-generated, so a disabled level costs nothing).</summary>
internal static partial class HotStuffLog
{
    [LoggerMessage(EventId = 301, Level = LogLevel.Information, Message = "HotStuff engine started as {Role} (validator {Index} of {Count}) at height {Height}")]
    public static partial void Started(ILogger logger, string role, int index, int count, ulong height);

    [LoggerMessage(EventId = 302, Level = LogLevel.Debug, Message = "committed block {Height} ({Transactions} transactions) in view {View}")]
    public static partial void Committed(ILogger logger, ulong height, int transactions, long view);

    [LoggerMessage(EventId = 303, Level = LogLevel.Debug, Message = "dropped consensus message: {Reason}")]
    public static partial void Dropped(ILogger logger, string reason);

    [LoggerMessage(EventId = 304, Level = LogLevel.Warning, Message = "block sync stopped after {Applied} blocks: {Reason}")]
    public static partial void SyncRefused(ILogger logger, int applied, string reason);

    [LoggerMessage(EventId = 305, Level = LogLevel.Information, Message = "HotStuff epoch {Epoch} started after block {Height}: {Count} validators, this node is {Role}")]
    public static partial void EpochStarted(ILogger logger, ulong epoch, ulong height, int count, string role);
}
