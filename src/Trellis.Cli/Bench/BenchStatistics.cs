namespace Trellis.Cli.Bench;

/// <summary>The arithmetic of the figures: nearest-rank percentiles, histograms, per-second throughput.</summary>
internal static class BenchStatistics
{
    /// <summary>
    /// The nearest-rank percentile of ascending <paramref name="sorted"/>: the smallest value with at least
    /// <paramref name="percent"/>% of the values at or below it (the value at rank ceil(p/100 * n), 1-based).
    /// </summary>
    /// <exception cref="ArgumentException">No values, or a percent outside 0..100.</exception>
    public static double Percentile(ReadOnlySpan<double> sorted, double percent)
    {
        if (sorted.IsEmpty)
        {
            throw new ArgumentException("a percentile of no values is undefined", nameof(sorted));
        }

        if (percent is < 0 or > 100 || double.IsNaN(percent))
        {
            throw new ArgumentOutOfRangeException(nameof(percent), percent, "a percentile must be from 0 to 100");
        }

        // The product is rounded first so 0.95 * 100 (94.99999...) gives rank 95, not 94 after a floating-point miss.
        int rank = (int)Math.Ceiling(Math.Round(percent / 100 * sorted.Length, 9));
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }

    /// <summary>Summarises latencies (any order; sorted in place).</summary>
    public static LatencySummary Summarise(double[] latenciesMs)
    {
        ArgumentNullException.ThrowIfNull(latenciesMs);
        if (latenciesMs.Length == 0)
        {
            return LatencySummary.Empty;
        }

        Array.Sort(latenciesMs);
        double sum = 0;
        foreach (double value in latenciesMs)
        {
            sum += value;
        }

        return new LatencySummary(
            latenciesMs.Length,
            latenciesMs[0],
            sum / latenciesMs.Length,
            Percentile(latenciesMs, 50),
            Percentile(latenciesMs, 95),
            Percentile(latenciesMs, 99),
            latenciesMs[^1]);
    }

    /// <summary>
    /// <paramref name="buckets"/> equal-width buckets from 0 to the maximum of ascending <paramref name="sorted"/>
    /// (the maximum falls in the last bucket).
    /// </summary>
    public static IReadOnlyList<HistogramBucket> Histogram(ReadOnlySpan<double> sorted, int buckets)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(buckets, 1);
        if (sorted.IsEmpty)
        {
            return [];
        }

        double width = Math.Max(sorted[^1], 1e-9) / buckets;
        var counts = new long[buckets];
        foreach (double value in sorted)
        {
            counts[Math.Clamp((int)(value / width), 0, buckets - 1)]++;
        }

        var result = new HistogramBucket[buckets];
        for (int i = 0; i < buckets; i++)
        {
            result[i] = new HistogramBucket(i * width, (i + 1) * width, counts[i]);
        }

        return result;
    }

    /// <summary>
    /// Per-second counts of submissions and commits, from <paramref name="originTicks"/>; ticks of 0 mean "did not
    /// happen" and are skipped. <paramref name="frequency"/> is ticks per second.
    /// </summary>
    public static IReadOnlyList<ThroughputSample> Throughput(ReadOnlySpan<long> submitTicks, ReadOnlySpan<long> commitTicks, long originTicks, long frequency)
    {
        long last = originTicks;
        foreach (long t in submitTicks)
        {
            last = Math.Max(last, t);
        }

        foreach (long t in commitTicks)
        {
            last = Math.Max(last, t);
        }

        int seconds = (int)((last - originTicks) / frequency) + 1;
        var submitted = new long[seconds];
        var committed = new long[seconds];
        foreach (long t in submitTicks)
        {
            if (t != 0)
            {
                submitted[Math.Max(0, (int)((t - originTicks) / frequency))]++;
            }
        }

        foreach (long t in commitTicks)
        {
            if (t != 0)
            {
                committed[Math.Max(0, (int)((t - originTicks) / frequency))]++;
            }
        }

        var samples = new ThroughputSample[seconds];
        for (int i = 0; i < seconds; i++)
        {
            samples[i] = new ThroughputSample(i, submitted[i], committed[i]);
        }

        return samples;
    }
}
