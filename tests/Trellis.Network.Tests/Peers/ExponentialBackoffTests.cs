using Trellis.Network.Peers;

namespace Trellis.Network.Tests.Peers;

public sealed class ExponentialBackoffTests
{
    [Fact]
    public void NextDelay_DoublesUntilTheCapWithoutJitter()
    {
        var backoff = new ExponentialBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(1000), jitter: 0);
        double[] delays = [.. Enumerable.Range(0, 6).Select(_ => backoff.NextDelay().TotalMilliseconds)];
        Assert.Equal([100, 200, 400, 800, 1000, 1000], delays);
    }

    [Fact]
    public void Reset_StartsAgainFromTheInitialDelay()
    {
        var backoff = new ExponentialBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10), jitter: 0);
        backoff.NextDelay();
        backoff.NextDelay();
        backoff.Reset();
        Assert.Equal(100, backoff.NextDelay().TotalMilliseconds);
    }

    [Fact]
    public void NextDelay_StaysWithinTheJitterBandAndNeverExceedsTheCap()
    {
        var backoff = new ExponentialBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(350), jitter: 0.25, new Random(7));
        var seen = new HashSet<double>();
        for (int round = 0; round < 200; round++)
        {
            backoff.Reset();
            double first = backoff.NextDelay().TotalMilliseconds;
            double second = backoff.NextDelay().TotalMilliseconds;
            double capped = backoff.NextDelay().TotalMilliseconds; // base 400, capped to 350 before and after jitter
            Assert.InRange(first, 75, 125);
            Assert.InRange(second, 150, 250);
            Assert.InRange(capped, 262.5, 350);
            seen.Add(first);
        }

        Assert.True(seen.Count > 100, "jitter should spread the delays");
    }

    [Fact]
    public void NextDelay_DoesNotOverflowAfterManyAttempts()
    {
        var backoff = new ExponentialBackoff(TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(5), jitter: 0);
        TimeSpan last = TimeSpan.Zero;
        for (int i = 0; i < 1000; i++)
        {
            last = backoff.NextDelay();
        }

        Assert.Equal(TimeSpan.FromMinutes(5), last);
    }

    [Fact]
    public void Constructor_RejectsBadSettings()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialBackoff(TimeSpan.Zero, TimeSpan.FromSeconds(1), 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialBackoff(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1), 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), 1.0));
    }
}
