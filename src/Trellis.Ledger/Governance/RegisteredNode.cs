using Trellis.Core;

namespace Trellis.Ledger.Governance;

/// <summary>A node in the governance node registry.</summary>
/// <param name="SigningAddress">The address of its ledger signing key (its identity).</param>
/// <param name="Name">Its name.</param>
/// <param name="Org">The member organisation that runs it.</param>
/// <param name="Role">Its role from <paramref name="ActivationHeight"/> on.</param>
/// <param name="PreviousRole">Its role before <paramref name="ActivationHeight"/> (<see cref="RegistryRole.None"/> for a new node).</param>
/// <param name="ActivationHeight">The first block height at which <paramref name="Role"/> applies.</param>
/// <param name="PublicKey">Its 64-byte signing public key (x || y), or empty if not registered.</param>
/// <param name="TlsFingerprint">SHA-256 of its TLS certificate (DER), or zero if not pinned.</param>
public sealed record RegisteredNode(
    Address SigningAddress,
    string Name,
    string Org,
    RegistryRole Role,
    RegistryRole PreviousRole,
    ulong ActivationHeight,
    byte[] PublicKey,
    Hash256 TlsFingerprint)
{
    /// <summary>The node's role at block <paramref name="height"/>.</summary>
    public RegistryRole RoleAt(ulong height) => height >= ActivationHeight ? Role : PreviousRole;
}
