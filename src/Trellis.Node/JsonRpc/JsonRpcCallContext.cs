using System.Net;

namespace Trellis.Node.JsonRpc;

/// <summary>Who is calling and over what: passed to every handler.</summary>
public sealed class JsonRpcCallContext
{
    /// <summary>Creates a context.</summary>
    public JsonRpcCallContext(IPAddress? remoteAddress, IJsonRpcConnection? connection, CancellationToken cancellationToken)
    {
        RemoteAddress = remoteAddress;
        Connection = connection;
        CancellationToken = cancellationToken;
    }

    /// <summary>The client's IP address, when known.</summary>
    public IPAddress? RemoteAddress { get; }

    /// <summary>The WebSocket connection, or null for plain HTTP (no subscriptions).</summary>
    public IJsonRpcConnection? Connection { get; }

    /// <summary>Cancelled when the client goes away.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>
    /// Whether the caller may use <c>admin_</c> methods, decided once per HTTP request or WebSocket connection from
    /// its address and <c>Authorization</c> header (default: disabled).
    /// </summary>
    public AdminDecision Admin { get; init; } = AdminDecision.Disabled;

    /// <summary>
    /// What a <see cref="JsonRpcBatchPreparer"/> already did for the call being handled, or null. Set by the server
    /// for the duration of one handler call.
    /// </summary>
    public object? Prepared { get; internal set; }
}
