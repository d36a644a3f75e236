// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title Events, revert reasons, custom errors and panics for the end-to-end tests.
contract Events {
    /// @notice Raised when a withdrawal asks for more than the caller deposited.
    error InsufficientDeposit(address account, uint256 requested, uint256 available);
    /// @notice Raised by anyone but the owner calling an owner-only function.
    error NotOwner(address caller);

    event Deposited(address indexed account, uint256 indexed tag, uint256 amount, string memo);
    event Withdrawn(address indexed account, uint256 amount);
    event Anonymous(bytes32 data) anonymous;
    event Counted(uint256 indexed count, bytes32 hash);

    address public immutable owner;
    uint256 public count;
    mapping(address => uint256) public deposits;

    constructor() {
        owner = msg.sender;
    }

    /// @notice Records a deposit of `amount` units (book-keeping only; no ether moves).
    function deposit(uint256 tag, uint256 amount, string calldata memo) external {
        require(amount > 0, "Events: amount must be positive");
        deposits[msg.sender] += amount;
        emit Deposited(msg.sender, tag, amount, memo);
    }

    function withdraw(uint256 amount) external {
        uint256 available = deposits[msg.sender];
        if (amount > available) {
            revert InsufficientDeposit(msg.sender, amount, available);
        }
        deposits[msg.sender] = available - amount;
        emit Withdrawn(msg.sender, amount);
    }

    /// @notice Emits several events in one transaction, including an anonymous one.
    function countTo(uint256 n) external {
        for (uint256 i = 0; i < n; i++) {
            count += 1;
            emit Counted(count, keccak256(abi.encodePacked(count)));
        }
        emit Anonymous(bytes32(n));
    }

    function onlyOwnerReset() external {
        if (msg.sender != owner) {
            revert NotOwner(msg.sender);
        }
        count = 0;
    }

    /// @notice Fails with a plain require message; view, so eth_call surfaces it without a transaction.
    function checkPositive(int256 value) external pure returns (int256) {
        require(value > 0, "Events: value must be positive");
        return value;
    }

    /// @notice Fails with Panic(0x12) (division by zero).
    function divide(uint256 a, uint256 b) external pure returns (uint256) {
        return a / b;
    }
}
