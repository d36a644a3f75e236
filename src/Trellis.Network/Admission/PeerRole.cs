namespace Trellis.Network.Admission;

/// <summary>What an admitted node does in the network.</summary>
public enum PeerRole
{
    /// <summary>Takes part in consensus; receives transaction gossip.</summary>
    Validator = 1,

    /// <summary>Follows the ledger (for example a regulator's node); receives blocks, not transaction gossip.</summary>
    Observer = 2,
}
