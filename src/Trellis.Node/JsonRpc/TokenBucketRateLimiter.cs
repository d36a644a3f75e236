using System.Collections.Concurrent;
using System.Net;

namespace Trellis.Node.JsonRpc;

/// <summary>
/// One token bucket per remote IP address: <c>burst</c> tokens, refilled at <c>rate</c> per second; each call
/// costs one token. Idle buckets are dropped so a scan of many addresses cannot grow memory without bound.
/// </summary>
internal sealed class TokenBucketRateLimiter
{
    private readonly ConcurrentDictionary<IPAddress, Bucket> _buckets = new();
    private readonly double _ratePerSecond;
    private readonly double _burst;
    private readonly TimeProvider _time;
    private long _nextSweep;

    public TokenBucketRateLimiter(double ratePerSecond, int burst, TimeProvider time)
    {
        _ratePerSecond = ratePerSecond;
        _burst = burst;
        _time = time;
        _nextSweep = time.GetTimestamp() + time.TimestampFrequency * 60;
    }

    public bool Enabled => _ratePerSecond > 0;

    /// <summary>Takes <paramref name="cost"/> tokens from the bucket of <paramref name="address"/> if it has them.</summary>
    public bool TryAcquire(IPAddress? address, int cost)
    {
        if (!Enabled)
        {
            return true;
        }

        long now = _time.GetTimestamp();
        SweepIfDue(now);
        Bucket bucket = _buckets.GetOrAdd(address ?? IPAddress.None, static (_, state) => new Bucket(state._burst, state.now), (_burst, now));
        return bucket.TryTake(cost, now, _ratePerSecond / _time.TimestampFrequency, _burst);
    }

    private void SweepIfDue(long now)
    {
        long due = Interlocked.Read(ref _nextSweep);
        if (now < due || Interlocked.CompareExchange(ref _nextSweep, now + _time.TimestampFrequency * 60, due) != due)
        {
            return;
        }

        // A bucket that would be full again has no state worth keeping.
        double refillTicks = _burst / (_ratePerSecond / _time.TimestampFrequency);
        foreach (var pair in _buckets)
        {
            if (now - pair.Value.LastTimestamp > refillTicks)
            {
                _buckets.TryRemove(pair);
            }
        }
    }

    private sealed class Bucket
    {
        // Guards _tokens and LastTimestamp together.
        private readonly Lock _lock = new();
        private double _tokens;

        public Bucket(double tokens, long timestamp)
        {
            _tokens = tokens;
            LastTimestamp = timestamp;
        }

        public long LastTimestamp { get; private set; }

        public bool TryTake(int cost, long now, double tokensPerTick, double burst)
        {
            lock (_lock)
            {
                if (now > LastTimestamp)
                {
                    _tokens = Math.Min(burst, _tokens + (now - LastTimestamp) * tokensPerTick);
                    LastTimestamp = now;
                }

                if (_tokens < cost)
                {
                    return false;
                }

                _tokens -= cost;
                return true;
            }
        }
    }
}
