namespace Trellis.Node.JsonRpc;

/// <summary>Error codes of JSON-RPC 2.0 and EIP-1474, geth's code 3 for reverted execution, and Trellis's admin refusal.</summary>
public static class JsonRpcErrorCodes
{
    /// <summary>The request body is not valid JSON (JSON-RPC 2.0).</summary>
    public const int ParseError = -32700;

    /// <summary>The JSON is not a valid request object (JSON-RPC 2.0).</summary>
    public const int InvalidRequest = -32600;

    /// <summary>The method does not exist or is not available (JSON-RPC 2.0).</summary>
    public const int MethodNotFound = -32601;

    /// <summary>Invalid method parameters (JSON-RPC 2.0).</summary>
    public const int InvalidParams = -32602;

    /// <summary>Internal error (JSON-RPC 2.0); details are logged, never returned.</summary>
    public const int InternalError = -32603;

    /// <summary>Missing or invalid input (EIP-1474).</summary>
    public const int InvalidInput = -32000;

    /// <summary>The requested resource was not found (EIP-1474).</summary>
    public const int ResourceNotFound = -32001;

    /// <summary>The requested resource is not available (EIP-1474).</summary>
    public const int ResourceUnavailable = -32002;

    /// <summary>The transaction was rejected (EIP-1474).</summary>
    public const int TransactionRejected = -32003;

    /// <summary>The method is not implemented (EIP-1474).</summary>
    public const int MethodNotSupported = -32004;

    /// <summary>A request limit was exceeded: rate, batch size, body size, range (EIP-1474).</summary>
    public const int LimitExceeded = -32005;

    /// <summary>
    /// An admin method was called without the admin API key, with a wrong one, or from a non-loopback address while
    /// remote admin calls are off (a Trellis server error, in the range JSON-RPC 2.0 leaves to implementations).
    /// An admin method on a node with admin methods disabled answers <see cref="MethodNotFound"/> instead.
    /// </summary>
    public const int Unauthorized = -32020;

    /// <summary>Execution reverted; <c>data</c> holds the revert bytes (geth's convention, understood by ethers v6).</summary>
    public const int ExecutionReverted = 3;
}
