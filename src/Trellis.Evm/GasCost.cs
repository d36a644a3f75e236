namespace Trellis.Evm;

/// <summary>Gas constants of the Cancun schedule (yellow paper appendix G, EIP-2929, EIP-2200, EIP-3529, EIP-3860).</summary>
internal static class GasCost
{
    public const int WarmAccess = 100;          // EIP-2929 WARM_STORAGE_READ_COST
    public const int ColdAccountAccess = 2600;  // EIP-2929 COLD_ACCOUNT_ACCESS_COST
    public const int ColdSload = 2100;          // EIP-2929 COLD_SLOAD_COST
    public const int SstoreSet = 20000;
    public const int SstoreReset = 5000 - ColdSload;
    public const int SstoreClearRefund = 4800;  // EIP-3529: SSTORE_RESET_GAS + ACCESS_LIST_STORAGE_KEY_COST
    public const int SstoreSentry = 2300;       // EIP-2200: SSTORE fails when gasleft <= the call stipend
    public const int Memory = 3;
    public const int Copy = 3;
    public const int KeccakWord = 6;
    public const int Log = 375;
    public const int LogData = 8;
    public const int ExpByte = 50;
    public const int Create = 32000;
    public const int InitCodeWord = 2;          // EIP-3860
    public const int CodeDeposit = 200;
    public const int CallValue = 9000;
    public const int CallStipend = 2300;
    public const int NewAccount = 25000;
    public const int SelfDestruct = 5000;
    public const int MaxCodeSize = 24576;       // EIP-170
    public const int MaxInitCodeSize = 2 * MaxCodeSize; // EIP-3860
    public const int MaxCallDepth = 1024;
}
