namespace Trellis.Ledger.Governance;

/// <summary>Rights an account holds on a permissioned chain (bit flags, as in IPermissions).</summary>
[Flags]
public enum AccountRights : byte
{
    /// <summary>No rights.</summary>
    None = 0,

    /// <summary>May send transactions.</summary>
    Transact = 1,

    /// <summary>May create contracts with a transaction.</summary>
    Deploy = 2,

    /// <summary>Administers: implies transact and deploy.</summary>
    Admin = 4,

    /// <summary>Every right.</summary>
    All = Transact | Deploy | Admin,
}
