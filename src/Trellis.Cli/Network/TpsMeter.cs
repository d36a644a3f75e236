namespace Trellis.Cli.Network;

/// <summary>Transactions per second over a sliding window, from the transaction counts of newly seen blocks.</summary>
internal sealed class TpsMeter(TimeSpan window)
{
    private readonly Queue<(DateTime At, long Transactions)> _samples = new();
    private DateTime? _since;

    /// <summary>Records <paramref name="transactions"/> committed in blocks first seen at <paramref name="at"/>.</summary>
    public void Add(DateTime at, long transactions)
    {
        _since ??= at;
        if (transactions > 0)
        {
            _samples.Enqueue((at, transactions));
        }

        Trim(at);
    }

    /// <summary>Transactions per second over the window ending at <paramref name="now"/> (or since the first sample, if shorter).</summary>
    public double Rate(DateTime now)
    {
        Trim(now);
        if (_since is null)
        {
            return 0;
        }

        double seconds = Math.Min(window.TotalSeconds, (now - _since.Value).TotalSeconds);
        if (seconds <= 0)
        {
            return 0;
        }

        long total = 0;
        foreach ((_, long transactions) in _samples)
        {
            total += transactions;
        }

        return total / Math.Max(seconds, 1);
    }

    private void Trim(DateTime now)
    {
        while (_samples.Count > 0 && now - _samples.Peek().At > window)
        {
            _samples.Dequeue();
        }
    }
}
