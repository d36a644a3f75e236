namespace Trellis.Ledger.Transactions;

/// <summary>The outcome of decoding or validating a transaction: valid, or a reason code and a message.</summary>
public readonly struct TxValidation : IEquatable<TxValidation>
{
    private readonly string? _message;

    private TxValidation(TxError error, string message)
    {
        Error = error;
        _message = message;
    }

    /// <summary>The valid outcome.</summary>
    public static TxValidation Valid => default;

    /// <summary>True when there is no error.</summary>
    public bool IsValid => Error == TxError.None;

    /// <summary>The reason code; <see cref="TxError.None"/> when valid.</summary>
    public TxError Error { get; }

    /// <summary>A message fit for a JSON-RPC caller; empty when valid.</summary>
    public string Message => _message ?? string.Empty;

    public static bool operator ==(TxValidation left, TxValidation right) => left.Equals(right);

    public static bool operator !=(TxValidation left, TxValidation right) => !left.Equals(right);

    /// <summary>An invalid outcome with its reason and message.</summary>
    public static TxValidation Invalid(TxError error, string message)
    {
        if (error == TxError.None)
        {
            throw new ArgumentException("an invalid outcome needs an error other than None", nameof(error));
        }

        ArgumentNullException.ThrowIfNull(message);
        return new TxValidation(error, message);
    }

    public bool Equals(TxValidation other) => Error == other.Error && Message == other.Message;

    public override bool Equals(object? obj) => obj is TxValidation other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Error, Message);

    /// <summary>"valid", or the reason code and message.</summary>
    public override string ToString() => IsValid ? "valid" : $"{Error}: {Message}";
}
