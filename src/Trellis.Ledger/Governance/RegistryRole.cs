namespace Trellis.Ledger.Governance;

/// <summary>A node's role in the governance node registry (the values of INodeRegistry).</summary>
public enum RegistryRole : byte
{
    /// <summary>Not registered.</summary>
    None = 0,

    /// <summary>Votes and proposes blocks.</summary>
    Validator = 1,

    /// <summary>Receives and verifies blocks without voting.</summary>
    Observer = 2,

    /// <summary>Forced out: no longer admitted to the network.</summary>
    Removed = 3,
}
