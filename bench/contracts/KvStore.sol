// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title A key-value store for the `trellis bench kv` workload.
/// @notice Each `set` writes one storage slot (a fresh key costs a new slot) and emits nothing, so the workload
///         measures storage writes and state-root work rather than logs.
contract KvStore {
    mapping(bytes32 => bytes32) public values;

    function set(bytes32 key, bytes32 value) external {
        values[key] = value;
    }

    function get(bytes32 key) external view returns (bytes32) {
        return values[key];
    }
}
