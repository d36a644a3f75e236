namespace Trellis.Core.Rlp;

/// <summary>The two kinds of RLP item.</summary>
public enum RlpItemKind
{
    /// <summary>A byte string (including a single byte below 0x80, encoded as itself).</summary>
    Bytes,

    /// <summary>A list of items.</summary>
    List,
}
