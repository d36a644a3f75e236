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

    [LoggerMessage(EventId = 306, Level = LogLevel.Information, Message = "view {View} ended without a block (its leader {Leader} did not get one certified in time; {TimedOut} validators timed out); view {NextView} led by {NextLeader} waits {Timeout} ms ({Failures} views failed in a row)")]
    public static partial void ViewFailed(ILogger logger, long view, string leader, int timedOut, long nextView, string nextLeader, long timeout, int failures);

    [LoggerMessage(EventId = 307, Level = LogLevel.Debug, Message = "timed out in view {View} (leader {Leader}); {TimedOut} of the {Quorum} timeouts a certificate needs so far")]
    public static partial void TimedOut(ILogger logger, long view, string leader, int timedOut, int quorum);

    [LoggerMessage(EventId = 308, Level = LogLevel.Warning, Message = "still in view {View} (leader {Leader}) after timing out {Attempt} times: only {TimedOut} of the {Quorum} timeouts a certificate needs have arrived, so fewer than a quorum of validators are reachable or agree on the view; resending in {Timeout} ms")]
    public static partial void StillTimedOut(ILogger logger, long view, string leader, int attempt, int timedOut, int quorum, long timeout);
}
