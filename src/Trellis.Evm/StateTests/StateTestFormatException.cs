namespace Trellis.Evm.StateTests;

/// <summary>A state test file, or a field inside one, does not have the ethereum/tests format.</summary>
public sealed class StateTestFormatException : Exception
{
    /// <summary>Creates the exception with no message.</summary>
    public StateTestFormatException()
    {
    }

    /// <summary>Creates the exception with a message naming the file or field and what is wrong with it.</summary>
    public StateTestFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    public StateTestFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
