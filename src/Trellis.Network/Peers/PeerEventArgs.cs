using Trellis.Network.Admission;

namespace Trellis.Network.Peers;

/// <summary>A peer connected or disconnected.</summary>
/// <param name="peer">The peer.</param>
/// <param name="reason">Why it disconnected; null on connect.</param>
public sealed class PeerEventArgs(PeerIdentity peer, string? reason) : EventArgs
{
    /// <summary>The peer.</summary>
    public PeerIdentity Peer { get; } = peer;

    /// <summary>Why it disconnected; null on connect.</summary>
    public string? Reason { get; } = reason;
}
