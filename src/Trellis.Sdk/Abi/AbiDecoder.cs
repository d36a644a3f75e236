using System.Numerics;
using System.Text;
using Trellis.Core;

namespace Trellis.Sdk.Abi;

/// <summary>
/// Decodes ABI-encoded data strictly: every offset and length must lie inside the data, every value must be
/// canonically padded (no dirty high bits in <c>uint&lt;M&gt;</c>, <c>address</c>, <c>bool</c>; sign-extended
/// <c>int&lt;M&gt;</c>; zero low bytes in <c>bytes&lt;M&gt;</c>; zero padding after bytes and strings), and strings
/// must be valid UTF-8. Anything else is an <see cref="AbiException"/> naming the type, the position and the rule.
/// Values come back as <see cref="UInt256"/> (uint), <see cref="BigInteger"/> (int), <see cref="Address"/>, bool,
/// byte[] (bytes, bytes&lt;M&gt;), string, and object[] (arrays, tuples).
/// </summary>
public static class AbiDecoder
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Decodes the tuple of <paramref name="types"/> (function arguments, return values, event data).</summary>
    /// <exception cref="AbiException">The data is truncated, out of range or not canonical.</exception>
    public static object?[] Decode(IReadOnlyList<AbiType> types, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(types);
        var reader = new Reader(data);
        return reader.ReadTuple(types, 0);
    }

    /// <summary>Decodes a single value (encoded as a one-element tuple).</summary>
    public static object? Decode(AbiType type, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(type);
        return Decode([type], data)[0];
    }

    /// <summary>Decodes one 32-byte word as a value type (an indexed event topic), with the same canonical checks.</summary>
    public static object? DecodeWord(AbiType type, ReadOnlySpan<byte> word)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (type.IsDynamic || type.Kind is AbiTypeKind.FixedArray or AbiTypeKind.Tuple)
        {
            throw new AbiException($"ABI {type.CanonicalName} is not a value type and is not stored in one word");
        }

        if (word.Length != 32)
        {
            throw new AbiException($"an ABI word is 32 bytes, got {word.Length}");
        }

        var reader = new Reader(word);
        return reader.ReadValue(type, 0);
    }

    private ref struct Reader
    {
        private readonly ReadOnlySpan<byte> _data;

        // Bounds the values one decode may produce, so offsets that point many elements at the same data cannot blow
        // an input of a few kilobytes up into gigabytes of objects. Honest encodings use at least one word per value
        // and per nesting level, so this never limits them.
        private long _budget;

        public Reader(ReadOnlySpan<byte> data)
        {
            _data = data;
            _budget = 4096 + ((long)data.Length * 2);
        }

        public object?[] ReadTuple(IReadOnlyList<AbiType> components, int start)
        {
            var values = new object?[components.Count];
            int head = start;
            for (int i = 0; i < values.Length; i++)
            {
                AbiType component = components[i];
                if (component.IsDynamic)
                {
                    int offset = ReadLength(head, "offset", component);
                    if ((long)start + offset >= _data.Length)
                    {
                        throw new AbiException($"ABI {component.CanonicalName} offset {offset} at byte {head} points past the end of the data ({_data.Length} bytes)");
                    }

                    values[i] = ReadValue(component, start + offset);
                }
                else
                {
                    values[i] = ReadValue(component, head);
                }

                head += component.HeadSize;
            }

            return values;
        }

        public object? ReadValue(AbiType type, int position)
        {
            if (--_budget < 0)
            {
                throw new AbiException($"ABI data of {_data.Length} bytes decodes to too many values: offsets repeat the same data");
            }

            switch (type.Kind)
            {
                case AbiTypeKind.UInt:
                    ReadOnlySpan<byte> uword = Word(position, type);
                    CheckZero(uword[..(32 - (type.Size / 8))], type, position, "has non-zero high bits");
                    return UInt256.FromBigEndian(uword);
                case AbiTypeKind.Int:
                    return ReadSigned(type, position);
                case AbiTypeKind.Address:
                    ReadOnlySpan<byte> aword = Word(position, type);
                    CheckZero(aword[..12], type, position, "has non-zero high bits");
                    return new Address(aword[12..]);
                case AbiTypeKind.Bool:
                    ReadOnlySpan<byte> bword = Word(position, type);
                    CheckZero(bword[..31], type, position, "is not 0 or 1");
                    return bword[31] switch
                    {
                        0 => false,
                        1 => true,
                        _ => throw new AbiException($"ABI bool at byte {position} is {bword[31]}, not 0 or 1"),
                    };
                case AbiTypeKind.FixedBytes:
                    ReadOnlySpan<byte> fword = Word(position, type);
                    CheckZero(fword[type.Size..], type, position, "has non-zero padding after its bytes");
                    return fword[..type.Size].ToArray();
                case AbiTypeKind.Bytes:
                case AbiTypeKind.String:
                    byte[] content = ReadContent(type, position);
                    if (type.Kind == AbiTypeKind.Bytes)
                    {
                        return content;
                    }

                    try
                    {
                        return StrictUtf8.GetString(content);
                    }
                    catch (DecoderFallbackException e)
                    {
                        throw new AbiException($"ABI string at byte {position} is not valid UTF-8", e);
                    }

                case AbiTypeKind.FixedArray:
                    return ReadElements(type.Element!, type.Length, position, type);
                case AbiTypeKind.Array:
                    int count = ReadLength(position, "length", type);
                    return ReadElements(type.Element!, count, position + 32, type);
                default:
                    return ReadTuple(type.Components, position);
            }
        }

        private object?[] ReadElements(AbiType element, int count, int start, AbiType array)
        {
            // The heads alone must fit in the data; this also bounds the allocation by the input size.
            if ((long)count * element.HeadSize > _data.Length - (long)start)
            {
                throw new AbiException($"ABI {array.CanonicalName} at byte {start} declares {count} elements, whose {(long)count * element.HeadSize} head bytes exceed the {Math.Max(0, _data.Length - start)} bytes left");
            }

            var values = new object?[count];
            int head = start;
            for (int i = 0; i < count; i++)
            {
                if (element.IsDynamic)
                {
                    int offset = ReadLength(head, "offset", element);
                    if ((long)start + offset >= _data.Length)
                    {
                        throw new AbiException($"ABI {element.CanonicalName} offset {offset} at byte {head} points past the end of the data ({_data.Length} bytes)");
                    }

                    values[i] = ReadValue(element, start + offset);
                }
                else
                {
                    values[i] = ReadValue(element, head);
                }

                head += element.HeadSize;
            }

            return values;
        }

        private BigInteger ReadSigned(AbiType type, int position)
        {
            ReadOnlySpan<byte> word = Word(position, type);
            int valueBytes = type.Size / 8;
            bool negative = (word[32 - valueBytes] & 0x80) != 0;
            byte fill = negative ? (byte)0xff : (byte)0;
            for (int i = 0; i < 32 - valueBytes; i++)
            {
                if (word[i] != fill)
                {
                    throw new AbiException($"ABI {type.CanonicalName} at byte {position} is not sign-extended to 32 bytes");
                }
            }

            return new BigInteger(word[(32 - valueBytes)..], isUnsigned: false, isBigEndian: true);
        }

        private byte[] ReadContent(AbiType type, int position)
        {
            int length = ReadLength(position, "length", type);
            long padded = ((long)length + 31) / 32 * 32;
            if (padded > _data.Length - (long)position - 32)
            {
                throw new AbiException($"ABI {type.CanonicalName} at byte {position} declares {length} bytes, more than the {Math.Max(0, _data.Length - position - 32)} bytes left (with padding)");
            }

            ReadOnlySpan<byte> body = _data.Slice(position + 32, (int)padded);
            CheckZero(body[length..], type, position, "has non-zero padding after its content");
            return body[..length].ToArray();
        }

        private int ReadLength(int position, string what, AbiType type)
        {
            ReadOnlySpan<byte> word = Word(position, type);
            CheckZero(word[..28], type, position, $"{what} does not fit in 32 bits", printValue: true);
            uint value = (uint)((word[28] << 24) | (word[29] << 16) | (word[30] << 8) | word[31]);
            if (value > int.MaxValue)
            {
                throw new AbiException($"ABI {type.CanonicalName} {what} {value} at byte {position} exceeds the data length {_data.Length}");
            }

            return (int)value;
        }

        private ReadOnlySpan<byte> Word(int position, AbiType type)
        {
            if (position < 0 || (long)position + 32 > _data.Length)
            {
                throw new AbiException($"ABI {type.CanonicalName} at byte {position} needs 32 bytes but the data is {_data.Length} bytes");
            }

            return _data.Slice(position, 32);
        }

        private readonly void CheckZero(ReadOnlySpan<byte> bytes, AbiType type, int position, string rule, bool printValue = false)
        {
            if (bytes.ContainsAnyExcept((byte)0))
            {
                string value = printValue ? $" ({Hex.Encode(_data.Slice(position, 32))})" : string.Empty;
                throw new AbiException($"ABI {type.CanonicalName} at byte {position} {rule}{value}");
            }
        }
    }
}
