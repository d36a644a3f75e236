namespace Trellis.Network.Framing;

/// <summary>Why a frame was refused.</summary>
public enum FrameError
{
    /// <summary>The length prefix exceeds the maximum frame size.</summary>
    Oversized = 1,

    /// <summary>The body is not a valid envelope.</summary>
    Malformed = 2,

    /// <summary>The stream ended inside a frame.</summary>
    Truncated = 3,
}
