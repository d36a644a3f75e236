namespace Trellis.Consensus;

/// <summary>The stop and dispose steps every engine's loop shares.</summary>
internal static class EngineLoop
{
    /// <summary>
    /// Cancels <paramref name="stopping"/> and waits for <paramref name="loop"/> (null when never started): a loop
    /// that ends by that cancellation has stopped normally; one that faulted rethrows its error.
    /// </summary>
    public static async Task StopAsync(CancellationTokenSource stopping, Task? loop, CancellationToken cancellationToken)
    {
        if (!stopping.IsCancellationRequested)
        {
            await stopping.CancelAsync().ConfigureAwait(false);
        }

        await WaitAsync(loop, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits for <paramref name="loop"/>, treating its ending by cancellation as the normal stop.</summary>
    public static async Task WaitAsync(Task? loop, CancellationToken cancellationToken)
    {
        if (loop is null)
        {
            return;
        }

        try
        {
            await loop.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The loop ends by cancellation; that is a normal stop.
        }
    }

    /// <summary>Stops an engine while disposing it: a faulted loop was already reported through Completion, so it is not thrown again.</summary>
    public static async Task StopQuietlyAsync(IConsensusEngine engine)
    {
        try
        {
            await engine.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Reported through Completion already.
        }
    }
}
