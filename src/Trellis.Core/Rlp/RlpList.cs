namespace Trellis.Core.Rlp;

/// <summary>An RLP list item.</summary>
public sealed class RlpList : RlpItem
{
    private readonly RlpItem[] _items;

    /// <summary>Creates a list of <paramref name="items"/>.</summary>
    public RlpList(params IEnumerable<RlpItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        _items = [.. items];
        foreach (RlpItem item in _items)
        {
            ArgumentNullException.ThrowIfNull(item, nameof(items));
        }
    }

    /// <inheritdoc />
    public override RlpItemKind Kind => RlpItemKind.List;

    /// <summary>The items, in order.</summary>
    public IReadOnlyList<RlpItem> Items => _items;

    /// <inheritdoc />
    public override void WriteTo(RlpWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        int handle = writer.StartList();
        foreach (RlpItem item in _items)
        {
            item.WriteTo(writer);
        }

        writer.EndList(handle);
    }

    /// <inheritdoc />
    public override bool Equals(RlpItem? other)
    {
        if (other is not RlpList list || list._items.Length != _items.Length)
        {
            return false;
        }

        for (int i = 0; i < _items.Length; i++)
        {
            if (!_items[i].Equals(list._items[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        hash.Add(_items.Length);
        foreach (RlpItem item in _items)
        {
            hash.Add(item.GetHashCode());
        }

        return hash.ToHashCode();
    }

    /// <summary>The items in brackets, for diagnostics.</summary>
    public override string ToString() => "[" + string.Join(", ", (IEnumerable<RlpItem>)_items) + "]";
}
