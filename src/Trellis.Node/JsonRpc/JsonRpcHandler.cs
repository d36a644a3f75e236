using System.Text.Json;

namespace Trellis.Node.JsonRpc;

/// <summary>
/// A method implementation: reads <paramref name="parameters"/> and writes exactly one JSON value (the result)
/// to <paramref name="result"/>, or throws <see cref="JsonRpcException"/>. Anything else thrown becomes -32603.
/// </summary>
public delegate ValueTask JsonRpcHandler(JsonRpcCallContext context, JsonRpcParams parameters, Utf8JsonWriter result);
