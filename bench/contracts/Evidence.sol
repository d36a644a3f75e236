// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title Evidence (notarisation) records for the `trellis bench evidence` workload.
/// @notice `record` stores nothing: the evidence is the event (hash, signer, block time, metadata) in the receipt,
///         which the log index and inclusion proofs serve. This is the cheap, append-only way applications notarise.
contract Evidence {
    event Recorded(bytes32 indexed hash, address indexed signer, uint256 timestamp, string metadata);

    function record(bytes32 hash, string calldata metadata) external {
        emit Recorded(hash, msg.sender, block.timestamp, metadata);
    }
}
