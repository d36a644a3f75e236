namespace Trellis.Network.Peers;

/// <summary>A connection failed TLS, certificate admission or the hello exchange.</summary>
internal sealed class HandshakeException(string message, bool isSelf = false, Exception? innerException = null)
    : IOException(message, innerException)
{
    /// <summary>The remote end turned out to be this node itself (its own address among the peers).</summary>
    public bool IsSelf { get; } = isSelf;
}
