using Microsoft.Extensions.Logging;
using Trellis.Core;

namespace Trellis.Node.Rpc;

/// <summary>What the <c>admin_</c> JSON-RPC methods may read and change in a running node.</summary>
public interface IAdminOperations
{
    /// <summary>This node's identity and endpoints.</summary>
    AdminNodeInfo GetNodeInfo();

    /// <summary>The peers connected now.</summary>
    IReadOnlyList<AdminPeerInfo> GetPeers();

    /// <summary>
    /// Dials <paramref name="target"/> once and returns the peer reached. When the target names a signing address,
    /// a peer removed with <see cref="RemovePeer"/> is allowed again, and a peer with another address is refused.
    /// </summary>
    /// <exception cref="InvalidOperationException">No peer network, the dial or handshake failed, or the peer is not
    /// the one named, or was removed; the message says which.</exception>
    Task<AdminPeerInfo> AddPeerAsync(AdminPeerTarget target, CancellationToken cancellationToken);

    /// <summary>
    /// Disconnects the peer with <paramref name="signingAddress"/> and refuses its connections until an
    /// <see cref="AddPeerAsync"/> names its address. Returns whether it was connected.
    /// </summary>
    /// <exception cref="InvalidOperationException">The node has no peer network.</exception>
    bool RemovePeer(Address signingAddress);

    /// <summary>Sets the least severe level logged; returns the previous one.</summary>
    LogLevel SetLogLevel(LogLevel level);
}
