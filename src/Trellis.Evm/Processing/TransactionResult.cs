using Trellis.Core;

namespace Trellis.Evm.Processing;

/// <summary>The outcome of <see cref="TransactionProcessor.Execute"/>.</summary>
/// <param name="Error">Why the transaction was rejected, or <see cref="TransactionError.None"/> if it executed.</param>
/// <param name="ErrorMessage">The rejection reason in words ("nonce too low: 4 &lt; expected 5"), or null.</param>
/// <param name="Success">True when execution finished without revert or exceptional halt.</param>
/// <param name="GasUsed">Gas charged to the sender after refunds (zero for a rejected transaction).</param>
/// <param name="Logs">Logs of a successful execution (empty otherwise).</param>
/// <param name="Output">Return or revert data.</param>
/// <param name="ContractAddress">The created contract's address after a successful creation, else null.</param>
public sealed record TransactionResult(
    TransactionError Error,
    string? ErrorMessage,
    bool Success,
    long GasUsed,
    IReadOnlyList<LogEntry> Logs,
    byte[] Output,
    Address? ContractAddress)
{
    /// <summary>True when the transaction was rejected before execution and changed nothing.</summary>
    public bool IsRejected => Error != TransactionError.None;

    /// <summary>The interpreter's reason when execution failed ("out of gas", "revert", ...), else null.</summary>
    public string? ExecutionError { get; init; }

    /// <summary>True when some frame called the KZG point-evaluation precompile (0x0a), which Trellis does not implement.</summary>
    public bool UsedPointEvaluationPrecompile { get; init; }

    /// <summary>A rejection: nothing was executed and the state is unchanged.</summary>
    public static TransactionResult Rejected(TransactionError error, string message) =>
        new(error, message, false, 0, [], [], null);
}
