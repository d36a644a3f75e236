namespace Trellis.Core.Rlp;

/// <summary>An RLP byte-string item.</summary>
public sealed class RlpString : RlpItem
{
    private readonly byte[] _value;

    /// <summary>Creates an item holding a copy of <paramref name="value"/>.</summary>
    public RlpString(ReadOnlySpan<byte> value)
    {
        _value = value.ToArray();
    }

    /// <inheritdoc />
    public override RlpItemKind Kind => RlpItemKind.Bytes;

    /// <summary>The payload bytes.</summary>
    public ReadOnlySpan<byte> Value => _value;

    /// <inheritdoc />
    public override void WriteTo(RlpWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteBytes(_value);
    }

    /// <inheritdoc />
    public override bool Equals(RlpItem? other) => other is RlpString s && _value.AsSpan().SequenceEqual(s._value);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        hash.AddBytes(_value);
        return hash.ToHashCode();
    }

    /// <summary>The payload as 0x-prefixed hex.</summary>
    public override string ToString() => Hex.Encode(_value);
}
