// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title Trellis contract administration: frozen contracts reject every call ("contract frozen"); approved
/// upgrades record the code hash members agreed a contract (or its proxy) may move to.
/// @notice Native system contract at 0x0000000000000000000000000000000000001004.
interface IContractAdmin {
    event ContractFrozen(uint64 indexed proposalId, address indexed target);
    event ContractUnfrozen(uint64 indexed proposalId, address indexed target);
    event UpgradeApproved(uint64 indexed proposalId, address indexed target, bytes32 codeHash);

    /// @notice True if calls into `target` revert with "contract frozen".
    function isFrozen(address target) external view returns (bool);

    /// @notice The code hash last approved for `target`, or zero.
    function approvedCodeHash(address target) external view returns (bytes32);
}
