using Trellis.Core;
using Trellis.Ledger.Governance;

namespace Trellis.Ledger.Genesis;

/// <summary>The optional <c>permissions</c> section: open or permissioned at genesis, and the rights accounts start with.</summary>
public sealed class PermissionsConfig
{
    /// <summary>True for <c>"mode": "permissioned"</c> (default open).</summary>
    public bool Permissioned { get; init; }

    /// <summary>Rights granted at genesis, by account.</summary>
    public IReadOnlyDictionary<Address, AccountRights> Accounts { get; init; } = new Dictionary<Address, AccountRights>();
}
