using Trellis.Core;

namespace Trellis.Ledger.Transactions;

/// <summary>A transaction that passed <see cref="TransactionValidator"/>, with what validation established.</summary>
public sealed class VerifiedTransaction
{
    internal VerifiedTransaction(Transaction transaction, Address sender, Hash256 hash, ulong intrinsicGas)
    {
        Transaction = transaction;
        Sender = sender;
        Hash = hash;
        IntrinsicGas = intrinsicGas;
    }

    /// <summary>The transaction.</summary>
    public Transaction Transaction { get; }

    /// <summary>The signer's address (suite hash of the recovered or carried public key).</summary>
    public Address Sender { get; }

    /// <summary>The suite hash of the full encoding.</summary>
    public Hash256 Hash { get; }

    /// <summary>The intrinsic gas under the Cancun rules.</summary>
    public ulong IntrinsicGas { get; }
}
