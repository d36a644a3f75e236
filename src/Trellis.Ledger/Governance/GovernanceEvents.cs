using Trellis.Core;

namespace Trellis.Ledger.Governance;

/// <summary>The Solidity events of the governance contracts (topic 0 = Keccak-256 of the signature, as solc emits).</summary>
internal static class GovernanceEvents
{
    public static readonly Hash256 ProposalCreated = Topic("ProposalCreated(uint64,uint8,address,string,uint64)");
    public static readonly Hash256 VoteCast = Topic("VoteCast(uint64,address,string,bool,uint64,uint64)");
    public static readonly Hash256 ProposalExecuted = Topic("ProposalExecuted(uint64,uint8)");
    public static readonly Hash256 ProposalRejected = Topic("ProposalRejected(uint64)");
    public static readonly Hash256 ProposalFailed = Topic("ProposalFailed(uint64,string)");
    public static readonly Hash256 MemberAdded = Topic("MemberAdded(uint64,string,bytes32,uint64,address[])");
    public static readonly Hash256 MemberRemoved = Topic("MemberRemoved(uint64,string)");
    public static readonly Hash256 MemberWeightChanged = Topic("MemberWeightChanged(uint64,string,uint64)");
    public static readonly Hash256 ThresholdChanged = Topic("ThresholdChanged(uint64,uint64,uint64)");
    public static readonly Hash256 NodeAdded = Topic("NodeAdded(uint64,address,string,string,uint8,bytes32,uint64)");
    public static readonly Hash256 NodeRoleChanged = Topic("NodeRoleChanged(uint64,address,uint8,uint8,uint64)");
    public static readonly Hash256 NodeRemoved = Topic("NodeRemoved(uint64,address,uint64)");
    public static readonly Hash256 RightsGranted = Topic("RightsGranted(uint64,address,uint8,uint8)");
    public static readonly Hash256 RightsRevoked = Topic("RightsRevoked(uint64,address,uint8,uint8)");
    public static readonly Hash256 PermissionModeChanged = Topic("PermissionModeChanged(uint64,bool)");
    public static readonly Hash256 ContractFrozen = Topic("ContractFrozen(uint64,address)");
    public static readonly Hash256 ContractUnfrozen = Topic("ContractUnfrozen(uint64,address)");
    public static readonly Hash256 UpgradeApproved = Topic("UpgradeApproved(uint64,address,bytes32)");
    public static readonly Hash256 ChainConfigChanged = Topic("ChainConfigChanged(uint64,string,uint64)");
    public static readonly Hash256 CertificateRevoked = Topic("CertificateRevoked(uint64,bytes32,string,uint64)");

    /// <summary>An indexed uint64 topic.</summary>
    public static Hash256 Word(ulong value)
    {
        Span<byte> bytes = stackalloc byte[32];
        new UInt256(value).WriteBigEndian(bytes);
        return new Hash256(bytes);
    }

    /// <summary>An indexed address topic.</summary>
    public static Hash256 Word(in Address address)
    {
        Span<byte> bytes = stackalloc byte[32];
        bytes.Clear();
        address.Bytes.CopyTo(bytes[12..]);
        return new Hash256(bytes);
    }

    private static Hash256 Topic(string signature) => Keccak256.Hash(System.Text.Encoding.ASCII.GetBytes(signature));
}
