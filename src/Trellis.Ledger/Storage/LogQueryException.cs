namespace Trellis.Ledger.Storage;

/// <summary>A log query that cannot be answered: a bad block range or filter, or more matches than the limit.</summary>
public sealed class LogQueryException : Exception
{
    /// <summary>Creates an exception with a default message.</summary>
    public LogQueryException()
        : base("invalid log query")
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/>.</summary>
    public LogQueryException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/> and its cause.</summary>
    public LogQueryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>True when the query matched more logs than the limit allows (narrow the range or the filter).</summary>
    public bool LimitExceeded { get; init; }
}
