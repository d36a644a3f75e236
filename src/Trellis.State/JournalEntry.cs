using Trellis.Core;

namespace Trellis.State;

/// <summary>
/// One undoable change: the kind, the account (the entry object, so undo needs no lookup), and the previous value.
/// A struct in an array, not a closure, so journaling allocates nothing.
/// </summary>
internal readonly struct JournalEntry(JournalKind kind, in Address address, AccountEntry? account, in UInt256 key, in UInt256 previous, object? reference = null)
{
    public readonly JournalKind Kind = kind;
    public readonly Address Address = address;

    /// <summary>The entry changed, or for <see cref="JournalKind.AccountReplaced"/> the entry to put back.</summary>
    public readonly AccountEntry? Account = account;

    /// <summary>The storage slot, for storage changes.</summary>
    public readonly UInt256 Key = key;

    /// <summary>The previous balance, nonce or slot value.</summary>
    public readonly UInt256 Previous = previous;

    /// <summary>The previous code, for code changes.</summary>
    public readonly object? Reference = reference;
}
