using Trellis.Core;

namespace Trellis.Ledger.Pool;

/// <summary>
/// Whether an account may transact or deploy contracts: the hook through which governance (account rights granted
/// by member vote) restricts a permissioned chain. Called under the pool's lock; must be fast and must not call the pool.
/// </summary>
public interface IPermissionPolicy
{
    /// <summary>Returns true if <paramref name="sender"/> may send this transaction; otherwise false and a reason for the caller.</summary>
    bool IsAllowed(in Address sender, bool deploysContract, out string reason);
}
