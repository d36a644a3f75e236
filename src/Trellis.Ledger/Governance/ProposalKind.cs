namespace Trellis.Ledger.Governance;

/// <summary>What a proposal changes (the kind numbers of IGovernance).</summary>
public enum ProposalKind : byte
{
    /// <summary>Admit a member organisation (name, CA fingerprint, admin accounts; weight 1).</summary>
    AddMember = 1,

    /// <summary>Remove a member organisation; its nodes are removed with it.</summary>
    RemoveMember = 2,

    /// <summary>Change a member's voting weight.</summary>
    SetMemberWeight = 3,

    /// <summary>Change the pass threshold (numerator / denominator).</summary>
    SetThreshold = 4,

    /// <summary>Admit a node as validator or observer.</summary>
    AddNode = 5,

    /// <summary>Force a node out.</summary>
    RemoveNode = 6,

    /// <summary>Change a node's role.</summary>
    SetNodeRole = 7,

    /// <summary>Grant account rights.</summary>
    GrantRights = 8,

    /// <summary>Revoke account rights.</summary>
    RevokeRights = 9,

    /// <summary>Make the chain open or permissioned.</summary>
    SetPermissioned = 10,

    /// <summary>Freeze a contract: every call into it reverts.</summary>
    FreezeContract = 11,

    /// <summary>Unfreeze a contract.</summary>
    UnfreezeContract = 12,

    /// <summary>Record an approved code hash for a contract upgrade.</summary>
    ApproveUpgrade = 13,

    /// <summary>Set a chain configuration value.</summary>
    SetChainConfig = 14,

    /// <summary>Revoke a certificate (node TLS, admin or organisation CA) by the SHA-256 fingerprint of its DER; permanent.</summary>
    RevokeCertificate = 15,
}
