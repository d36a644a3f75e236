namespace Trellis.Node.Rpc;

/// <summary>The eth_subscribe event streams.</summary>
internal enum SubscriptionKind
{
    NewHeads,
    Logs,
    NewPendingTransactions,
}
