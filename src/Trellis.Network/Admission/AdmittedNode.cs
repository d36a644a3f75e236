using Trellis.Core;

namespace Trellis.Network.Admission;

/// <summary>
/// One entry of the admitted set: a node certificate (by SHA-256 fingerprint), the member CA that must have issued it,
/// and the node's role.
/// </summary>
/// <param name="AuthorityFingerprint">SHA-256 of the issuing organisation CA certificate.</param>
/// <param name="NodeFingerprint">SHA-256 of the node certificate.</param>
/// <param name="Role">What the node does.</param>
public sealed record AdmittedNode(Hash256 AuthorityFingerprint, Hash256 NodeFingerprint, PeerRole Role);
