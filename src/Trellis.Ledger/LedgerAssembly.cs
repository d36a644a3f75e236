namespace Trellis.Ledger;

/// <summary>Marks the assembly; the ledger types arrive with the ledger issue.</summary>
internal static class LedgerAssembly
{
}
