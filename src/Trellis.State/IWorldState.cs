using Trellis.Core;
using Trellis.Crypto;
using Trellis.State.Storage;

namespace Trellis.State;

/// <summary>
/// The mutable account state the EVM executes against: balances, nonces, code and storage, with a journal for
/// nested reverts and the per-transaction bookkeeping of EIP-161 (touched empty accounts), EIP-2929 (warm sets),
/// EIP-1153 (transient storage), EIP-2200/3529 (original storage values) and EIP-6780 (SELFDESTRUCT).
/// </summary>
public interface IWorldState
{
    /// <summary>The crypto suite whose hash keys the tries and hashes code.</summary>
    ICryptoSuite Suite { get; }

    /// <summary>True if the account exists in the state.</summary>
    bool AccountExists(in Address address);

    /// <summary>True if the account exists and has nonce 0, balance 0 and no code (EIP-161).</summary>
    bool IsEmptyAccount(in Address address);

    /// <summary>True if the account does not exist, or exists and is empty (EIP-161).</summary>
    bool IsDeadAccount(in Address address);

    /// <summary>The account's balance; zero for a non-existent account.</summary>
    UInt256 GetBalance(in Address address);

    /// <summary>The account's nonce; zero for a non-existent account.</summary>
    ulong GetNonce(in Address address);

    /// <summary>The hash of the account's code; <see cref="Hash256.Zero"/> for a non-existent account.</summary>
    Hash256 GetCodeHash(in Address address);

    /// <summary>The account's code; empty for a non-existent account or one without code.</summary>
    ReadOnlyMemory<byte> GetCode(in Address address);

    /// <summary>True if the account has any non-zero storage slot (EIP-7610 create collision).</summary>
    bool HasStorage(in Address address);

    /// <summary>The current value of a storage slot; zero if unset.</summary>
    UInt256 GetStorage(in Address address, in UInt256 key);

    /// <summary>The value of a storage slot at the start of the current transaction (EIP-2200/3529 gas).</summary>
    UInt256 GetOriginalStorage(in Address address, in UInt256 key);

    /// <summary>Sets a storage slot; zero deletes it.</summary>
    void SetStorage(in Address address, in UInt256 key, in UInt256 value);

    /// <summary>The value of a transient storage slot (EIP-1153); zero if unset.</summary>
    UInt256 GetTransientStorage(in Address address, in UInt256 key);

    /// <summary>Sets a transient storage slot (EIP-1153); cleared at the start of each transaction.</summary>
    void SetTransientStorage(in Address address, in UInt256 key, in UInt256 value);

    /// <summary>
    /// (Re)creates the account with nonce 0, no code and empty storage, keeping an existing balance (a CREATE to a
    /// pre-funded address), and marks it created in this transaction (EIP-6780).
    /// </summary>
    void CreateAccount(in Address address);

    /// <summary>Adds to the account's balance, creating the account if missing.</summary>
    void AddBalance(in Address address, in UInt256 value);

    /// <summary>Subtracts from the account's balance.</summary>
    /// <exception cref="InvalidOperationException">The balance is insufficient (callers check first).</exception>
    void SubtractBalance(in Address address, in UInt256 value);

    /// <summary>Sets the account's nonce, creating the account if missing.</summary>
    void SetNonce(in Address address, ulong nonce);

    /// <summary>Sets the account's code, creating the account if missing.</summary>
    void SetCode(in Address address, ReadOnlyMemory<byte> code);

    /// <summary>Marks the account touched (EIP-161): touched accounts that are empty at transaction end are deleted.</summary>
    void Touch(in Address address);

    /// <summary>True if the account was created by <see cref="CreateAccount"/> in the current transaction (EIP-6780).</summary>
    bool IsCreatedInCurrentTransaction(in Address address);

    /// <summary>SELFDESTRUCT of an account created in this transaction (EIP-6780): deleted at transaction end.</summary>
    void MarkForDeletion(in Address address);

    /// <summary>Adds the account to the warm set (EIP-2929); returns true if it was already warm.</summary>
    bool WarmUpAccount(in Address address);

    /// <summary>True if the account is in the warm set (EIP-2929).</summary>
    bool IsWarm(in Address address);

    /// <summary>Adds the storage slot to the warm set (EIP-2929); returns true if it was already warm.</summary>
    bool WarmUpStorage(in Address address, in UInt256 key);

    /// <summary>Returns the current journal position for <see cref="RevertToSnapshot"/>.</summary>
    int TakeSnapshot();

    /// <summary>
    /// Undoes every change after the snapshot: balances, nonces, code, storage, transient storage, created accounts,
    /// deletions, touches (except a touch of the RIPEMD-160 precompile 0x…03, per EIP-161) and warm sets.
    /// </summary>
    void RevertToSnapshot(int snapshot);

    /// <summary>
    /// Starts a transaction: clears the warm sets, transient storage, created and deleted sets and the journal;
    /// the current storage values become the originals.
    /// </summary>
    void BeginTransaction();

    /// <summary>
    /// Ends a transaction: deletes accounts marked for deletion and touched empty accounts; current storage values
    /// become the originals.
    /// </summary>
    void EndTransaction();

    /// <summary>The state root including all pending changes; writes nothing.</summary>
    Hash256 ComputeStateRoot();

    /// <summary>Writes the changed trie nodes and code into the batch and returns the new state root.</summary>
    Hash256 Commit(IWriteBatch batch);
}
