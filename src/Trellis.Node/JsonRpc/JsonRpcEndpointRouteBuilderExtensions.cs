using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Trellis.Node.JsonRpc;

/// <summary>Maps a <see cref="JsonRpcServer"/> into an ASP.NET Core application.</summary>
public static class JsonRpcEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Serves JSON-RPC at <paramref name="pattern"/>: POST for HTTP and an upgrade for WebSocket, on the same path.
    /// The application must call <c>UseWebSockets()</c> before this for WebSocket clients.
    /// </summary>
    public static IEndpointConventionBuilder MapTrellisJsonRpc(this IEndpointRouteBuilder endpoints, JsonRpcServer server, string pattern = "/")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(server);
        return endpoints.Map(pattern, server.HandleHttpAsync);
    }
}
