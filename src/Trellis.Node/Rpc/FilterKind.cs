namespace Trellis.Node.Rpc;

/// <summary>What an installed filter collects.</summary>
internal enum FilterKind
{
    Logs,
    Blocks,
    PendingTransactions,
}
