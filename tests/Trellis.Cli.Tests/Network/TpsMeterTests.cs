using Trellis.Cli.Network;

namespace Trellis.Cli.Tests.Network;

public sealed class TpsMeterTests
{
    private static readonly DateTime T0 = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Rate_IsTransactionsInTheWindowOverTheWindow()
    {
        var meter = new TpsMeter(TimeSpan.FromSeconds(5));
        meter.Add(T0, 0);
        for (int s = 1; s <= 10; s++)
        {
            meter.Add(T0.AddSeconds(s), 100);
        }

        // The window ending at 10 s holds the six samples at 5..10 s (5 s sits exactly on its edge and is kept).
        Assert.Equal(600 / 5.0, meter.Rate(T0.AddSeconds(10)));
        Assert.Equal(0, meter.Rate(T0.AddSeconds(30)));
    }

    [Fact]
    public void Rate_UsesTheTimeSinceTheFirstSampleWhileShorterThanTheWindow()
    {
        var meter = new TpsMeter(TimeSpan.FromSeconds(5));
        meter.Add(T0, 0);
        meter.Add(T0.AddSeconds(2), 50);

        Assert.Equal(25, meter.Rate(T0.AddSeconds(2)));
        Assert.Equal(0, new TpsMeter(TimeSpan.FromSeconds(5)).Rate(T0));
    }
}
