using Trellis.Core;

namespace Trellis.Node.Rpc;

/// <summary>
/// The answer to eth_sendRawTransaction: the hash when the pool accepted the transaction, otherwise an error code
/// (-32003 for pool rejections, -32000 for undecodable input) and the reason, shown to the client verbatim.
/// </summary>
public sealed record SendTransactionResult(Hash256? Hash, int ErrorCode, string? Error)
{
    /// <summary>The pool accepted the transaction.</summary>
    public static SendTransactionResult Accepted(Hash256 hash) => new(hash, 0, null);

    /// <summary>The pool rejected it (nonce too low, underpriced, pool full...): -32003.</summary>
    public static SendTransactionResult Rejected(string reason) => new(null, JsonRpc.JsonRpcErrorCodes.TransactionRejected, reason);

    /// <summary>The bytes are not a transaction (bad RLP, unknown type, bad signature): -32000.</summary>
    public static SendTransactionResult Invalid(string reason) => new(null, JsonRpc.JsonRpcErrorCodes.InvalidInput, reason);
}
