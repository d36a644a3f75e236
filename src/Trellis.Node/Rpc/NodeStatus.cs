namespace Trellis.Node.Rpc;

/// <summary>What <c>trellis_status</c> reports about a node.</summary>
/// <param name="Node">The node's name.</param>
/// <param name="Height">Its committed head height.</param>
/// <param name="Role">"leader", "validator", "follower", "candidate", "observer" or "solo".</param>
/// <param name="Peers">Connected peers.</param>
/// <param name="Consensus">The engine name ("solo", "hotstuff", "raft").</param>
/// <param name="ChainId">The chain id.</param>
/// <param name="Syncing">Whether it is behind its peers and fetching blocks (see <see cref="IsSyncing"/>).</param>
public sealed record NodeStatus(string Node, ulong Height, string Role, int Peers, string Consensus, ulong ChainId, bool Syncing)
{
    /// <summary>
    /// Blocks a node may trail the best height it knows of and still count as at the head. A HotStuff replica learns
    /// of heights before it may commit them (a proposal at height h certifies h − 1, while the three-chain rule commits
    /// only h − 3), so a healthy validator always trails what it knows by about two blocks.
    /// </summary>
    public const ulong HeadTolerance = 2;

    /// <summary>
    /// What <c>trellis_status</c> reports as <c>syncing</c>: block sync says it is catching up, and the head is more
    /// than <see cref="HeadTolerance"/> blocks behind <paramref name="bestKnownHeight"/> (the highest height peers
    /// announced or the engine learned). Either alone is not enough: block sync's flag stays set on a healthy
    /// validator that trails by a block or two.
    /// </summary>
    public static bool IsSyncing(bool synchronizerSyncing, ulong head, ulong bestKnownHeight) =>
        synchronizerSyncing && bestKnownHeight > head && bestKnownHeight - head > HeadTolerance;
}
