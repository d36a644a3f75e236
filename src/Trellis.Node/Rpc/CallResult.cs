namespace Trellis.Node.Rpc;

/// <summary>The outcome of eth_call or eth_estimateGas in the backend.</summary>
public sealed record CallResult(CallStatus Status, byte[] Output, ulong GasUsed, string? Error)
{
    /// <summary>A normal return with <paramref name="output"/>; for estimation, <paramref name="gasUsed"/> is the estimate.</summary>
    public static CallResult Success(byte[] output, ulong gasUsed) => new(CallStatus.Success, output, gasUsed, null);

    /// <summary>A REVERT with <paramref name="revertData"/>.</summary>
    public static CallResult Reverted(byte[] revertData, ulong gasUsed) => new(CallStatus.Reverted, revertData, gasUsed, null);

    /// <summary>Any other failure, with the reason shown to the client (for example "out of gas").</summary>
    public static CallResult Failed(string error) => new(CallStatus.Failed, [], 0, error);
}
