// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title Trellis account permissions: an open chain lets every account transact and deploy; a permissioned one
/// only accounts granted the right (member admin accounts may always transact).
/// @notice Native system contract at 0x0000000000000000000000000000000000001003. Rights are bit flags:
/// 1 transact, 2 deploy, 4 admin (admin implies transact and deploy).
interface IPermissions {
    event RightsGranted(uint64 indexed proposalId, address indexed account, uint8 rights, uint8 newRights);
    event RightsRevoked(uint64 indexed proposalId, address indexed account, uint8 rights, uint8 newRights);
    event PermissionModeChanged(uint64 indexed proposalId, bool permissioned);

    /// @notice True if the chain is permissioned.
    function permissioned() external view returns (bool);

    /// @notice The rights granted to `account` (bit flags).
    function rightsOf(address account) external view returns (uint8);

    /// @notice True if `account` may send transactions.
    function canTransact(address account) external view returns (bool);

    /// @notice True if `account` may create contracts with a transaction.
    function canDeploy(address account) external view returns (bool);
}
