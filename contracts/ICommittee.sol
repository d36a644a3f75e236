// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title Trellis committee: the member organisations, their weights and admin accounts, and the pass threshold.
/// @notice Native system contract at 0x0000000000000000000000000000000000001000. Changed only by proposals
/// (IGovernance at 0x...1001); the events below are emitted from this address when a proposal executes.
interface ICommittee {
    event MemberAdded(uint64 indexed proposalId, string name, bytes32 caFingerprint, uint64 weight, address[] admins);
    event MemberRemoved(uint64 indexed proposalId, string name);
    event MemberWeightChanged(uint64 indexed proposalId, string name, uint64 weight);
    event ThresholdChanged(uint64 indexed proposalId, uint64 numerator, uint64 denominator);

    /// @notice Number of member organisations.
    function memberCount() external view returns (uint64);

    /// @notice The member at `index` (0-based, in admission order).
    function memberAt(uint64 index)
        external
        view
        returns (string memory name, bytes32 caFingerprint, uint64 weight, address[] memory admins);

    /// @notice The name of the member whose admin account is `admin`, or "" if none.
    function memberOf(address admin) external view returns (string memory);

    /// @notice True if `name` is a member.
    function isMember(string calldata name) external view returns (bool);

    /// @notice Sum of all members' weights.
    function totalWeight() external view returns (uint64);

    /// @notice A proposal passes when yes weight * denominator > total weight * numerator (default 2/3).
    function threshold() external view returns (uint64 numerator, uint64 denominator);
}
