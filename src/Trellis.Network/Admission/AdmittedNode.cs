using Trellis.Core;

namespace Trellis.Network.Admission;

/// <summary>
/// One entry of the admitted set: a node certificate (by SHA-256 fingerprint), the member CA that must have issued it,
/// the node's role and, when known, its ledger signing address (the genesis node entry's address).
/// </summary>
/// <param name="AuthorityFingerprint">SHA-256 of the member (organisation root) CA certificate.</param>
/// <param name="NodeFingerprint">SHA-256 of the node certificate.</param>
/// <param name="Role">What the node does.</param>
/// <param name="SigningAddress">The node's ledger signing address; when set, the certificate and the key proof must name it.</param>
public sealed record AdmittedNode(Hash256 AuthorityFingerprint, Hash256 NodeFingerprint, PeerRole Role, Address? SigningAddress = null);
