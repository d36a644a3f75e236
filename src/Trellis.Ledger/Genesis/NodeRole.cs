namespace Trellis.Ledger.Genesis;

/// <summary>What a node does in consensus.</summary>
public enum NodeRole
{
    /// <summary>Votes and proposes blocks.</summary>
    Validator,

    /// <summary>Receives and verifies blocks without voting (e.g. a regulator's node).</summary>
    Observer,
}
