// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title Trellis node registry: admitted nodes with their role, signing key and TLS certificate fingerprint, and
/// the certificates revoked by governance.
/// @notice Native system contract at 0x0000000000000000000000000000000000001002. Roles: 1 validator, 2 observer,
/// 3 removed. A role change executed in block h takes effect at height h + 2 (`activationHeight`); before that
/// the node keeps `previousRole`. A certificate revocation (IGovernance.proposeRevokeCertificate) executed in block h
/// is effective from height h + 2 (`effectiveHeight`) and is permanent.
interface INodeRegistry {
    event NodeAdded(
        uint64 indexed proposalId,
        address indexed signingAddress,
        string name,
        string org,
        uint8 role,
        bytes32 tlsFingerprint,
        uint64 activationHeight
    );
    event NodeRoleChanged(
        uint64 indexed proposalId, address indexed signingAddress, uint8 previousRole, uint8 role, uint64 activationHeight
    );
    event NodeRemoved(uint64 indexed proposalId, address indexed signingAddress, uint64 activationHeight);
    event CertificateRevoked(uint64 indexed proposalId, bytes32 indexed fingerprint, string reason, uint64 effectiveHeight);

    /// @notice Number of registered nodes, removed ones included.
    function nodeCount() external view returns (uint64);

    /// @notice The signing address of the node at `index` (registration order; validators in this order rotate as leaders).
    function nodeAt(uint64 index) external view returns (address);

    /// @notice A registered node; reverts if `signingAddress` is not registered.
    function getNode(address signingAddress)
        external
        view
        returns (
            string memory name,
            string memory org,
            uint8 role,
            uint8 previousRole,
            uint64 activationHeight,
            bytes memory publicKey,
            bytes32 tlsFingerprint
        );

    /// @notice The node's role at block `height` (0 if not registered).
    function roleAt(address signingAddress, uint64 height) external view returns (uint8);

    /// @notice True if the certificate whose DER has SHA-256 `fingerprint` is revoked at the current block.
    function isRevoked(bytes32 fingerprint) external view returns (bool);

    /// @notice Number of revoked certificates, pending ones included.
    function revokedCount() external view returns (uint64);

    /// @notice The revocation at `index` (order of revocation); reverts if out of range.
    function revokedAt(uint64 index)
        external
        view
        returns (bytes32 fingerprint, string memory reason, uint64 proposalId, uint64 effectiveHeight);
}
