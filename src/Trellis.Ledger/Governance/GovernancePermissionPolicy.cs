using Trellis.Core;
using Trellis.Ledger.Pool;
using Trellis.State;

namespace Trellis.Ledger.Governance;

/// <summary>
/// The transaction pool's permission policy from the governance state at the chain head: on a permissioned chain
/// a sender needs the transact right (deploy right to create a contract); member admins may always transact.
/// </summary>
/// <remarks>Thread-safe: <c>_gate</c> guards the head state, which is read by the pool and replaced at each new head.</remarks>
public sealed class GovernancePermissionPolicy : IPermissionPolicy
{
    private readonly Lock _gate = new();
    private IWorldState _head;

    /// <summary>Reads from <paramref name="headState"/>, which nothing else may use afterwards.</summary>
    public GovernancePermissionPolicy(IWorldState headState)
    {
        ArgumentNullException.ThrowIfNull(headState);
        _head = headState;
    }

    /// <summary>Switches to the state of a new head (a state nothing else uses).</summary>
    public void OnNewHead(IWorldState headState)
    {
        ArgumentNullException.ThrowIfNull(headState);
        lock (_gate)
        {
            _head = headState;
        }
    }

    /// <inheritdoc />
    public bool IsAllowed(in Address sender, bool deploysContract, out string reason)
    {
        string? refusal;
        lock (_gate)
        {
            refusal = GovernanceState.CheckSender(_head, sender, deploysContract);
        }

        reason = refusal ?? string.Empty;
        return refusal is null;
    }
}
