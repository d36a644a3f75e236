namespace Trellis.Node.JsonRpc;

/// <summary>Limits and transport settings of the JSON-RPC server.</summary>
public sealed record JsonRpcOptions
{
    /// <summary>Largest HTTP body or WebSocket message accepted, in bytes (default 5 MiB); larger gets HTTP 413 / -32005.</summary>
    public int MaxRequestBodyBytes { get; init; } = 5 * 1024 * 1024;

    /// <summary>Most calls in one batch (default 1000); a larger batch is refused whole with -32005.</summary>
    public int MaxBatchSize { get; init; } = 1000;

    /// <summary>Deepest JSON nesting accepted (default 64); deeper is a parse error.</summary>
    public int MaxJsonDepth { get; init; } = 64;

    /// <summary>Calls per second each remote IP address may make, on average (default 10,000). Zero or less disables the limit.</summary>
    public double RateLimitPerSecond { get; init; } = 10_000;

    /// <summary>Calls a remote IP address may make at once before the rate applies (default 20,000).</summary>
    public int RateLimitBurst { get; init; } = 20_000;

    /// <summary>Messages queued for one WebSocket client before it is treated as too slow and disconnected (default 4096).</summary>
    public int WebSocketSendQueueCapacity { get; init; } = 4096;

    /// <summary>Checks that every limit is usable, naming the first one that is not.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A limit is zero or negative where it must be positive.</exception>
    public void Validate()
    {
        Require(MaxRequestBodyBytes, nameof(MaxRequestBodyBytes));
        Require(MaxBatchSize, nameof(MaxBatchSize));
        Require(MaxJsonDepth, nameof(MaxJsonDepth));
        Require(WebSocketSendQueueCapacity, nameof(WebSocketSendQueueCapacity));
        if (RateLimitPerSecond > 0)
        {
            Require(RateLimitBurst, nameof(RateLimitBurst));
        }
    }

    private static void Require(int value, string name)
    {
        if (value <= 0)
        {
            throw new ArgumentOutOfRangeException(name, value, $"JSON-RPC option {name} must be positive, got {value}");
        }
    }
}
