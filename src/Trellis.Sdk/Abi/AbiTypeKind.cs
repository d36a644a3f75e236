namespace Trellis.Sdk.Abi;

/// <summary>The kinds of Solidity ABI types.</summary>
public enum AbiTypeKind
{
    /// <summary><c>uint&lt;M&gt;</c>, decoded as <see cref="Trellis.Core.UInt256"/>.</summary>
    UInt,

    /// <summary><c>int&lt;M&gt;</c> (two's complement), decoded as <see cref="System.Numerics.BigInteger"/>.</summary>
    Int,

    /// <summary><c>address</c>, decoded as <see cref="Trellis.Core.Address"/>.</summary>
    Address,

    /// <summary><c>bool</c>.</summary>
    Bool,

    /// <summary><c>bytes&lt;M&gt;</c> (1 to 32 bytes, left-aligned), decoded as a byte array of length M.</summary>
    FixedBytes,

    /// <summary><c>bytes</c>: a dynamic byte sequence.</summary>
    Bytes,

    /// <summary><c>string</c>: dynamic UTF-8 text.</summary>
    String,

    /// <summary><c>T[k]</c>: a fixed-length array, decoded as <c>object[]</c>.</summary>
    FixedArray,

    /// <summary><c>T[]</c>: a dynamic-length array, decoded as <c>object[]</c>.</summary>
    Array,

    /// <summary><c>(T1,...,Tn)</c>: a tuple (a struct in Solidity), decoded as <c>object[]</c>.</summary>
    Tuple,
}
