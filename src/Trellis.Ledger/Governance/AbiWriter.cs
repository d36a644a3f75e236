using System.Buffers.Binary;
using System.Text;
using Trellis.Core;

namespace Trellis.Ledger.Governance;

/// <summary>Encodes a tuple of ABI values (return data, event data): static values in the head, dynamic ones after it.</summary>
internal sealed class AbiWriter
{
    private readonly List<(byte[]? Word, byte[]? Tail)> _items = [];

    public AbiWriter UInt(ulong value)
    {
        var word = new byte[32];
        BinaryPrimitives.WriteUInt64BigEndian(word.AsSpan(24), value);
        _items.Add((word, null));
        return this;
    }

    public AbiWriter Bool(bool value) => UInt(value ? 1UL : 0UL);

    public AbiWriter Address(in Address address)
    {
        var word = new byte[32];
        address.Bytes.CopyTo(word.AsSpan(12));
        _items.Add((word, null));
        return this;
    }

    public AbiWriter Bytes32(in Hash256 value)
    {
        _items.Add((value.Bytes.ToArray(), null));
        return this;
    }

    public AbiWriter Bytes(ReadOnlySpan<byte> value)
    {
        var tail = new byte[32 + ((value.Length + 31) / 32 * 32)];
        BinaryPrimitives.WriteInt64BigEndian(tail.AsSpan(24), value.Length);
        value.CopyTo(tail.AsSpan(32));
        _items.Add((null, tail));
        return this;
    }

    public AbiWriter String(string value) => Bytes(Encoding.UTF8.GetBytes(value));

    public AbiWriter AddressArray(IReadOnlyList<Address> values)
    {
        var tail = new byte[32 + (32 * values.Count)];
        BinaryPrimitives.WriteInt64BigEndian(tail.AsSpan(24), values.Count);
        for (int i = 0; i < values.Count; i++)
        {
            values[i].Bytes.CopyTo(tail.AsSpan(32 + (32 * i) + 12));
        }

        _items.Add((null, tail));
        return this;
    }

    public byte[] ToArray()
    {
        int head = 32 * _items.Count;
        int total = head;
        foreach ((byte[]? _, byte[]? tail) in _items)
        {
            total += tail?.Length ?? 0;
        }

        var data = new byte[total];
        int tailOffset = head;
        for (int i = 0; i < _items.Count; i++)
        {
            (byte[]? word, byte[]? tail) = _items[i];
            if (word is not null)
            {
                word.CopyTo(data, i * 32);
            }
            else
            {
                BinaryPrimitives.WriteInt64BigEndian(data.AsSpan((i * 32) + 24), tailOffset);
                tail!.CopyTo(data, tailOffset);
                tailOffset += tail.Length;
            }
        }

        return data;
    }
}
