using Trellis.Core;
using Trellis.State;

namespace Trellis.Evm.SystemContracts;

/// <summary>
/// The native contracts a chain runs beside the EVM, and the one rule they impose on ordinary calls (a frozen
/// contract's code does not run). Given to <see cref="VirtualMachine"/> by the transaction processor.
/// </summary>
public interface ISystemContractHost
{
    /// <summary>The system contract at <paramref name="address"/>, or null if the address holds none. Called on every message call; must be cheap.</summary>
    ISystemContract? Find(in Address address);

    /// <summary>
    /// Returns null when the bytecode at <paramref name="codeAddress"/> may run, or the reason it may not (for
    /// example "contract frozen"); the call then reverts with that reason as Error(string) and keeps its gas.
    /// Called only for accounts that have code.
    /// </summary>
    string? RefuseCall(IWorldState state, in Address codeAddress);
}
