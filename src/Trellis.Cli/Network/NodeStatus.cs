namespace Trellis.Cli.Network;

/// <summary>What one node reported over JSON-RPC (or that it did not answer).</summary>
/// <param name="Node">The node's name.</param>
/// <param name="Rpc">Its JSON-RPC URL.</param>
/// <param name="Answered">True when it answered JSON-RPC.</param>
/// <param name="Height">Its head block height, when known.</param>
/// <param name="Role">Its consensus role from <c>trellis_status</c> (leader, validator, follower, ...), when known.</param>
/// <param name="Peers">Connected peers, when known.</param>
/// <param name="Syncing">True while it catches up from peers, when known.</param>
/// <param name="Error">Why it did not answer, when it did not.</param>
internal sealed record NodeStatus(string Node, string Rpc, bool Answered, ulong? Height, string? Role, int? Peers, bool? Syncing, string? Error)
{
    /// <summary>Answers, and its height is known.</summary>
    public bool Healthy => Answered && Height is not null;
}
