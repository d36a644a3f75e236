namespace Trellis.Node;

/// <summary>A node cannot start: the message names the file, directory or port and what is wrong with it.</summary>
public sealed class NodeStartException : Exception
{
    /// <summary>Creates an exception with a default message.</summary>
    public NodeStartException()
        : base("the node cannot start")
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/>.</summary>
    public NodeStartException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/> and its cause.</summary>
    public NodeStartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
