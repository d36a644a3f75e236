using System.Buffers.Binary;

namespace Trellis.Core.Rlp;

/// <summary>
/// Writes RLP (Ethereum yellow paper, appendix B) into a growable buffer. Lists are written by
/// <see cref="StartList"/>, the items, then <see cref="EndList"/>, which inserts the header once the payload
/// length is known. The output is always canonical.
/// </summary>
public sealed class RlpWriter
{
    private byte[] _buffer;
    private int _length;
    private int[] _openLists = new int[8];
    private int _depth;

    /// <summary>Creates a writer with a small initial buffer.</summary>
    public RlpWriter()
        : this(256)
    {
    }

    /// <summary>Creates a writer whose buffer starts at <paramref name="initialCapacity"/> bytes.</summary>
    public RlpWriter(int initialCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(initialCapacity);
        _buffer = new byte[Math.Max(initialCapacity, 16)];
    }

    /// <summary>The bytes written so far; every started list must have been ended.</summary>
    public ReadOnlySpan<byte> WrittenSpan
    {
        get
        {
            EnsureNoOpenList();
            return _buffer.AsSpan(0, _length);
        }
    }

    /// <summary>The encoded length of <paramref name="value"/> as a byte-string item.</summary>
    public static int LengthOfBytes(ReadOnlySpan<byte> value) =>
        value.Length == 1 && value[0] < 0x80 ? 1 : HeaderLength(value.Length) + value.Length;

    /// <summary>The encoded length of a list whose items encode to <paramref name="payloadLength"/> bytes.</summary>
    public static int LengthOfList(int payloadLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(payloadLength);
        return HeaderLength(payloadLength) + payloadLength;
    }

    /// <summary>Returns the encoding of <paramref name="value"/> as a byte-string item.</summary>
    public static byte[] EncodeBytes(ReadOnlySpan<byte> value)
    {
        var writer = new RlpWriter(LengthOfBytes(value));
        writer.WriteBytes(value);
        return writer.ToArray();
    }

    /// <summary>Writes a byte-string item.</summary>
    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        if (value.Length == 1 && value[0] < 0x80)
        {
            Ensure(1);
            _buffer[_length++] = value[0];
            return;
        }

        Ensure(HeaderLength(value.Length) + value.Length);
        _length += WriteHeader(_buffer.AsSpan(_length), value.Length, 0x80);
        value.CopyTo(_buffer.AsSpan(_length));
        _length += value.Length;
    }

    /// <summary>Writes an unsigned integer as its minimal big-endian bytes (zero is the empty string 0x80).</summary>
    public void WriteULong(ulong value)
    {
        Span<byte> bytes = stackalloc byte[sizeof(ulong)];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        WriteIntegerBytes(bytes);
    }

    /// <summary>Writes an unsigned big-endian integer magnitude, dropping leading zero bytes.</summary>
    public void WriteIntegerBytes(ReadOnlySpan<byte> bigEndianMagnitude)
    {
        int firstNonZero = bigEndianMagnitude.IndexOfAnyExcept((byte)0);
        WriteBytes(firstNonZero < 0 ? [] : bigEndianMagnitude[firstNonZero..]);
    }

    /// <summary>Copies an item that is already RLP-encoded (not validated here).</summary>
    public void WriteEncoded(ReadOnlySpan<byte> alreadyEncodedItem)
    {
        Ensure(alreadyEncodedItem.Length);
        alreadyEncodedItem.CopyTo(_buffer.AsSpan(_length));
        _length += alreadyEncodedItem.Length;
    }

    /// <summary>Starts a list; returns the handle to pass to <see cref="EndList"/>.</summary>
    public int StartList()
    {
        if (_depth == _openLists.Length)
        {
            Array.Resize(ref _openLists, _depth * 2);
        }

        _openLists[_depth++] = _length;
        return _length;
    }

    /// <summary>Ends the innermost open list, whose handle <paramref name="handle"/> must be.</summary>
    /// <exception cref="InvalidOperationException">No list is open, or the handle is not the innermost one's.</exception>
    public void EndList(int handle)
    {
        if (_depth == 0)
        {
            throw new InvalidOperationException($"EndList({handle}) called but no list is open");
        }

        int start = _openLists[_depth - 1];
        if (handle != start)
        {
            throw new InvalidOperationException(
                $"EndList({handle}) does not match the innermost open list, which started at {start}; lists must end in reverse order");
        }

        _depth--;
        int payloadLength = _length - start;
        int headerLength = HeaderLength(payloadLength);
        Ensure(headerLength);

        // The payload was written first; move it up to make room for its header.
        Buffer.BlockCopy(_buffer, start, _buffer, start + headerLength, payloadLength);
        WriteHeader(_buffer.AsSpan(start), payloadLength, 0xc0);
        _length += headerLength;
    }

    /// <summary>Returns a copy of the bytes written; every started list must have been ended.</summary>
    public byte[] ToArray() => WrittenSpan.ToArray();

    /// <summary>Discards everything written, keeping the buffer.</summary>
    public void Reset()
    {
        _length = 0;
        _depth = 0;
    }

    private static int HeaderLength(int payloadLength) => payloadLength < 56 ? 1 : 1 + ByteCount((uint)payloadLength);

    private static int ByteCount(uint value) => (32 - System.Numerics.BitOperations.LeadingZeroCount(value) + 7) / 8;

    /// <summary>Writes the header for a payload of <paramref name="length"/> bytes; returns its size.</summary>
    private static int WriteHeader(Span<byte> destination, int length, byte shortBase)
    {
        if (length < 56)
        {
            destination[0] = (byte)(shortBase + length);
            return 1;
        }

        int lengthOfLength = ByteCount((uint)length);
        destination[0] = (byte)(shortBase + 55 + lengthOfLength);
        for (int i = lengthOfLength; i >= 1; i--)
        {
            destination[i] = (byte)length;
            length >>= 8;
        }

        return 1 + lengthOfLength;
    }

    private void EnsureNoOpenList()
    {
        if (_depth != 0)
        {
            throw new InvalidOperationException($"{_depth} list(s) started with StartList have not been ended with EndList");
        }
    }

    private void Ensure(int extra)
    {
        long needed = (long)_length + extra;
        if (needed <= _buffer.Length)
        {
            return;
        }

        if (needed > Array.MaxLength)
        {
            throw new InvalidOperationException($"RLP output would be {needed} bytes, more than the largest array ({Array.MaxLength})");
        }

        int capacity = (int)Math.Min(Math.Max(needed, 2L * _buffer.Length), Array.MaxLength);
        Array.Resize(ref _buffer, capacity);
    }
}
