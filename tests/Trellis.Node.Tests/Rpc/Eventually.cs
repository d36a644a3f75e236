namespace Trellis.Node.Tests.Rpc;

/// <summary>Waits for an asynchronous effect (an event pumped to filters) without fixed sleeps.</summary>
internal static class Eventually
{
    public static async Task<T> MatchAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, int timeoutSeconds = 10)
    {
        DateTime deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (true)
        {
            T value = await probe();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out waiting for {what}; last value {value}");
            }

            await Task.Delay(20);
        }
    }
}
