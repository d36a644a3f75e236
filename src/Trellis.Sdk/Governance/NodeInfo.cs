using Trellis.Core;
using Trellis.Ledger.Governance;

namespace Trellis.Sdk.Governance;

/// <summary>A node as <c>INodeRegistry.getNode</c> returns it.</summary>
/// <param name="SigningAddress">The node's ledger signing address.</param>
/// <param name="Name">Its name.</param>
/// <param name="Org">The member organisation that runs it.</param>
/// <param name="Role">Its role from <see cref="ActivationHeight"/> on.</param>
/// <param name="PreviousRole">Its role before <see cref="ActivationHeight"/>.</param>
/// <param name="ActivationHeight">The height from which <see cref="Role"/> applies.</param>
/// <param name="PublicKey">Its public key (empty when none was registered).</param>
/// <param name="TlsFingerprint">SHA-256 of its TLS certificate's DER.</param>
public sealed record NodeInfo(
    Address SigningAddress, string Name, string Org, RegistryRole Role, RegistryRole PreviousRole, ulong ActivationHeight, byte[] PublicKey, Hash256 TlsFingerprint);
