namespace Trellis.Sdk;

/// <summary>Settings of a <see cref="TrellisClient"/>.</summary>
public sealed class TrellisClientOptions
{
    /// <summary>How long one JSON-RPC request may take before it fails with <see cref="TimeoutException"/>. Default 30 s.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often <see cref="TrellisClient.WaitForReceiptAsync"/> asks for a receipt. Default 200 ms.</summary>
    public TimeSpan ReceiptPollInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The WebSocket endpoint for subscriptions; by default the HTTP endpoint with ws:// or wss://.</summary>
    public Uri? WebSocketEndpoint { get; init; }

    /// <summary>The largest WebSocket message a subscription accepts before it ends with an error. Default 16 MiB.</summary>
    public int MaxMessageBytes { get; init; } = 16 << 20;
}
