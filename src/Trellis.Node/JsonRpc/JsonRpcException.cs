namespace Trellis.Node.JsonRpc;

/// <summary>
/// Thrown by a method handler to answer with a JSON-RPC error object. The message is shown to the client as is,
/// so it must name the thing, the value and the rule.
/// </summary>
public sealed class JsonRpcException : Exception
{
    /// <summary>Creates an error with a code from <see cref="JsonRpcErrorCodes"/>, a message and optional data.</summary>
    /// <param name="code">The JSON-RPC error code.</param>
    /// <param name="message">The client-visible message.</param>
    /// <param name="data">Optional <c>data</c> member, written as a JSON string (for example revert bytes as hex).</param>
    public JsonRpcException(int code, string message, string? data = null)
        : base(message)
    {
        Code = code;
        ErrorData = data;
    }

    /// <summary>Creates an internal error (-32603).</summary>
    public JsonRpcException()
        : this(JsonRpcErrorCodes.InternalError, "internal error")
    {
    }

    /// <summary>Creates an internal error (-32603) with a message.</summary>
    public JsonRpcException(string message)
        : this(JsonRpcErrorCodes.InternalError, message)
    {
    }

    /// <summary>Creates an internal error (-32603) with a message and a cause.</summary>
    public JsonRpcException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = JsonRpcErrorCodes.InternalError;
    }

    /// <summary>The JSON-RPC error code.</summary>
    public int Code { get; }

    /// <summary>The <c>data</c> member as a JSON string, or null to omit it.</summary>
    public string? ErrorData { get; }

    /// <summary>An invalid-params error (-32602).</summary>
    public static JsonRpcException InvalidParams(string message) => new(JsonRpcErrorCodes.InvalidParams, message);
}
