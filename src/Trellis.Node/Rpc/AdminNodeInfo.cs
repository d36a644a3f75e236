using Trellis.Core;

namespace Trellis.Node.Rpc;

/// <summary>What <c>admin_nodeInfo</c> reports about this node.</summary>
/// <param name="Name">The node's name in genesis.</param>
/// <param name="Organisation">Its organisation.</param>
/// <param name="Role">Its genesis role ("validator" or "observer").</param>
/// <param name="SigningAddress">Its ledger signing address.</param>
/// <param name="P2pEndpoint">The bound peer endpoint (<c>host:port</c>), or null without a peer network.</param>
/// <param name="Enode">The peer address others can give <c>admin_addPeer</c>: <c>trellis://0x&lt;address&gt;@host:port</c>, or null.</param>
/// <param name="TlsFingerprint">SHA-256 of its node certificate, or null without a peer network.</param>
/// <param name="ChainId">The chain id.</param>
/// <param name="Consensus">The consensus engine.</param>
/// <param name="Version">The Trellis version running.</param>
public sealed record AdminNodeInfo(
    string Name,
    string Organisation,
    string Role,
    Address SigningAddress,
    string? P2pEndpoint,
    string? Enode,
    Hash256? TlsFingerprint,
    ulong ChainId,
    string Consensus,
    string Version);
