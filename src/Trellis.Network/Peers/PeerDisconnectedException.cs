namespace Trellis.Network.Peers;

/// <summary>A send or request could not complete because the peer is not (or no longer) connected.</summary>
public sealed class PeerDisconnectedException : IOException
{
    /// <summary>Creates the exception.</summary>
    public PeerDisconnectedException()
        : base("peer is not connected")
    {
    }

    /// <summary>Creates the exception.</summary>
    public PeerDisconnectedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public PeerDisconnectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
