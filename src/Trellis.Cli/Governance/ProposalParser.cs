using System.Globalization;
using Trellis.Core;
using Trellis.Ledger.Governance;
using Trellis.Sdk.Governance;

namespace Trellis.Cli.Governance;

/// <summary>
/// Turns <c>trellis gov propose KIND VALUE...</c> into a typed <see cref="GovernanceClient"/> call, checking the
/// number and form of the values with an error that names the kind, the value and the expected form.
/// </summary>
internal static class ProposalParser
{
    /// <summary>Each kind with the values it takes, as the usage text shows them.</summary>
    public static readonly IReadOnlyList<(string Kind, string Usage)> Kinds =
    [
        ("add-member", "NAME CA_FINGERPRINT ADMIN_ADDRESS..."),
        ("remove-member", "NAME"),
        ("set-member-weight", "NAME WEIGHT"),
        ("set-threshold", "NUMERATOR DENOMINATOR"),
        ("add-node", "SIGNING_ADDRESS NAME ORG validator|observer TLS_FINGERPRINT [PUBLIC_KEY]"),
        ("remove-node", "SIGNING_ADDRESS"),
        ("set-node-role", "SIGNING_ADDRESS validator|observer"),
        ("grant-rights", "ACCOUNT transact,deploy,admin"),
        ("revoke-rights", "ACCOUNT transact,deploy,admin"),
        ("set-permissioned", "true|false"),
        ("freeze-contract", "ADDRESS"),
        ("unfreeze-contract", "ADDRESS"),
        ("approve-upgrade", "ADDRESS CODE_HASH"),
        ("set-chain-config", "KEY VALUE"),
        ("revoke-certificate", "FINGERPRINT [REASON]"),
    ];

    /// <summary>The call for <paramref name="kind"/> with <paramref name="values"/>.</summary>
    /// <exception cref="CliException">An unknown kind, a wrong number of values, or a malformed value.</exception>
    public static Func<GovernanceClient, CancellationToken, Task<ProposalOutcome>> Parse(string kind, IReadOnlyList<string> values)
    {
        ArgumentNullException.ThrowIfNull(kind);
        ArgumentNullException.ThrowIfNull(values);
        string usage = Usage(kind);
        void Count(int min, int max)
        {
            if (values.Count < min || values.Count > max)
            {
                throw new CliException($"gov propose {kind} takes {usage}, got {values.Count.ToString(CultureInfo.InvariantCulture)} value{(values.Count == 1 ? string.Empty : "s")}");
            }
        }

        switch (kind)
        {
            case "add-member":
                {
                    Count(3, 2 + GovernanceRules.MaxAdminsPerMember);
                    string name = values[0];
                    Hash256 ca = Hash(values[1], "CA_FINGERPRINT");
                    var admins = new List<Address>();
                    for (int i = 2; i < values.Count; i++)
                    {
                        admins.Add(ParseAddress(values[i], "ADMIN_ADDRESS"));
                    }

                    return (g, ct) => g.ProposeAddMemberAsync(name, ca, admins, ct);
                }

            case "remove-member":
                {
                    Count(1, 1);
                    string name = values[0];
                    return (g, ct) => g.ProposeRemoveMemberAsync(name, ct);
                }

            case "set-member-weight":
                {
                    Count(2, 2);
                    string name = values[0];
                    ulong weight = Number(values[1], "WEIGHT");
                    return (g, ct) => g.ProposeSetMemberWeightAsync(name, weight, ct);
                }

            case "set-threshold":
                {
                    Count(2, 2);
                    ulong numerator = Number(values[0], "NUMERATOR");
                    ulong denominator = Number(values[1], "DENOMINATOR");
                    return (g, ct) => g.ProposeSetThresholdAsync(numerator, denominator, ct);
                }

            case "add-node":
                {
                    Count(5, 6);
                    Address address = ParseAddress(values[0], "SIGNING_ADDRESS");
                    string name = values[1];
                    string org = values[2];
                    RegistryRole role = Role(values[3]);
                    Hash256 tls = Hash(values[4], "TLS_FINGERPRINT");
                    byte[] publicKey = values.Count == 6 ? Bytes(values[5], "PUBLIC_KEY") : [];
                    return (g, ct) => g.ProposeAddNodeAsync(address, name, org, role, publicKey, tls, ct);
                }

            case "remove-node":
                {
                    Count(1, 1);
                    Address address = ParseAddress(values[0], "SIGNING_ADDRESS");
                    return (g, ct) => g.ProposeRemoveNodeAsync(address, ct);
                }

            case "set-node-role":
                {
                    Count(2, 2);
                    Address address = ParseAddress(values[0], "SIGNING_ADDRESS");
                    RegistryRole role = Role(values[1]);
                    return (g, ct) => g.ProposeSetNodeRoleAsync(address, role, ct);
                }

            case "grant-rights":
            case "revoke-rights":
                {
                    Count(2, 2);
                    Address account = ParseAddress(values[0], "ACCOUNT");
                    AccountRights rights = Rights(values[1]);
                    return kind == "grant-rights"
                        ? (g, ct) => g.ProposeGrantRightsAsync(account, rights, ct)
                        : (g, ct) => g.ProposeRevokeRightsAsync(account, rights, ct);
                }

            case "set-permissioned":
                {
                    Count(1, 1);
                    bool permissioned = values[0] switch
                    {
                        "true" => true,
                        "false" => false,
                        _ => throw new CliException($"gov propose set-permissioned takes true or false, got \"{values[0]}\""),
                    };
                    return (g, ct) => g.ProposeSetPermissionedAsync(permissioned, ct);
                }

            case "freeze-contract":
            case "unfreeze-contract":
                {
                    Count(1, 1);
                    Address target = ParseAddress(values[0], "ADDRESS");
                    return kind == "freeze-contract"
                        ? (g, ct) => g.ProposeFreezeContractAsync(target, ct)
                        : (g, ct) => g.ProposeUnfreezeContractAsync(target, ct);
                }

            case "approve-upgrade":
                {
                    Count(2, 2);
                    Address target = ParseAddress(values[0], "ADDRESS");
                    Hash256 codeHash = Hash(values[1], "CODE_HASH");
                    return (g, ct) => g.ProposeApproveUpgradeAsync(target, codeHash, ct);
                }

            case "set-chain-config":
                {
                    Count(2, 2);
                    string key = values[0];
                    ulong value = Number(values[1], "VALUE");
                    return (g, ct) => g.ProposeSetChainConfigAsync(key, value, ct);
                }

            case "revoke-certificate":
                {
                    Count(1, 2);
                    Hash256 fingerprint = CertificateFingerprint(values[0]);
                    string reason = values.Count == 2 ? RevocationReason(values[1]) : string.Empty;
                    return (g, ct) => g.ProposeRevokeCertificateAsync(fingerprint, reason, ct);
                }

            default:
                throw new CliException($"unknown proposal kind \"{kind}\"; kinds: {string.Join(", ", Kinds.Select(k => k.Kind))}");
        }
    }

    private static string Usage(string kind)
    {
        foreach ((string k, string usage) in Kinds)
        {
            if (k == kind)
            {
                return usage;
            }
        }

        return string.Empty;
    }

    private static Address ParseAddress(string text, string what) =>
        Address.TryParse(text, out Address address) ? address : throw new CliException($"{what} \"{text}\" is not a 0x-prefixed 20-byte hex address");

    private static Hash256 Hash(string text, string what) =>
        Hex.TryDecode(text, out byte[] bytes, out _) && bytes.Length == Hash256.Length && text.StartsWith("0x", StringComparison.Ordinal)
            ? new Hash256(bytes)
            : throw new CliException($"{what} \"{text}\" is not a 0x-prefixed 32-byte hex value");

    /// <summary>
    /// A certificate's SHA-256 fingerprint: 0x-prefixed hex, or the colon-separated form OpenSSL prints
    /// (<c>openssl x509 -noout -fingerprint -sha256</c>, with or without its "sha256 Fingerprint=" label).
    /// </summary>
    public static Hash256 CertificateFingerprint(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string value = text.Trim();
        int label = value.IndexOf('=', StringComparison.Ordinal);
        if (label >= 0 && value[..label].Contains("fingerprint", StringComparison.OrdinalIgnoreCase))
        {
            value = value[(label + 1)..];
        }

        string hex = value.Contains(':', StringComparison.Ordinal) && !value.StartsWith("0x", StringComparison.Ordinal) ? "0x" + value.Replace(":", string.Empty, StringComparison.Ordinal) : value;
        if (!hex.StartsWith("0x", StringComparison.Ordinal) || !Hex.TryDecode(hex, out byte[] bytes, out _) || bytes.Length != Hash256.Length)
        {
            throw new CliException($"FINGERPRINT \"{text}\" is not a SHA-256 certificate fingerprint (0x and 64 hex digits, or 32 colon-separated hex bytes as openssl prints it)");
        }

        var fingerprint = new Hash256(bytes);
        return fingerprint == Hash256.Zero ? throw new CliException($"FINGERPRINT \"{text}\" is zero, which is no certificate's fingerprint") : fingerprint;
    }

    /// <summary>A revocation reason of at most <see cref="GovernanceRules.MaxRevocationReasonBytes"/> UTF-8 bytes.</summary>
    public static string RevocationReason(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int length = System.Text.Encoding.UTF8.GetByteCount(text);
        return length > GovernanceRules.MaxRevocationReasonBytes
            ? throw new CliException($"REASON is {length.ToString(CultureInfo.InvariantCulture)} UTF-8 bytes; the limit is {GovernanceRules.MaxRevocationReasonBytes.ToString(CultureInfo.InvariantCulture)}")
            : text;
    }

    private static byte[] Bytes(string text, string what) =>
        Hex.TryDecode(text, out byte[] bytes, out _) && text.StartsWith("0x", StringComparison.Ordinal)
            ? bytes
            : throw new CliException($"{what} \"{text}\" is not 0x-prefixed hex");

    private static ulong Number(string text, string what) =>
        ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong value)
            ? value
            : throw new CliException($"{what} \"{text}\" is not a whole number from 0 to {ulong.MaxValue.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>validator or observer.</summary>
    public static RegistryRole Role(string text) => text switch
    {
        "validator" => RegistryRole.Validator,
        "observer" => RegistryRole.Observer,
        _ => throw new CliException($"node role \"{text}\" is not validator or observer"),
    };

    private static AccountRights Rights(string text)
    {
        AccountRights rights = AccountRights.None;
        foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            rights |= part switch
            {
                "transact" => AccountRights.Transact,
                "deploy" => AccountRights.Deploy,
                "admin" => AccountRights.Admin,
                _ => throw new CliException($"right \"{part}\" is not transact, deploy or admin"),
            };
        }

        return rights == AccountRights.None ? throw new CliException($"rights \"{text}\" name none of transact, deploy, admin") : rights;
    }
}
