using System.Text.Json;

namespace Trellis.Integration.Tests;

/// <summary>A JSON-RPC error answer.</summary>
internal sealed class RpcErrorException(string method, JsonElement error) : Exception($"{method}: {error}")
{
    public int Code { get; } = error.GetProperty("code").GetInt32();
}
