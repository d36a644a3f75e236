using Trellis.Core;

namespace Trellis.Evm.SystemContracts;

/// <summary>
/// A contract implemented natively at a fixed address (governance, for example). The EVM runs it on CALL and
/// STATICCALL to <see cref="Address"/>, as it would run bytecode: the contract reads and writes its storage through
/// the world state, and every change is undone when it reverts, runs out of gas or the calling frame fails.
/// </summary>
public interface ISystemContract
{
    /// <summary>The contract's fixed address.</summary>
    Address Address { get; }

    /// <summary>
    /// Runs one call. Must not throw for any input: malformed calldata, a wrong selector or a caller without the
    /// right ends in <see cref="SystemCallStatus.Revert"/> with an Error(string) reason.
    /// </summary>
    SystemCallResult Call(SystemCall call);
}
