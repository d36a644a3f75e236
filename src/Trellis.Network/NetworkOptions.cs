using System.Net;
using Trellis.Network.Framing;

namespace Trellis.Network;

/// <summary>Settings of a <see cref="NetworkHost"/>. The defaults suit a consortium on a LAN or WAN.</summary>
public sealed class NetworkOptions
{
    /// <summary>Where to listen; port 0 picks a free port (see <see cref="NetworkHost.LocalEndpoint"/>).</summary>
    public IPEndPoint ListenEndpoint { get; init; } = new(IPAddress.Loopback, 0);

    /// <summary>The peers to dial and keep dialling (<see cref="IPEndPoint"/> or <see cref="DnsEndPoint"/>).</summary>
    public IReadOnlyList<EndPoint> Peers { get; init; } = [];

    /// <summary>Both sides must name the same network in their hello, or the connection is refused.</summary>
    public string NetworkId { get; init; } = "trellis";

    /// <summary>The largest frame body accepted or sent, in bytes.</summary>
    public int MaxFrameSize { get; init; } = FrameFormat.DefaultMaxFrameSize;

    /// <summary>Messages waiting to be written to one peer; beyond it SendAsync waits and TrySend drops.</summary>
    public int SendQueueCapacity { get; init; } = 1024;

    /// <summary>Received messages waiting for the consumer; beyond it the readers stop reading (TCP pushes back).</summary>
    public int InboundQueueCapacity { get; init; } = 4096;

    /// <summary>Time for TCP connect, TLS and the hello exchange together.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Handshakes of inbound connections in progress at once; more are closed at once.</summary>
    public int MaxPendingHandshakes { get; init; } = 64;

    /// <summary>How often a ping is sent on each connection.</summary>
    public TimeSpan PingInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A connection that receives nothing (not even a pong) for this long is closed.</summary>
    public TimeSpan PingTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>The first wait before redialling a peer.</summary>
    public TimeSpan ReconnectInitialDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest wait before redialling a peer (the cap of the exponential backoff).</summary>
    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Each wait is scaled by a random factor in [1 - jitter, 1 + jitter] so peers do not redial in step.</summary>
    public double ReconnectJitter { get; init; } = 0.2;

    /// <summary>Checks the settings; throws naming the first bad one.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(ListenEndpoint);
        ArgumentNullException.ThrowIfNull(Peers);
        Require(!string.IsNullOrEmpty(NetworkId), nameof(NetworkId), "must not be empty", NetworkId);
        Require(MaxFrameSize is > 0 and <= int.MaxValue - FrameFormat.HeaderLength, nameof(MaxFrameSize), "must be positive", MaxFrameSize);
        Require(SendQueueCapacity > 0, nameof(SendQueueCapacity), "must be positive", SendQueueCapacity);
        Require(InboundQueueCapacity > 0, nameof(InboundQueueCapacity), "must be positive", InboundQueueCapacity);
        Require(MaxPendingHandshakes > 0, nameof(MaxPendingHandshakes), "must be positive", MaxPendingHandshakes);
        Require(HandshakeTimeout > TimeSpan.Zero, nameof(HandshakeTimeout), "must be positive", HandshakeTimeout);
        Require(PingInterval > TimeSpan.Zero, nameof(PingInterval), "must be positive", PingInterval);
        Require(PingTimeout > PingInterval, nameof(PingTimeout), $"must exceed {nameof(PingInterval)} ({PingInterval})", PingTimeout);
        Require(ReconnectInitialDelay > TimeSpan.Zero, nameof(ReconnectInitialDelay), "must be positive", ReconnectInitialDelay);
        Require(ReconnectMaxDelay >= ReconnectInitialDelay, nameof(ReconnectMaxDelay), $"must be at least {nameof(ReconnectInitialDelay)} ({ReconnectInitialDelay})", ReconnectMaxDelay);
        Require(ReconnectJitter is >= 0 and < 1, nameof(ReconnectJitter), "must be in [0, 1)", ReconnectJitter);
    }

    private static void Require(bool condition, string name, string rule, object value)
    {
        if (!condition)
        {
            throw new ArgumentException($"network option {name} = {value} {rule}", name);
        }
    }
}
