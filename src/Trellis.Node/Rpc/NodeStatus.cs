namespace Trellis.Node.Rpc;

/// <summary>What <c>trellis_status</c> reports about a node.</summary>
/// <param name="Node">The node's name.</param>
/// <param name="Height">Its committed head height.</param>
/// <param name="Role">"leader", "validator", "follower", "candidate", "observer" or "solo".</param>
/// <param name="Peers">Connected peers.</param>
/// <param name="Consensus">The engine name ("solo", "hotstuff", "raft").</param>
/// <param name="ChainId">The chain id.</param>
/// <param name="Syncing">Whether it is behind its peers and fetching blocks.</param>
public sealed record NodeStatus(string Node, ulong Height, string Role, int Peers, string Consensus, ulong ChainId, bool Syncing);
