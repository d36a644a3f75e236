using Trellis.Core;

namespace Trellis.Evm;

/// <summary>The outcome of a depth-0 message call or contract creation.</summary>
/// <param name="Success">True when the frame finished with STOP, RETURN or SELFDESTRUCT; false on REVERT or an exceptional halt.</param>
/// <param name="Reverted">True when the frame ended with REVERT (its remaining gas is returned and its data is <paramref name="Output"/>).</param>
/// <param name="GasLeft">Gas left over (zero after an exceptional halt).</param>
/// <param name="Output">RETURN or REVERT data (empty otherwise).</param>
/// <param name="CreatedAddress">The new contract's address after a successful creation, else null.</param>
/// <param name="Error">Why the frame failed ("out of gas", "invalid opcode 0xfe", "stack underflow", "revert", ...), or null.</param>
public readonly record struct ExecutionResult(bool Success, bool Reverted, long GasLeft, byte[] Output, Address? CreatedAddress, string? Error);
