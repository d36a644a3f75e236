namespace Trellis.Sdk.Abi;

/// <summary>What revert data turned out to be.</summary>
public enum RevertReasonKind
{
    /// <summary>No revert data (a bare <c>revert()</c>, out of gas, or an invalid opcode).</summary>
    Empty,

    /// <summary><c>Error(string)</c>: a require or revert message.</summary>
    Error,

    /// <summary><c>Panic(uint256)</c>: a compiler-inserted check failed.</summary>
    Panic,

    /// <summary>A custom error declared in the contract's ABI.</summary>
    Custom,

    /// <summary>Data that matches no known error (or is malformed).</summary>
    Unknown,
}
