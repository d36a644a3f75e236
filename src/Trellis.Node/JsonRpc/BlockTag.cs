namespace Trellis.Node.JsonRpc;

/// <summary>What a block parameter names: a number, a hash, or one of the EIP-1474 / post-merge tags.</summary>
public enum BlockTag
{
    /// <summary>An explicit block number.</summary>
    Number,

    /// <summary>A block hash (EIP-1898 <c>{"blockHash": ...}</c>).</summary>
    Hash,

    /// <summary>The head of the chain.</summary>
    Latest,

    /// <summary>The genesis block.</summary>
    Earliest,

    /// <summary>The block being built (on Trellis: the head, with the pool's nonces where relevant).</summary>
    Pending,

    /// <summary>The latest safe block (final under BFT consensus).</summary>
    Safe,

    /// <summary>The latest finalized block.</summary>
    Finalized,
}
