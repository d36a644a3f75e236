using Trellis.Core;

namespace Trellis.Network.Admission;

/// <summary>An authenticated, admitted peer as learned from its certificate during the handshake.</summary>
/// <param name="NodeFingerprint">SHA-256 of the node certificate: the peer's identity on the network.</param>
/// <param name="AuthorityFingerprint">SHA-256 of its organisation CA certificate.</param>
/// <param name="Name">The node name (certificate CN).</param>
/// <param name="Organisation">The organisation (certificate O).</param>
/// <param name="SigningAddress">The node's ledger signing address (certificate subjectAltName URI).</param>
/// <param name="Role">Its role in the admitted set.</param>
public sealed record PeerIdentity(
    Hash256 NodeFingerprint,
    Hash256 AuthorityFingerprint,
    string Name,
    string Organisation,
    Address SigningAddress,
    PeerRole Role)
{
    /// <summary>
    /// True once the peer proved in the handshake that it holds the ledger key of <see cref="SigningAddress"/>
    /// (a signature over the connection's transcript); false on hosts that do not check key proofs.
    /// </summary>
    public bool SigningKeyProven { get; init; }

    /// <summary>Whether this peer's role is in <paramref name="roles"/>.</summary>
    public bool HasRoleIn(PeerRoles roles) => Role switch
    {
        PeerRole.Validator => (roles & PeerRoles.Validators) != 0,
        PeerRole.Observer => (roles & PeerRoles.Observers) != 0,
        _ => false,
    };

    /// <summary>"name (organisation, 0x1234abcd…)" for logs.</summary>
    public override string ToString() => $"{Name} ({Organisation}, {NodeFingerprint.ToString()[..10]}…)";
}
