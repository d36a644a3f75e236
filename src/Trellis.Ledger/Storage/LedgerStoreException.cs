namespace Trellis.Ledger.Storage;

/// <summary>
/// The block store cannot do what was asked: it belongs to another chain, a block does not extend the head, or a
/// stored record does not decode (the message names the record and the reason).
/// </summary>
public sealed class LedgerStoreException : Exception
{
    /// <summary>Creates an exception with a default message.</summary>
    public LedgerStoreException()
        : base("block store error")
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/>.</summary>
    public LedgerStoreException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/> and its cause.</summary>
    public LedgerStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
