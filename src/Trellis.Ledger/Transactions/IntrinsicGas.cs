namespace Trellis.Ledger.Transactions;

/// <summary>The gas a transaction costs before any code runs, under the Cancun rules.</summary>
public static class IntrinsicGas
{
    /// <summary>Every transaction (yellow paper G_transaction).</summary>
    public const ulong Transaction = 21000;

    /// <summary>Extra for a contract creation (EIP-2, G_txcreate).</summary>
    public const ulong ContractCreation = 32000;

    /// <summary>Per zero byte of data.</summary>
    public const ulong ZeroByte = 4;

    /// <summary>Per non-zero byte of data (EIP-2028).</summary>
    public const ulong NonZeroByte = 16;

    /// <summary>Per access-list address (EIP-2930).</summary>
    public const ulong AccessListAddress = 2400;

    /// <summary>Per access-list storage key (EIP-2930).</summary>
    public const ulong AccessListStorageKey = 1900;

    /// <summary>Per 32-byte word of init code (EIP-3860).</summary>
    public const ulong InitCodeWord = 2;

    /// <summary>The largest init code a creation may carry (EIP-3860: twice the EIP-170 code limit).</summary>
    public const int MaxInitCodeSize = 49152;

    /// <summary>The intrinsic gas of <paramref name="transaction"/>. Cannot overflow: data is bounded by the input size.</summary>
    public static ulong Compute(Transaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ReadOnlySpan<byte> data = transaction.Data.Span;
        ulong gas = Transaction;
        int zeros = data.Count((byte)0);
        gas += ((ulong)zeros * ZeroByte) + ((ulong)(data.Length - zeros) * NonZeroByte);
        if (transaction.IsContractCreation)
        {
            gas += ContractCreation + (((ulong)data.Length + 31) / 32 * InitCodeWord);
        }

        foreach (AccessListEntry entry in transaction.AccessList)
        {
            gas += AccessListAddress + ((ulong)entry.StorageKeys.Count * AccessListStorageKey);
        }

        return gas;
    }
}
