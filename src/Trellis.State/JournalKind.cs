namespace Trellis.State;

/// <summary>What a journal entry undoes.</summary>
internal enum JournalKind : byte
{
    AccountReplaced,
    AccountCreated,
    Balance,
    Nonce,
    Code,
    Storage,
    TransientStorage,
    CreatedMark,
    DeletionMark,
    Touch,
    WarmAccount,
    WarmStorage,
}
