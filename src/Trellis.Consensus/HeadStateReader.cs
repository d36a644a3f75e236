using Trellis.Core;
using Trellis.Ledger.Pool;
using Trellis.State;

namespace Trellis.Consensus;

/// <summary>
/// Lets the transaction pool read nonces and balances from a world state (normally the head's). The pool calls it
/// only under its own lock, which is what keeps the single-threaded <see cref="IWorldState"/> safe here.
/// </summary>
public sealed class HeadStateReader : IAccountStateReader
{
    private readonly IWorldState _state;

    /// <summary>Reads from <paramref name="state"/>, which nothing else may use afterwards.</summary>
    public HeadStateReader(IWorldState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        _state = state;
    }

    /// <inheritdoc/>
    public ulong GetNonce(in Address address) => _state.GetNonce(address);

    /// <inheritdoc/>
    public UInt256 GetBalance(in Address address) => _state.GetBalance(address);
}
