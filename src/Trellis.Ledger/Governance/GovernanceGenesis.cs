using System.Security.Cryptography;
using Trellis.Core;
using Trellis.Ledger.Genesis;
using Trellis.State;

namespace Trellis.Ledger.Governance;

/// <summary>Seeds the governance contracts' state at genesis from the chain configuration.</summary>
public static class GovernanceGenesis
{
    /// <summary>
    /// The code the governance accounts hold: a single INVALID (0xfe). It makes EXTCODESIZE non-zero (so Solidity's
    /// call checks pass and the accounts are never "empty" under EIP-161) and is never run: the EVM runs the native
    /// contract instead.
    /// </summary>
    public static ReadOnlySpan<byte> MarkerCode => [0xfe];

    /// <summary>
    /// Writes the governance accounts into <paramref name="state"/>: every member with weight 1, its admins and CA
    /// fingerprint; the threshold 2/3; every node with its role (active from height 0), key and TLS fingerprint;
    /// the permission mode and genesis account rights.
    /// </summary>
    public static void Seed(IWorldState state, ChainConfig config)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(config);
        foreach (Address address in GovernanceAddresses.All)
        {
            state.SetNonce(address, 1);
            state.SetCode(address, MarkerCode.ToArray());
        }

        var store = GovernanceStore.Unmetered(state);
        store.SetThreshold(GovernanceRules.DefaultThresholdNumerator, GovernanceRules.DefaultThresholdDenominator);
        foreach (MemberConfig member in config.Members)
        {
            store.AddMember(member.Name, CaFingerprint(member.CaCertificate), member.Admins, 1);
        }

        foreach (NodeConfig node in config.Nodes)
        {
            RegistryRole role = node.Role == NodeRole.Validator ? RegistryRole.Validator : RegistryRole.Observer;
            Hash256 tls = node.TlsCertificateFingerprint is ReadOnlyMemory<byte> fingerprint ? new Hash256(fingerprint.Span) : Hash256.Zero;
            byte[] publicKey = node.PublicKey is null ? [] : node.PublicKey.Bytes.ToArray();
            store.AddNode(node.Address, node.Name, node.Org, role, publicKey, tls, 0);
        }

        if (config.Permissions.Permissioned)
        {
            store.SetPermissioned(true);
        }

        foreach (KeyValuePair<Address, AccountRights> entry in config.Permissions.Accounts.OrderBy(e => e.Key))
        {
            store.SetRights(entry.Key, entry.Value);
        }
    }

    /// <summary>SHA-256 of the DER of a PEM certificate; zero when there is none.</summary>
    public static Hash256 CaFingerprint(string? pemCertificate)
    {
        if (pemCertificate is null || !PemEncoding.TryFind(pemCertificate, out PemFields fields))
        {
            return Hash256.Zero;
        }

        byte[] der = Convert.FromBase64String(pemCertificate[fields.Base64Data]);
        return new Hash256(SHA256.HashData(der));
    }
}
