namespace Trellis.Network.Peers;

/// <summary>
/// Redial delays: initial, 2×, 4×, … up to a cap, each scaled by a random factor in [1 − jitter, 1 + jitter] (and
/// never above the cap) so that peers which lost each other at the same moment do not redial in step.
/// </summary>
public sealed class ExponentialBackoff
{
    private readonly TimeSpan _initial;
    private readonly TimeSpan _max;
    private readonly double _jitter;
    private readonly Random _random;
    private int _attempt;

    /// <summary>Creates a backoff; <paramref name="random"/> defaults to <see cref="Random.Shared"/>.</summary>
    public ExponentialBackoff(TimeSpan initial, TimeSpan max, double jitter, Random? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(initial, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, initial);
        if (jitter is < 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(jitter), jitter, "jitter must be in [0, 1)");
        }

        _initial = initial;
        _max = max;
        _jitter = jitter;
        _random = random ?? Random.Shared;
    }

    /// <summary>The delay before the next attempt; each call doubles the base until the cap.</summary>
    public TimeSpan NextDelay()
    {
        // 2^30 × any positive initial delay is already past any sensible cap; stop doubling there.
        double baseTicks = Math.Min(_initial.Ticks * Math.Pow(2, Math.Min(_attempt, 30)), _max.Ticks);
        if (_attempt < 31)
        {
            _attempt++;
        }

#pragma warning disable CA5394 // Jitter spreads redials over time; it needs no unpredictability.
        double factor = 1 + (_jitter * ((_random.NextDouble() * 2) - 1));
#pragma warning restore CA5394
        return TimeSpan.FromTicks((long)Math.Min(baseTicks * factor, _max.Ticks));
    }

    /// <summary>Starts again from the initial delay (after a connection succeeded).</summary>
    public void Reset() => _attempt = 0;
}
