using Trellis.Cli.Bench;

namespace Trellis.Cli.Tests.Bench;

public class BenchStatisticsTests
{
    // The worked examples of the nearest-rank method (Wikipedia, "Percentile": nearest-rank method).
    [Theory]
    [InlineData(5, 15)]
    [InlineData(30, 20)]
    [InlineData(40, 20)]
    [InlineData(50, 35)]
    [InlineData(100, 50)]
    public void Percentile_FollowsTheNearestRankExamplesOfFiveValues(double percent, double expected) =>
        Assert.Equal(expected, BenchStatistics.Percentile([15, 20, 35, 40, 50], percent));

    [Theory]
    [InlineData(0, 3)]
    [InlineData(25, 7)]
    [InlineData(50, 8)]
    [InlineData(75, 15)]
    [InlineData(100, 20)]
    public void Percentile_FollowsTheNearestRankExamplesOfTenValues(double percent, double expected) =>
        Assert.Equal(expected, BenchStatistics.Percentile([3, 6, 7, 8, 8, 10, 13, 15, 16, 20], percent));

    [Fact]
    public void Percentile_OfOneHundredValues_IsTheValueAtThatRank()
    {
        // 1..100: the p-th percentile by nearest rank is p itself; 0.95 * 100 must not round down to rank 94.
        double[] values = [.. Enumerable.Range(1, 100).Select(i => (double)i)];
        Assert.Equal(50, BenchStatistics.Percentile(values, 50));
        Assert.Equal(95, BenchStatistics.Percentile(values, 95));
        Assert.Equal(99, BenchStatistics.Percentile(values, 99));
        Assert.Equal(100, BenchStatistics.Percentile(values, 100));
    }

    [Fact]
    public void Percentile_RejectsNoValuesAndPercentsOutOfRange()
    {
        Assert.Throws<ArgumentException>(() => BenchStatistics.Percentile([], 50));
        Assert.Throws<ArgumentOutOfRangeException>(() => BenchStatistics.Percentile([1], -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => BenchStatistics.Percentile([1], 100.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => BenchStatistics.Percentile([1], double.NaN));
    }

    [Fact]
    public void Summarise_SortsAndReportsMinMeanPercentilesAndMax()
    {
        LatencySummary summary = BenchStatistics.Summarise([50, 15, 40, 20, 35]);
        Assert.Equal(5, summary.Count);
        Assert.Equal(15, summary.MinMs);
        Assert.Equal(32, summary.MeanMs);
        Assert.Equal(35, summary.P50Ms);
        Assert.Equal(50, summary.P95Ms);
        Assert.Equal(50, summary.P99Ms);
        Assert.Equal(50, summary.MaxMs);
    }

    [Fact]
    public void Summarise_OfNothing_IsAllZero() => Assert.Equal(LatencySummary.Empty, BenchStatistics.Summarise([]));

    [Fact]
    public void Histogram_SplitsZeroToMaxIntoEqualBucketsWithTheMaxInTheLast()
    {
        IReadOnlyList<HistogramBucket> buckets = BenchStatistics.Histogram([0, 1, 2.5, 4.9, 5, 9.99, 10], 2);
        Assert.Equal(2, buckets.Count);
        Assert.Equal(new HistogramBucket(0, 5, 4), buckets[0]);
        Assert.Equal(new HistogramBucket(5, 10, 3), buckets[1]);
    }

    [Fact]
    public void Throughput_CountsSubmissionsAndCommitsPerSecondAndSkipsZeros()
    {
        const long second = 1000;
        long origin = 5000;
        long[] submitted = [origin, origin + 10, origin + second + 1, 0];
        long[] committed = [origin + second + 500, origin + (2 * second) + 1, 0, 0];
        IReadOnlyList<ThroughputSample> samples = BenchStatistics.Throughput(submitted, committed, origin, second);
        Assert.Equal([new ThroughputSample(0, 2, 0), new ThroughputSample(1, 1, 1), new ThroughputSample(2, 0, 1)], samples);
    }
}
