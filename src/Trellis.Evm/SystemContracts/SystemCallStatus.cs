namespace Trellis.Evm.SystemContracts;

/// <summary>How a system contract call ended.</summary>
public enum SystemCallStatus
{
    /// <summary>Returned normally: state changes and logs stand.</summary>
    Success,

    /// <summary>Reverted: state changes and logs are undone, unused gas is returned, the output is the revert data.</summary>
    Revert,

    /// <summary>Ran out of gas: state changes are undone and all the call's gas is consumed.</summary>
    OutOfGas,
}
