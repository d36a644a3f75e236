// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title Trellis chain configuration set by governance, overriding the genesis values.
/// @notice Native system contract at 0x0000000000000000000000000000000000001005. Keys: blockGasLimit,
/// blockIntervalMs, viewTimeoutMs, maxTransactionsPerBlock, txPoolMaxCount, txPoolMaxBytes, txPoolMaxTxBytes,
/// proposalLifetimeBlocks.
interface IChainConfig {
    event ChainConfigChanged(uint64 indexed proposalId, string key, uint64 value);

    /// @notice The value set for `key` by governance, or 0 when the genesis value applies. Reverts for an unknown key.
    function valueOf(string calldata key) external view returns (uint64);
}
