using Trellis.Core;
using Trellis.Crypto;

namespace Trellis.Ledger.Governance;

/// <summary>
/// The change a proposal makes, decoded from the propose call's arguments (stored as the proposal's payload).
/// Validated when proposed and again when executed, and applied only after validation, so a change is all or nothing.
/// </summary>
internal sealed class ProposalAction
{
    private ProposalAction(ProposalKind kind)
    {
        Kind = kind;
    }

    public ProposalKind Kind { get; }

    public string Name { get; private init; } = string.Empty;

    public string Org { get; private init; } = string.Empty;

    public Address Account { get; private init; }

    public Hash256 Hash { get; private init; }

    public IReadOnlyList<Address> Admins { get; private init; } = [];

    public RegistryRole Role { get; private init; }

    public AccountRights Rights { get; private init; }

    public ulong Value { get; private init; }

    public ulong Denominator { get; private init; }

    public bool Flag { get; private init; }

    public byte[] PublicKey { get; private init; } = [];

    public ChainSetting Setting { get; private init; }

    /// <summary>Decodes the arguments of the propose function for <paramref name="kind"/>.</summary>
    public static ProposalAction Decode(ProposalKind kind, ReadOnlySpan<byte> arguments)
    {
        var abi = new AbiReader(arguments);
        return kind switch
        {
            ProposalKind.AddMember => new(kind)
            {
                Name = abi.String(0, "name", GovernanceRules.MaxNameBytes),
                Hash = abi.Bytes32(1, "caFingerprint"),
                Admins = abi.AddressArray(2, "admins", GovernanceRules.MaxAdminsPerMember),
            },
            ProposalKind.RemoveMember => new(kind) { Name = abi.String(0, "name", GovernanceRules.MaxNameBytes) },
            ProposalKind.SetMemberWeight => new(kind) { Name = abi.String(0, "name", GovernanceRules.MaxNameBytes), Value = abi.UInt64(1, "weight") },
            ProposalKind.SetThreshold => new(kind) { Value = abi.UInt64(0, "numerator"), Denominator = abi.UInt64(1, "denominator") },
            ProposalKind.AddNode => new(kind)
            {
                Account = abi.Address(0, "signingAddress"),
                Name = abi.String(1, "name", GovernanceRules.MaxNameBytes),
                Org = abi.String(2, "org", GovernanceRules.MaxNameBytes),
                Role = (RegistryRole)abi.UInt8(3, "role"),
                PublicKey = abi.Bytes(4, "publicKey", Trellis.Crypto.PublicKey.Length),
                Hash = abi.Bytes32(5, "tlsFingerprint"),
            },
            ProposalKind.RemoveNode => new(kind) { Account = abi.Address(0, "signingAddress") },
            ProposalKind.SetNodeRole => new(kind) { Account = abi.Address(0, "signingAddress"), Role = (RegistryRole)abi.UInt8(1, "role") },
            ProposalKind.GrantRights or ProposalKind.RevokeRights => new(kind) { Account = abi.Address(0, "account"), Rights = (AccountRights)abi.UInt8(1, "rights") },
            ProposalKind.SetPermissioned => new(kind) { Flag = abi.Bool(0, "permissioned") },
            ProposalKind.FreezeContract or ProposalKind.UnfreezeContract => new(kind) { Account = abi.Address(0, "target") },
            ProposalKind.ApproveUpgrade => new(kind) { Account = abi.Address(0, "target"), Hash = abi.Bytes32(1, "codeHash") },
            ProposalKind.SetChainConfig => DecodeSetting(abi),
            ProposalKind.RevokeCertificate => new(kind)
            {
                Hash = abi.Bytes32(0, "fingerprint"),
                Name = abi.String(1, "reason", GovernanceRules.MaxRevocationReasonBytes),
            },
            _ => throw new GovernanceRevertException($"unknown proposal kind {(int)kind}"),
        };
    }

    private static ProposalAction DecodeSetting(AbiReader abi)
    {
        string key = abi.String(0, "key", GovernanceRules.MaxNameBytes);
        if (!GovernanceRules.TryParseSetting(key, out ChainSetting setting))
        {
            throw new GovernanceRevertException($"unknown chain config key \"{key}\" (known: blockGasLimit, blockIntervalMs, viewTimeoutMs, maxTransactionsPerBlock, txPoolMaxCount, txPoolMaxBytes, txPoolMaxTxBytes, proposalLifetimeBlocks)");
        }

        return new ProposalAction(ProposalKind.SetChainConfig) { Name = key, Setting = setting, Value = abi.UInt64(1, "value") };
    }

    /// <summary>Null if the change can be applied to the current state, else why not.</summary>
    public string? Validate(GovernanceStore store, ICryptoSuite suite)
    {
        switch (Kind)
        {
            case ProposalKind.AddMember:
                if (Name.Length == 0 || Name.Trim().Length != Name.Length)
                {
                    return $"member name \"{Name}\" must be 1 to {GovernanceRules.MaxNameBytes} bytes without leading or trailing spaces";
                }

                if (store.FindMemberByName(Name) != 0)
                {
                    return $"member \"{Name}\" already exists";
                }

                if (store.MemberCount >= GovernanceRules.MaxMembers)
                {
                    return $"the committee already has the maximum of {GovernanceRules.MaxMembers} members";
                }

                if (Admins.Count == 0)
                {
                    return $"member \"{Name}\" needs at least one admin account";
                }

                for (int i = 0; i < Admins.Count; i++)
                {
                    if (Admins[i] == Address.Zero)
                    {
                        return $"admin {i} of member \"{Name}\" is the zero address";
                    }

                    for (int j = 0; j < i; j++)
                    {
                        if (Admins[j] == Admins[i])
                        {
                            return $"admin {Admins[i]} is listed twice";
                        }
                    }

                    ulong other = store.FindMemberByAdmin(Admins[i]);
                    if (other != 0)
                    {
                        return $"admin {Admins[i]} already acts for member \"{store.MemberName(other)}\"";
                    }
                }

                return null;
            case ProposalKind.RemoveMember:
                {
                    ulong id = store.FindMemberByName(Name);
                    if (id == 0)
                    {
                        return $"no member named \"{Name}\"";
                    }

                    if (store.MemberCount == 1)
                    {
                        return $"cannot remove \"{Name}\", the last member";
                    }

                    return store.CountFutureValidators(Address.Zero, RegistryRole.None, removedOrg: Name) == 0
                        ? $"removing \"{Name}\" would remove every validator"
                        : null;
                }

            case ProposalKind.SetMemberWeight:
                if (store.FindMemberByName(Name) == 0)
                {
                    return $"no member named \"{Name}\"";
                }

                return Value is 0 or > GovernanceRules.MaxWeight ? $"weight {Value} is not between 1 and {GovernanceRules.MaxWeight}" : null;
            case ProposalKind.SetThreshold:
                if (Denominator is 0 or > GovernanceRules.MaxThresholdDenominator || Value == 0 || Value >= Denominator)
                {
                    return $"threshold {Value}/{Denominator} must satisfy 0 < numerator < denominator <= {GovernanceRules.MaxThresholdDenominator}";
                }

                // Below one half, two conflicting proposals could both pass.
                return (UInt128)Value * 2 < Denominator ? $"threshold {Value}/{Denominator} is below 1/2" : null;
            case ProposalKind.AddNode:
                return ValidateNewNode(store, suite);
            case ProposalKind.RemoveNode:
                if (!store.IsRegistered(Account) || store.CurrentRole(Account) == RegistryRole.Removed)
                {
                    return $"node {Account} is not registered or already removed";
                }

                return store.CountFutureValidators(Account, RegistryRole.Removed) == 0 ? $"removing node {Account} would leave no validator" : null;
            case ProposalKind.SetNodeRole:
                if (Role is not (RegistryRole.Validator or RegistryRole.Observer))
                {
                    return $"role {(int)Role} is not 1 (validator) or 2 (observer); remove a node with proposeRemoveNode";
                }

                if (!store.IsRegistered(Account))
                {
                    return $"node {Account} is not registered";
                }

                if (store.CurrentRole(Account) == Role)
                {
                    return $"node {Account} already has role {Role}";
                }

                if (store.CurrentRole(Account) == RegistryRole.Removed && store.FindMemberByName(store.NodeOrg(Account)) == 0)
                {
                    return $"node {Account} belongs to \"{store.NodeOrg(Account)}\", which is no longer a member";
                }

                return store.CountFutureValidators(Account, Role) == 0 ? $"changing node {Account} to {Role} would leave no validator" : null;
            case ProposalKind.GrantRights:
            case ProposalKind.RevokeRights:
                if (Rights == AccountRights.None || (Rights & ~AccountRights.All) != 0)
                {
                    return $"rights {(int)Rights} must be a non-empty combination of 1 (transact), 2 (deploy) and 4 (admin)";
                }

                return Account == Address.Zero ? "account is the zero address" : null;
            case ProposalKind.SetPermissioned:
                return store.Permissioned == Flag ? $"the chain is already {(Flag ? "permissioned" : "open")}" : null;
            case ProposalKind.FreezeContract:
                if (GovernanceAddresses.TryGetIndex(Account, out _))
                {
                    return $"{Account} is a governance contract and cannot be frozen";
                }

                return store.IsFrozen(Account) ? $"contract {Account} is already frozen" : null;
            case ProposalKind.UnfreezeContract:
                return store.IsFrozen(Account) ? null : $"contract {Account} is not frozen";
            case ProposalKind.ApproveUpgrade:
                return Hash == Hash256.Zero ? "code hash is zero" : null;
            case ProposalKind.SetChainConfig:
                (ulong min, ulong max) = GovernanceRules.RangeOf(Setting);
                return Value < min || Value > max ? $"{Name} {Value} is not between {min} and {max}" : null;
            case ProposalKind.RevokeCertificate:
                return ValidateRevocation(store);
            default:
                return $"unknown proposal kind {(int)Kind}";
        }
    }

    private string? ValidateRevocation(GovernanceStore store)
    {
        if (Hash == Hash256.Zero)
        {
            return "certificate fingerprint is zero; give the SHA-256 of the certificate's DER";
        }

        if (store.FindRevocation(Hash) is { } existing)
        {
            return existing.Fingerprint == Hash
                ? $"certificate {Hash} is already revoked (proposal {existing.ProposalId}, effective at height {existing.EffectiveHeight})"
                : $"certificate {Hash} shares its first 20 bytes with revoked certificate {existing.Fingerprint}; the ledger cannot record both";
        }

        return store.RevocationCount >= GovernanceRules.MaxRevokedCertificates
            ? $"the ledger already records the maximum of {GovernanceRules.MaxRevokedCertificates} revoked certificates"
            : null;
    }

    private string? ValidateNewNode(GovernanceStore store, ICryptoSuite suite)
    {
        if (Account == Address.Zero)
        {
            return "node signing address is the zero address";
        }

        if (Name.Length == 0)
        {
            return "node name is empty";
        }

        if (Role is not (RegistryRole.Validator or RegistryRole.Observer))
        {
            return $"role {(int)Role} is not 1 (validator) or 2 (observer)";
        }

        if (store.FindMemberByName(Org) == 0)
        {
            return $"organisation \"{Org}\" is not a member";
        }

        if (store.IsRegistered(Account) && store.CurrentRole(Account) != RegistryRole.Removed)
        {
            return $"node {Account} is already registered";
        }

        if (!store.IsRegistered(Account) && store.NodeCount >= GovernanceRules.MaxNodes)
        {
            return $"the registry already holds the maximum of {GovernanceRules.MaxNodes} nodes";
        }

        if (PublicKey.Length != 0)
        {
            Address derived;
            try
            {
                derived = suite.ToAddress(suite.ImportPublicKey(PublicKey));
            }
            catch (ArgumentException)
            {
                return $"publicKey is not a 64-byte public key (x || y) on the {suite.Name} suite's curve";
            }

            if (derived != Account)
            {
                return $"publicKey belongs to {derived}, not to signingAddress {Account}";
            }
        }

        return null;
    }

    /// <summary>Applies the validated change made by proposal <paramref name="proposalId"/> executed in block <paramref name="height"/>.</summary>
    public void Apply(GovernanceStore store, ulong proposalId, ulong height)
    {
        Hash256 id = GovernanceEvents.Word(proposalId);
        ulong activation = height + GovernanceRules.ActivationDelay;
        switch (Kind)
        {
            case ProposalKind.AddMember:
                store.AddMember(Name, Hash, Admins, 1);
                store.Emit(GovernanceAddresses.Committee, [GovernanceEvents.MemberAdded, id], new AbiWriter().String(Name).Bytes32(Hash).UInt(1).AddressArray(Admins).ToArray());
                break;
            case ProposalKind.RemoveMember:
                RemoveMemberNodes(store, id, activation);
                store.RemoveMember(store.FindMemberByName(Name));
                store.Emit(GovernanceAddresses.Committee, [GovernanceEvents.MemberRemoved, id], new AbiWriter().String(Name).ToArray());
                break;
            case ProposalKind.SetMemberWeight:
                store.SetMemberWeight(store.FindMemberByName(Name), Value);
                store.Emit(GovernanceAddresses.Committee, [GovernanceEvents.MemberWeightChanged, id], new AbiWriter().String(Name).UInt(Value).ToArray());
                break;
            case ProposalKind.SetThreshold:
                store.SetThreshold(Value, Denominator);
                store.Emit(GovernanceAddresses.Committee, [GovernanceEvents.ThresholdChanged, id], new AbiWriter().UInt(Value).UInt(Denominator).ToArray());
                break;
            case ProposalKind.AddNode:
                store.AddNode(Account, Name, Org, Role, PublicKey, Hash, activation);
                store.Emit(
                    GovernanceAddresses.NodeRegistry,
                    [GovernanceEvents.NodeAdded, id, GovernanceEvents.Word(Account)],
                    new AbiWriter().String(Name).String(Org).UInt((ulong)Role).Bytes32(Hash).UInt(activation).ToArray());
                break;
            case ProposalKind.RemoveNode:
                store.SetNodeRole(Account, RegistryRole.Removed, activation);
                store.Emit(GovernanceAddresses.NodeRegistry, [GovernanceEvents.NodeRemoved, id, GovernanceEvents.Word(Account)], new AbiWriter().UInt(activation).ToArray());
                break;
            case ProposalKind.SetNodeRole:
                RegistryRole previous = store.SetNodeRole(Account, Role, activation);
                store.Emit(
                    GovernanceAddresses.NodeRegistry,
                    [GovernanceEvents.NodeRoleChanged, id, GovernanceEvents.Word(Account)],
                    new AbiWriter().UInt((ulong)previous).UInt((ulong)Role).UInt(activation).ToArray());
                break;
            case ProposalKind.GrantRights:
            case ProposalKind.RevokeRights:
                {
                    bool grant = Kind == ProposalKind.GrantRights;
                    AccountRights rights = grant ? store.RightsOf(Account) | Rights : store.RightsOf(Account) & ~Rights;
                    store.SetRights(Account, rights);
                    store.Emit(
                        GovernanceAddresses.Permissions,
                        [grant ? GovernanceEvents.RightsGranted : GovernanceEvents.RightsRevoked, id, GovernanceEvents.Word(Account)],
                        new AbiWriter().UInt((ulong)Rights).UInt((ulong)rights).ToArray());
                    break;
                }

            case ProposalKind.SetPermissioned:
                store.SetPermissioned(Flag);
                store.Emit(GovernanceAddresses.Permissions, [GovernanceEvents.PermissionModeChanged, id], new AbiWriter().Bool(Flag).ToArray());
                break;
            case ProposalKind.FreezeContract:
            case ProposalKind.UnfreezeContract:
                bool freeze = Kind == ProposalKind.FreezeContract;
                store.SetFrozen(Account, freeze);
                store.Emit(GovernanceAddresses.ContractAdmin, [freeze ? GovernanceEvents.ContractFrozen : GovernanceEvents.ContractUnfrozen, id, GovernanceEvents.Word(Account)], []);
                break;
            case ProposalKind.ApproveUpgrade:
                store.SetApprovedCodeHash(Account, Hash);
                store.Emit(GovernanceAddresses.ContractAdmin, [GovernanceEvents.UpgradeApproved, id, GovernanceEvents.Word(Account)], new AbiWriter().Bytes32(Hash).ToArray());
                break;
            case ProposalKind.SetChainConfig:
                store.SetSetting(Setting, Value);
                store.Emit(GovernanceAddresses.ChainConfig, [GovernanceEvents.ChainConfigChanged, id], new AbiWriter().String(Name).UInt(Value).ToArray());
                break;
            case ProposalKind.RevokeCertificate:
                store.AddRevocation(Hash, Name, proposalId, activation);
                store.Emit(
                    GovernanceAddresses.NodeRegistry,
                    [GovernanceEvents.CertificateRevoked, id, Hash],
                    new AbiWriter().String(Name).UInt(activation).ToArray());
                break;
            default:
                throw new GovernanceRevertException($"unknown proposal kind {(int)Kind}");
        }
    }

    // A member's nodes leave with it: network admission requires the organisation to be a member.
    private void RemoveMemberNodes(GovernanceStore store, Hash256 id, ulong activation)
    {
        int count = store.NodeCount;
        for (int i = 0; i < count; i++)
        {
            Address node = store.NodeAt(i);
            if (store.CurrentRole(node) != RegistryRole.Removed && store.NodeOrg(node) == Name)
            {
                store.SetNodeRole(node, RegistryRole.Removed, activation);
                store.Emit(GovernanceAddresses.NodeRegistry, [GovernanceEvents.NodeRemoved, id, GovernanceEvents.Word(node)], new AbiWriter().UInt(activation).ToArray());
            }
        }
    }
}
