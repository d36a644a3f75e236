using Trellis.Core;
using Trellis.State;

namespace Trellis.Evm.SystemContracts;

/// <summary>One message call into a system contract, as its code would see it.</summary>
/// <param name="State">The world state; writes are journaled and reverted with the frame.</param>
/// <param name="Block">The block being executed (NUMBER is <see cref="BlockContext.Number"/>).</param>
/// <param name="Transaction">The transaction (ORIGIN).</param>
/// <param name="Caller">CALLER: the account or contract calling (msg.sender).</param>
/// <param name="Value">CALLVALUE.</param>
/// <param name="Input">The calldata: a 4-byte Solidity selector and ABI-encoded arguments.</param>
/// <param name="Gas">Gas available to the call.</param>
/// <param name="IsStatic">True inside STATICCALL (no state may change).</param>
public sealed record SystemCall(
    IWorldState State,
    BlockContext Block,
    TransactionContext Transaction,
    Address Caller,
    UInt256 Value,
    ReadOnlyMemory<byte> Input,
    long Gas,
    bool IsStatic);
