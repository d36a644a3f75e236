using Trellis.Core;
using Trellis.Ledger.Transactions;

namespace Trellis.Ledger.Pool;

/// <summary>The outcome of <see cref="TxPool.TryAdd"/>: the transaction hash, or a reason code and a message fit for JSON-RPC.</summary>
public readonly struct TxPoolResult : IEquatable<TxPoolResult>
{
    private readonly string? _message;

    private TxPoolResult(Hash256 hash, TxError error, string? message, Hash256? replaced)
    {
        Hash = hash;
        Error = error;
        _message = message;
        Replaced = replaced;
    }

    /// <summary>True if the pool accepted the transaction.</summary>
    public bool IsAccepted => Error == TxError.None;

    /// <summary>The transaction hash (when accepted).</summary>
    public Hash256 Hash { get; }

    /// <summary>The hash of the transaction this one replaced (same sender and nonce), if any.</summary>
    public Hash256? Replaced { get; }

    /// <summary>The reason code; <see cref="TxError.None"/> when accepted.</summary>
    public TxError Error { get; }

    /// <summary>The message for the caller; empty when accepted.</summary>
    public string Message => _message ?? string.Empty;

    public static bool operator ==(TxPoolResult left, TxPoolResult right) => left.Equals(right);

    public static bool operator !=(TxPoolResult left, TxPoolResult right) => !left.Equals(right);

    /// <summary>An accepted transaction.</summary>
    public static TxPoolResult Accepted(Hash256 hash, Hash256? replaced = null) => new(hash, TxError.None, null, replaced);

    /// <summary>A rejection.</summary>
    public static TxPoolResult Rejected(TxError error, string message)
    {
        if (error == TxError.None)
        {
            throw new ArgumentException("a rejection needs an error other than None", nameof(error));
        }

        ArgumentNullException.ThrowIfNull(message);
        return new TxPoolResult(default, error, message, null);
    }

    public bool Equals(TxPoolResult other) => Hash == other.Hash && Error == other.Error && Message == other.Message && Replaced == other.Replaced;

    public override bool Equals(object? obj) => obj is TxPoolResult other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Hash, Error, Message);

    /// <summary>"accepted 0x..." or the reason code and message.</summary>
    public override string ToString() => IsAccepted ? $"accepted {Hash}" : $"{Error}: {Message}";
}
