using Trellis.Core;

namespace Trellis.Network.Admission;

/// <summary>
/// A node as the governance node registry lists it, reduced to what admission needs.
/// </summary>
/// <param name="SigningAddress">Its ledger signing address: its identity in the registry.</param>
/// <param name="Organisation">The member organisation that runs it.</param>
/// <param name="Role">Its role at the height admission is decided for; null when it is removed (not admitted).</param>
/// <param name="TlsFingerprint">SHA-256 of its TLS certificate, or null when the registry pins none (then no certificate is admitted for it, as for genesis).</param>
public sealed record RegisteredPeer(Address SigningAddress, string Organisation, PeerRole? Role, Hash256? TlsFingerprint);
