namespace Trellis.Core.Rlp;

/// <summary>Malformed or non-canonical RLP: the message names the position, the value and the rule broken.</summary>
public sealed class RlpException : FormatException
{
    /// <summary>Creates an exception with a default message.</summary>
    public RlpException()
        : base("malformed RLP")
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/>.</summary>
    public RlpException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/> and its cause.</summary>
    public RlpException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
