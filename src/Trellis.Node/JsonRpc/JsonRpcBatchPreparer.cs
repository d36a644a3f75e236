namespace Trellis.Node.JsonRpc;

/// <summary>
/// Does the work of a run of consecutive calls to one method in a JSON-RPC batch together, before their handlers
/// run (for example admitting a batch of transactions under one pool lock). Returns one state per call, which the
/// method's handler then finds in <see cref="JsonRpcCallContext.Prepared"/>; null where the handler must do the
/// whole call itself (for example its parameters are invalid, so the handler reports the error). The outcome of
/// each call must be what its handler alone would produce, in order.
/// </summary>
public delegate ValueTask<object?[]> JsonRpcBatchPreparer(JsonRpcCallContext context, IReadOnlyList<JsonRpcParams> calls);
