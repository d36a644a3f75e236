namespace Trellis.Evm.SystemContracts;

/// <summary>The outcome of <see cref="ISystemContract.Call"/>.</summary>
/// <param name="Status">Success, revert or out of gas.</param>
/// <param name="GasUsed">Gas consumed (at most the call's gas; ignored for <see cref="SystemCallStatus.OutOfGas"/>).</param>
/// <param name="Output">Return data, or revert data (ABI Error(string)).</param>
/// <param name="Logs">Logs emitted by a successful call, in order.</param>
public sealed record SystemCallResult(SystemCallStatus Status, long GasUsed, byte[] Output, IReadOnlyList<LogEntry> Logs)
{
    /// <summary>A successful call.</summary>
    public static SystemCallResult Success(long gasUsed, byte[] output, IReadOnlyList<LogEntry> logs) =>
        new(SystemCallStatus.Success, gasUsed, output, logs);

    /// <summary>A revert with an Error(string) reason.</summary>
    public static SystemCallResult Revert(long gasUsed, string reason) =>
        new(SystemCallStatus.Revert, gasUsed, RevertReason.EncodeError(reason), []);

    /// <summary>Out of gas.</summary>
    public static SystemCallResult OutOfGas() => new(SystemCallStatus.OutOfGas, 0, [], []);
}
