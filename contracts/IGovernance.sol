// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title Trellis governance proposals: every change to the committee, node registry, permissions, contract
/// administration and chain configuration is proposed here by a member's admin account and voted on by members.
/// @notice Native system contract at 0x0000000000000000000000000000000000001001.
/// Proposing counts as the proposer's yes vote. A proposal executes automatically in the vote that takes its yes
/// weight over the threshold; `execute` runs one that passes without a new vote (after a weight or threshold change).
/// Kinds: 1 AddMember, 2 RemoveMember, 3 SetMemberWeight, 4 SetThreshold, 5 AddNode, 6 RemoveNode, 7 SetNodeRole,
/// 8 GrantRights, 9 RevokeRights, 10 SetPermissioned, 11 FreezeContract, 12 UnfreezeContract, 13 ApproveUpgrade,
/// 14 SetChainConfig, 15 RevokeCertificate. Status: 1 Open, 2 Executed, 3 Rejected, 4 Failed, 5 Expired.
/// Node roles: 1 validator, 2 observer, 3 removed. Rights (bit flags): 1 transact, 2 deploy, 4 admin.
interface IGovernance {
    event ProposalCreated(uint64 indexed id, uint8 kind, address indexed proposer, string member, uint64 expiresAt);
    event VoteCast(uint64 indexed id, address indexed voter, string member, bool support, uint64 yesWeight, uint64 noWeight);
    event ProposalExecuted(uint64 indexed id, uint8 kind);
    event ProposalRejected(uint64 indexed id);
    event ProposalFailed(uint64 indexed id, string reason);

    function proposeAddMember(string calldata name, bytes32 caFingerprint, address[] calldata admins) external returns (uint64 id);
    function proposeRemoveMember(string calldata name) external returns (uint64 id);
    function proposeSetMemberWeight(string calldata name, uint64 weight) external returns (uint64 id);
    function proposeSetThreshold(uint64 numerator, uint64 denominator) external returns (uint64 id);
    function proposeAddNode(
        address signingAddress,
        string calldata name,
        string calldata org,
        uint8 role,
        bytes calldata publicKey,
        bytes32 tlsFingerprint
    ) external returns (uint64 id);
    function proposeRemoveNode(address signingAddress) external returns (uint64 id);
    function proposeSetNodeRole(address signingAddress, uint8 role) external returns (uint64 id);
    function proposeGrantRights(address account, uint8 rights) external returns (uint64 id);
    function proposeRevokeRights(address account, uint8 rights) external returns (uint64 id);
    function proposeSetPermissioned(bool permissioned) external returns (uint64 id);
    function proposeFreezeContract(address target) external returns (uint64 id);
    function proposeUnfreezeContract(address target) external returns (uint64 id);
    function proposeApproveUpgrade(address target, bytes32 codeHash) external returns (uint64 id);
    function proposeSetChainConfig(string calldata key, uint64 value) external returns (uint64 id);
    /// @notice Revokes the certificate whose DER has SHA-256 `fingerprint` (node TLS, admin or organisation CA);
    /// `reason` is at most 256 bytes. Permanent; effective from the executing block's height + 2 (INodeRegistry).
    function proposeRevokeCertificate(bytes32 fingerprint, string calldata reason) external returns (uint64 id);

    /// @notice Votes for (`support` true) or against proposal `id` on behalf of the caller's member organisation.
    function vote(uint64 id, bool support) external;

    /// @notice Executes proposal `id` if it is open, not expired and passes the threshold now.
    function execute(uint64 id) external;

    /// @notice Number of proposals created; ids run from 1 to proposalCount().
    function proposalCount() external view returns (uint64);

    /// @notice A proposal; `payload` is the ABI encoding of the propose function's arguments.
    function getProposal(uint64 id)
        external
        view
        returns (
            uint8 kind,
            address proposer,
            uint8 status,
            uint64 createdAt,
            uint64 expiresAt,
            uint64 yesWeight,
            uint64 noWeight,
            bytes memory payload
        );

    /// @notice How `member` voted on proposal `id`: 0 not voted, 1 yes, 2 no.
    function voteOf(uint64 id, string calldata member) external view returns (uint8);
}
