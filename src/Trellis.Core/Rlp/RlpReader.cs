using System.Runtime.CompilerServices;

namespace Trellis.Core.Rlp;

/// <summary>
/// Reads RLP (Ethereum yellow paper, appendix B) from a span without allocating. Every read validates that the
/// encoding is canonical and fits in the input, and throws <see cref="RlpException"/> otherwise.
/// </summary>
public ref struct RlpReader
{
    private readonly ReadOnlySpan<byte> _data;

    // Offset of _data within the outermost input, so error positions are absolute.
    private readonly int _origin;
    private int _position;

    /// <summary>Creates a reader over <paramref name="data"/>, which may hold several items in sequence.</summary>
    public RlpReader(ReadOnlySpan<byte> data)
        : this(data, 0)
    {
    }

    private RlpReader(ReadOnlySpan<byte> data, int origin)
    {
        _data = data;
        _origin = origin;
        _position = 0;
    }

    /// <summary>True while unread bytes remain.</summary>
    public readonly bool HasMore => _position < _data.Length;

    /// <summary>The offset of the next item within this reader's data.</summary>
    public readonly int Position => _position;

    /// <summary>Returns the kind of the next item without consuming it; validates its header.</summary>
    public readonly RlpItemKind PeekKind() => ReadHeader(out _, out _);

    /// <summary>Reads a byte-string item and returns its payload.</summary>
    public ReadOnlySpan<byte> ReadBytes()
    {
        if (ReadHeader(out int offset, out int length) == RlpItemKind.List)
        {
            throw Error($"expected a byte string but found a list (header 0x{_data[_position]:x2})");
        }

        _position = offset + length;
        return _data.Slice(offset, length);
    }

    /// <summary>Reads a list item: returns a reader over its payload and advances past the whole list.</summary>
    public RlpReader ReadList()
    {
        if (ReadHeader(out int offset, out int length) == RlpItemKind.Bytes)
        {
            throw Error($"expected a list but found a byte string (header 0x{_data[_position]:x2})");
        }

        _position = offset + length;
        return new RlpReader(_data.Slice(offset, length), _origin + offset);
    }

    /// <summary>Reads a canonical unsigned integer of at most 8 bytes (zero is the empty string 0x80).</summary>
    public ulong ReadULong()
    {
        ReadOnlySpan<byte> magnitude = ReadIntegerBytes(sizeof(ulong));
        ulong value = 0;
        foreach (byte b in magnitude)
        {
            value = (value << 8) | b;
        }

        return value;
    }

    /// <summary>
    /// Reads a canonical big-endian unsigned integer magnitude: a byte string of at most
    /// <paramref name="maxLength"/> bytes with no leading zero byte (zero is the empty string).
    /// </summary>
    public ReadOnlySpan<byte> ReadIntegerBytes(int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxLength);
        int start = _position;
        ReadOnlySpan<byte> magnitude = ReadBytes();
        if (magnitude.Length > maxLength)
        {
            _position = start;
            throw Error(start, $"integer is {magnitude.Length} bytes long, more than the {maxLength} allowed");
        }

        if (magnitude.Length > 0 && magnitude[0] == 0)
        {
            _position = start;
            throw Error(start, $"integer of {magnitude.Length} bytes has a leading zero byte (not canonical; zero is 0x80)");
        }

        return magnitude;
    }

    /// <summary>Returns the complete encoding (header and payload) of the next item and advances past it.</summary>
    public ReadOnlySpan<byte> ReadEncodedItem()
    {
        ReadHeader(out int offset, out int length);
        int start = _position;
        _position = offset + length;
        return _data[start.._position];
    }

    /// <summary>Advances past the next item (validating its header, not its contents).</summary>
    public void SkipItem()
    {
        ReadHeader(out int offset, out int length);
        _position = offset + length;
    }

    /// <summary>Throws unless every byte has been read.</summary>
    public readonly void EnsureEnd()
    {
        if (_position < _data.Length)
        {
            throw Error($"trailing bytes: {_data.Length - _position} byte(s) after the last item");
        }
    }

    /// <summary>
    /// Decodes and validates the header of the item at the current position. Returns its kind, and the offset
    /// (within _data) and length of its payload, which is guaranteed to lie within _data.
    /// </summary>
    private readonly RlpItemKind ReadHeader(out int payloadOffset, out int payloadLength)
    {
        int remaining = _data.Length - _position;
        if (remaining <= 0)
        {
            throw Error("expected an item but the input ended");
        }

        byte prefix = _data[_position];
        if (prefix < 0x80)
        {
            payloadOffset = _position;
            payloadLength = 1;
            return RlpItemKind.Bytes;
        }

        RlpItemKind kind = prefix < 0xc0 ? RlpItemKind.Bytes : RlpItemKind.List;
        string what = kind == RlpItemKind.Bytes ? "string" : "list";
        int shortBase = kind == RlpItemKind.Bytes ? 0x80 : 0xc0;
        int shortLimit = shortBase + 55;
        if (prefix <= shortLimit)
        {
            payloadLength = prefix - shortBase;
            payloadOffset = _position + 1;
            if (payloadLength > remaining - 1)
            {
                throw Error($"{what} header 0x{prefix:x2} declares {payloadLength} byte(s) of payload but only {remaining - 1} remain {Scope}");
            }

            if (kind == RlpItemKind.Bytes && payloadLength == 1 && _data[payloadOffset] < 0x80)
            {
                throw Error($"single byte 0x{_data[payloadOffset]:x2} encoded as 0x81 0x{_data[payloadOffset]:x2} (not canonical: bytes below 0x80 encode as themselves)");
            }

            return kind;
        }

        int lengthOfLength = prefix - shortLimit;
        if (lengthOfLength > remaining - 1)
        {
            throw Error($"{what} header 0x{prefix:x2} needs {lengthOfLength} length byte(s) but only {remaining - 1} remain {Scope}");
        }

        ReadOnlySpan<byte> lengthBytes = _data.Slice(_position + 1, lengthOfLength);
        if (lengthBytes[0] == 0)
        {
            throw Error($"{what} length has a leading zero byte (not canonical)");
        }

        ulong declared = 0;
        foreach (byte b in lengthBytes)
        {
            if (declared > (ulong)int.MaxValue >> 8)
            {
                throw Error($"{what} length 0x{Convert.ToHexStringLower(lengthBytes)} overflows the largest supported length {int.MaxValue}");
            }

            declared = (declared << 8) | b;
        }

        if (declared < 56)
        {
            throw Error($"{what} uses a long-form length for {declared} byte(s) of payload (not canonical: lengths below 56 use the short form)");
        }

        payloadOffset = _position + 1 + lengthOfLength;
        if (declared > (ulong)(_data.Length - payloadOffset))
        {
            throw Error($"{what} declares {declared} byte(s) of payload but only {_data.Length - payloadOffset} remain {Scope}");
        }

        payloadLength = (int)declared;
        return kind;
    }

    // A reader returned by ReadList starts after its list header, so a non-zero origin means "inside a list".
    private readonly string Scope => _origin > 0 ? "in the enclosing list" : "in the input";

    private readonly RlpException Error(string message) => Error(_position, message);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly RlpException Error(int position, string message) =>
        new($"invalid RLP at position {_origin + position}: {message}");
}
