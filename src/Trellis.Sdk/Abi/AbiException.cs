namespace Trellis.Sdk.Abi;

/// <summary>
/// An ABI type, value or encoding is invalid: a malformed type name, a value that does not fit its type, or encoded
/// data that is truncated, out of range or not canonically padded. The message names the type, the value and the rule.
/// </summary>
public sealed class AbiException : Exception
{
    /// <summary>Creates the exception with a message that names what was wrong.</summary>
    public AbiException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public AbiException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public AbiException()
        : base("invalid ABI data")
    {
    }
}
