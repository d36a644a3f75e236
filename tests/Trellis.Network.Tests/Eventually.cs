using System.Diagnostics;

namespace Trellis.Network.Tests;

/// <summary>Waits for a condition that a network reaches asynchronously.</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string what, int timeoutMs = 10_000, Func<string>? detail = null)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.ElapsedMilliseconds > timeoutMs)
            {
                Assert.Fail($"timed out after {timeoutMs} ms waiting for: {what}{(detail is null ? string.Empty : "; " + detail())}");
            }

            await Task.Delay(20);
        }
    }
}
