using Trellis.Core;
using Trellis.Sdk.Abi;

namespace Trellis.Sdk;

/// <summary>
/// A JSON-RPC error from the node (code, message, data), or a response the client could not read. When the node
/// reports reverted execution (code 3, or any error whose data is revert bytes) <see cref="Revert"/> holds the decoded
/// reason: <c>Error(string)</c>, <c>Panic(uint256)</c> or a custom error of the contract.
/// </summary>
public sealed class TrellisRpcException : Exception
{
    /// <summary>The code this client uses for a response that is not valid JSON-RPC (JSON-RPC 2.0's parse error).</summary>
    public const int MalformedResponse = -32700;

    /// <summary>The node's code for reverted execution (geth's convention, which Trellis follows).</summary>
    public const int ExecutionReverted = 3;

    /// <summary>Creates the exception.</summary>
    public TrellisRpcException(int code, string message, string? data, RevertReason? revert = null, string? method = null)
        : base(method is null ? $"{message} (code {code})" : $"{method}: {message} (code {code})")
    {
        Code = code;
        RpcMessage = message;
        ErrorData = data;
        Revert = revert;
        Method = method;
    }

    /// <summary>Creates the exception with a message.</summary>
    public TrellisRpcException(string message)
        : this(MalformedResponse, message, null)
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    public TrellisRpcException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = MalformedResponse;
        RpcMessage = message;
    }

    /// <summary>Creates the exception with a default message.</summary>
    public TrellisRpcException()
        : this("JSON-RPC request failed")
    {
    }

    /// <summary>The JSON-RPC error code.</summary>
    public int Code { get; }

    /// <summary>The error message as the node sent it.</summary>
    public string RpcMessage { get; } = string.Empty;

    /// <summary>The error's <c>data</c> member as raw JSON text when it is not a string, or the string itself; null when absent.</summary>
    public string? ErrorData { get; }

    /// <summary>The decoded revert reason when <see cref="ErrorData"/> is hex revert data; null otherwise.</summary>
    public RevertReason? Revert { get; }

    /// <summary>The method that failed, when known.</summary>
    public string? Method { get; }

    /// <summary>True when the node reported reverted execution.</summary>
    public bool IsRevert => Code == ExecutionReverted || Revert is not null;

    internal TrellisRpcException WithRevertDecodedBy(ContractAbi abi)
    {
        if (ErrorData is null || !ErrorData.StartsWith("0x", StringComparison.Ordinal) || !Hex.TryDecode(ErrorData, out byte[] bytes, out _))
        {
            return this;
        }

        RevertReason reason = abi.DecodeRevert(bytes);
        string message = reason.Kind is RevertReasonKind.Unknown or RevertReasonKind.Empty ? RpcMessage : "execution reverted: " + reason;
        return new TrellisRpcException(Code, message, ErrorData, reason, Method);
    }
}
