using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Trellis.Cli.Bench;

/// <summary>
/// What happened to each transaction of the timed phase: when it was submitted, whether the node refused it (and
/// why), when its block was observed. Written by the submitting workers and the commit tracker at once: each slot
/// has one writer, the counters are interlocked.
/// </summary>
internal sealed partial class RunRecorder
{
    private readonly ConcurrentDictionary<string, RejectionCount> _rejections = new(StringComparer.Ordinal);
    private long _sent;
    private long _rejected;
    private long _committed;
    private long _lastProgress;

    public RunRecorder(int count)
    {
        SubmitTicks = new long[count];
        CommitTicks = new long[count];
        Rejected = new bool[count];
        BlockOf = new ulong[count];
        _lastProgress = Stopwatch.GetTimestamp();
    }

    /// <summary>Stopwatch ticks of each submission (the intended time in an open loop); 0 when never sent.</summary>
    public long[] SubmitTicks { get; }

    /// <summary>Stopwatch ticks at which each transaction's block was first seen; 0 when not committed.</summary>
    public long[] CommitTicks { get; }

    /// <summary>True for transactions the node refused at submission.</summary>
    public bool[] Rejected { get; }

    /// <summary>The block number holding each committed transaction.</summary>
    public ulong[] BlockOf { get; }

    /// <summary>Transactions sent (refused ones included).</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Transactions refused at submission.</summary>
    public long RejectedCount => Interlocked.Read(ref _rejected);

    /// <summary>Transactions seen in a block.</summary>
    public long Committed => Interlocked.Read(ref _committed);

    /// <summary>Sent, not refused and not yet seen in a block.</summary>
    public long Pending => Sent - RejectedCount - Committed;

    /// <summary>Transactions resolved: committed or refused.</summary>
    public long Resolved => RejectedCount + Committed;

    /// <summary>Stopwatch ticks of the last submission or commit (the stall timeout counts from here).</summary>
    public long LastProgress => Interlocked.Read(ref _lastProgress);

    /// <summary>Stopwatch ticks when the last batch answer arrived.</summary>
    public long LastAnswerTicks { get; private set; }

    /// <summary>The largest delay of an open-loop send behind its schedule, in Stopwatch ticks.</summary>
    public long MaxLagTicks { get; private set; }

    /// <summary>Refusal messages grouped by their shape (numbers and hex replaced by #), most frequent first.</summary>
    public IReadOnlyList<RejectionCount> Rejections =>
        [.. _rejections.Values.OrderByDescending(r => r.Count).ThenBy(r => r.Message, StringComparer.Ordinal)];

    /// <summary>Records that transactions <paramref name="start"/>..+<paramref name="count"/> are sent at <paramref name="ticks"/>.</summary>
    public void MarkSent(int start, int count, long ticks, long lagTicks)
    {
        Array.Fill(SubmitTicks, ticks, start, count);
        Interlocked.Add(ref _sent, count);
        Interlocked.Exchange(ref _lastProgress, Stopwatch.GetTimestamp());
        if (lagTicks > MaxLagTicks)
        {
            // Racy maximum: a lost update only under-reports by one batch's lag among many.
            MaxLagTicks = lagTicks;
        }
    }

    /// <summary>Records that a batch's answer arrived.</summary>
    public void MarkAnswered(long ticks)
    {
        if (ticks > LastAnswerTicks)
        {
            LastAnswerTicks = ticks;
        }
    }

    /// <summary>Records a refusal of transaction <paramref name="index"/>.</summary>
    public void Reject(int index, string message)
    {
        if (Rejected[index] || CommitTicks[index] != 0)
        {
            return;
        }

        Rejected[index] = true;
        Interlocked.Increment(ref _rejected);
        string shape = Numbers().Replace(message, "#");
        _rejections.AddOrUpdate(shape, _ => new RejectionCount(shape, message, 1), (_, r) => r with { Count = r.Count + 1 });
    }

    /// <summary>Records that transaction <paramref name="index"/> was seen in block <paramref name="block"/> at <paramref name="ticks"/>.</summary>
    /// <returns>False when it was already seen (or refused).</returns>
    public bool Commit(int index, ulong block, long ticks)
    {
        if (CommitTicks[index] != 0 || Rejected[index])
        {
            return false;
        }

        CommitTicks[index] = ticks;
        BlockOf[index] = block;
        Interlocked.Increment(ref _committed);
        Interlocked.Exchange(ref _lastProgress, ticks);
        return true;
    }

    [GeneratedRegex(@"0x[0-9a-fA-F]+|\d+", RegexOptions.CultureInvariant)]
    private static partial Regex Numbers();
}
