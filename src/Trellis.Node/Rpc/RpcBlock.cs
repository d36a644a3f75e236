using Trellis.Core;

namespace Trellis.Node.Rpc;

/// <summary>A block as JSON-RPC shows it: the header fields geth returns and the transactions, in order.</summary>
public sealed record RpcBlock
{
    /// <summary>Keccak-256 of the RLP of an empty list: the uncles hash of every block without uncles.</summary>
    public static readonly Hash256 EmptyUnclesHash = Hash256.Parse("0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347");

    /// <summary>Block number.</summary>
    public required ulong Number { get; init; }

    /// <summary>Block hash.</summary>
    public required Hash256 Hash { get; init; }

    /// <summary>Parent block hash.</summary>
    public required Hash256 ParentHash { get; init; }

    /// <summary>8-byte nonce (zero under BFT consensus).</summary>
    public ulong Nonce { get; init; }

    /// <summary>Uncles hash.</summary>
    public Hash256 Sha3Uncles { get; init; } = EmptyUnclesHash;

    /// <summary>256-byte logs bloom.</summary>
    public required byte[] LogsBloom { get; init; }

    /// <summary>Transactions trie root.</summary>
    public required Hash256 TransactionsRoot { get; init; }

    /// <summary>State trie root after the block.</summary>
    public required Hash256 StateRoot { get; init; }

    /// <summary>Receipts trie root.</summary>
    public required Hash256 ReceiptsRoot { get; init; }

    /// <summary>The proposer's beneficiary address (<c>miner</c>).</summary>
    public required Address Miner { get; init; }

    /// <summary>Difficulty (zero under BFT consensus).</summary>
    public UInt256 Difficulty { get; init; }

    /// <summary>Extra data.</summary>
    public required byte[] ExtraData { get; init; }

    /// <summary>Encoded size in bytes.</summary>
    public required ulong Size { get; init; }

    /// <summary>Gas limit.</summary>
    public required ulong GasLimit { get; init; }

    /// <summary>Gas used by all transactions.</summary>
    public required ulong GasUsed { get; init; }

    /// <summary>Timestamp, seconds since the Unix epoch.</summary>
    public required ulong Timestamp { get; init; }

    /// <summary>Mix hash / prevRandao.</summary>
    public Hash256 MixHash { get; init; }

    /// <summary>EIP-1559 base fee; null before London rules (never on Trellis, but kept optional as in geth).</summary>
    public UInt256? BaseFeePerGas { get; init; }

    /// <summary>EIP-4895 withdrawals root; when set an empty <c>withdrawals</c> list is shown too.</summary>
    public Hash256? WithdrawalsRoot { get; init; }

    /// <summary>EIP-4844 blob gas used.</summary>
    public ulong? BlobGasUsed { get; init; }

    /// <summary>EIP-4844 excess blob gas.</summary>
    public ulong? ExcessBlobGas { get; init; }

    /// <summary>EIP-4788 parent beacon block root.</summary>
    public Hash256? ParentBeaconBlockRoot { get; init; }

    /// <summary>The transactions in block order, with their block position filled in.</summary>
    public required IReadOnlyList<RpcTransaction> Transactions { get; init; }
}
