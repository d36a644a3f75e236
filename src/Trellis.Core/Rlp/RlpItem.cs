namespace Trellis.Core.Rlp;

/// <summary>
/// A decoded RLP tree: an <see cref="RlpString"/> or an <see cref="RlpList"/> of items. Meant for tests and
/// tooling; hot paths use <see cref="RlpReader"/> and <see cref="RlpWriter"/> directly. Equality is structural.
/// </summary>
public abstract class RlpItem : IEquatable<RlpItem>
{
    /// <summary>The deepest list nesting <see cref="Decode"/> accepts (bounds recursion on hostile input).</summary>
    public const int MaxDepth = 1024;

    private protected RlpItem()
    {
    }

    /// <summary>Whether this is a byte string or a list.</summary>
    public abstract RlpItemKind Kind { get; }

    /// <summary>Decodes exactly one item that spans the whole of <paramref name="data"/>, strictly.</summary>
    /// <exception cref="RlpException">Malformed or non-canonical input, trailing bytes, or nesting deeper than <see cref="MaxDepth"/>.</exception>
    public static RlpItem Decode(ReadOnlySpan<byte> data)
    {
        var reader = new RlpReader(data);
        RlpItem item = Read(ref reader, 0);
        reader.EnsureEnd();
        return item;
    }

    /// <summary>Returns the RLP encoding of this item.</summary>
    public byte[] Encode()
    {
        var writer = new RlpWriter();
        WriteTo(writer);
        return writer.ToArray();
    }

    /// <summary>Appends the RLP encoding of this item to <paramref name="writer"/>.</summary>
    public abstract void WriteTo(RlpWriter writer);

    /// <inheritdoc />
    public abstract bool Equals(RlpItem? other);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is RlpItem other && Equals(other);

    /// <inheritdoc />
    public override abstract int GetHashCode();

    private static RlpItem Read(ref RlpReader reader, int depth)
    {
        if (reader.PeekKind() == RlpItemKind.Bytes)
        {
            return new RlpString(reader.ReadBytes());
        }

        if (depth >= MaxDepth)
        {
            throw new RlpException($"invalid RLP at position {reader.Position}: lists nested deeper than {MaxDepth}");
        }

        RlpReader inner = reader.ReadList();
        var items = new List<RlpItem>();
        while (inner.HasMore)
        {
            items.Add(Read(ref inner, depth + 1));
        }

        return new RlpList(items);
    }
}
