namespace Trellis.Node.Rpc;

/// <summary>A block that became the head, with its logs in order, for filters and subscriptions.</summary>
public sealed record NewBlockEvent(RpcBlock Block, IReadOnlyList<RpcLog> Logs);
