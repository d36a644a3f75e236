namespace Trellis.Node.Rpc;

/// <summary>How a simulated call ended.</summary>
public enum CallStatus
{
    /// <summary>Returned normally.</summary>
    Success,

    /// <summary>Ended with REVERT; the output is the revert data.</summary>
    Reverted,

    /// <summary>Failed otherwise (out of gas, invalid opcode, insufficient funds...); see the error message.</summary>
    Failed,
}
