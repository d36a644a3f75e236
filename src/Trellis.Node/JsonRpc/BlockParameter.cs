using Trellis.Core;

namespace Trellis.Node.JsonRpc;

/// <summary>
/// A block selector from a request: a tag, a number, or (EIP-1898) a hash with an optional canonical requirement.
/// </summary>
public readonly record struct BlockParameter
{
    private BlockParameter(BlockTag tag, ulong number, Hash256 hash, bool requireCanonical)
    {
        Tag = tag;
        Number = number;
        Hash = hash;
        RequireCanonical = requireCanonical;
    }

    /// <summary>The <c>latest</c> tag.</summary>
    public static BlockParameter Latest { get; } = new(BlockTag.Latest, 0, default, false);

    /// <summary>The <c>earliest</c> tag.</summary>
    public static BlockParameter Earliest { get; } = new(BlockTag.Earliest, 0, default, false);

    /// <summary>The <c>pending</c> tag.</summary>
    public static BlockParameter Pending { get; } = new(BlockTag.Pending, 0, default, false);

    /// <summary>The <c>safe</c> tag.</summary>
    public static BlockParameter Safe { get; } = new(BlockTag.Safe, 0, default, false);

    /// <summary>The <c>finalized</c> tag.</summary>
    public static BlockParameter Finalized { get; } = new(BlockTag.Finalized, 0, default, false);

    /// <summary>Which kind of selector this is.</summary>
    public BlockTag Tag { get; }

    /// <summary>The block number when <see cref="Tag"/> is <see cref="BlockTag.Number"/>.</summary>
    public ulong Number { get; }

    /// <summary>The block hash when <see cref="Tag"/> is <see cref="BlockTag.Hash"/>.</summary>
    public Hash256 Hash { get; }

    /// <summary>EIP-1898 <c>requireCanonical</c>; Trellis has final blocks only, so every stored block is canonical.</summary>
    public bool RequireCanonical { get; }

    /// <summary>A selector for block <paramref name="number"/>.</summary>
    public static BlockParameter FromNumber(ulong number) => new(BlockTag.Number, number, default, false);

    /// <summary>A selector for the block with <paramref name="hash"/>.</summary>
    public static BlockParameter FromHash(Hash256 hash, bool requireCanonical = false) =>
        new(BlockTag.Hash, 0, hash, requireCanonical);

    /// <inheritdoc />
    public override string ToString() => Tag switch
    {
        BlockTag.Number => "0x" + Number.ToString("x", System.Globalization.CultureInfo.InvariantCulture),
        BlockTag.Hash => Hash.ToString(),
        _ => Tag.ToString().ToLowerInvariant(),
    };
}
