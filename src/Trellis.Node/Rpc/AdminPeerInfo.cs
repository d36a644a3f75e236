using Trellis.Core;

namespace Trellis.Node.Rpc;

/// <summary>One connected peer as <c>admin_peers</c> reports it.</summary>
/// <param name="Name">The node name from its certificate.</param>
/// <param name="Organisation">Its organisation from its certificate.</param>
/// <param name="Role">"validator" or "observer", as admitted.</param>
/// <param name="SigningAddress">Its ledger signing address.</param>
/// <param name="RemoteEndpoint">Its IP endpoint on the connection, or null when unknown.</param>
/// <param name="Direction">"outbound" when this node dialled, else "inbound".</param>
/// <param name="TlsFingerprint">SHA-256 of its node certificate.</param>
public sealed record AdminPeerInfo(string Name, string Organisation, string Role, Address SigningAddress, string? RemoteEndpoint, string Direction, Hash256 TlsFingerprint);
