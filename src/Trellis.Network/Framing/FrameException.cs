namespace Trellis.Network.Framing;

/// <summary>A peer sent a frame that breaks the framing rules; the connection cannot continue.</summary>
public sealed class FrameException : IOException
{
    /// <summary>Creates the exception.</summary>
    public FrameException(FrameError error, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Error = error;
    }

    /// <summary>Creates the exception (for serializers and tools).</summary>
    public FrameException()
        : this(FrameError.Malformed, "malformed frame")
    {
    }

    /// <summary>Creates the exception (for serializers and tools).</summary>
    public FrameException(string message)
        : this(FrameError.Malformed, message)
    {
    }

    /// <summary>Creates the exception (for serializers and tools).</summary>
    public FrameException(string message, Exception innerException)
        : this(FrameError.Malformed, message, innerException)
    {
    }

    /// <summary>Which rule the frame broke.</summary>
    public FrameError Error { get; }
}
