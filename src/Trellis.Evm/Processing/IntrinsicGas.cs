namespace Trellis.Evm.Processing;

/// <summary>
/// Gas charged before any code runs (yellow paper g0 with EIP-2028, EIP-2930 and EIP-3860).
/// </summary>
public static class IntrinsicGas
{
    /// <summary>Every transaction.</summary>
    public const long Transaction = 21_000;

    /// <summary>Added for a contract creation (G_txcreate).</summary>
    public const long ContractCreation = 32_000;

    /// <summary>Per zero byte of data.</summary>
    public const long ZeroByte = 4;

    /// <summary>Per non-zero byte of data (EIP-2028).</summary>
    public const long NonZeroByte = 16;

    /// <summary>Per access-list address (EIP-2930).</summary>
    public const long AccessListAddress = 2_400;

    /// <summary>Per access-list storage key (EIP-2930).</summary>
    public const long AccessListStorageKey = 1_900;

    /// <summary>Per 32-byte word of init code (EIP-3860).</summary>
    public const long InitCodeWord = 2;

    /// <summary>The intrinsic gas of a transaction.</summary>
    public static long Compute(EvmTransaction tx)
    {
        ArgumentNullException.ThrowIfNull(tx);
        var data = tx.Data.Span;
        long zeros = data.Count((byte)0);
        long nonZeros = data.Length - zeros;
        long gas = Transaction + (zeros * ZeroByte) + (nonZeros * NonZeroByte);
        if (tx.IsContractCreation)
        {
            gas += ContractCreation + (InitCodeWord * ((data.Length + 31L) / 32));
        }

        foreach (var entry in tx.AccessList)
        {
            gas += AccessListAddress + (AccessListStorageKey * entry.StorageKeys.Count);
        }

        return gas;
    }
}
