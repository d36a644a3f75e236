using System.Buffers.Binary;
using System.Collections;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;
using Trellis.Core;

namespace Trellis.Sdk.Abi;

/// <summary>
/// Encodes values per the Solidity ABI specification (head/tail layout with 32-byte words). Accepted values:
/// <c>uint&lt;M&gt;</c>: <see cref="UInt256"/>, <see cref="BigInteger"/> or any .NET integer (non-negative);
/// <c>int&lt;M&gt;</c>: <see cref="BigInteger"/> or any .NET integer; <c>address</c>: <see cref="Address"/>;
/// <c>bool</c>; <c>bytes&lt;M&gt;</c>: a byte array of exactly M bytes (or <see cref="Hash256"/> for bytes32);
/// <c>bytes</c>: <c>byte[]</c> or <see cref="ReadOnlyMemory{T}"/>; <c>string</c>; arrays: any <see cref="IList"/>;
/// tuples: any <see cref="IList"/> (e.g. <c>object[]</c>) or a value tuple.
/// </summary>
public static class AbiEncoder
{
    /// <summary>Encodes <paramref name="values"/> as the tuple of <paramref name="types"/> (function arguments, return values, event data).</summary>
    /// <exception cref="AbiException">A value does not fit its type, or the counts differ.</exception>
    public static byte[] Encode(IReadOnlyList<AbiType> types, IReadOnlyList<object?> values) => EncodeWithPrefix([], types, values);

    /// <summary>Encodes a single value (the same bytes as a one-element tuple).</summary>
    public static byte[] Encode(AbiType type, object? value) => Encode([type], [value]);

    /// <summary>Encodes arguments behind a prefix (a 4-byte selector, or contract creation code).</summary>
    public static byte[] EncodeWithPrefix(ReadOnlySpan<byte> prefix, IReadOnlyList<AbiType> types, IReadOnlyList<object?> values)
    {
        ArgumentNullException.ThrowIfNull(types);
        ArgumentNullException.ThrowIfNull(values);
        if (types.Count != values.Count)
        {
            throw new AbiException($"{types.Count} ABI types but {values.Count} values were given");
        }

        var components = new AbiType[types.Count];
        for (int i = 0; i < components.Length; i++)
        {
            components[i] = types[i];
        }

        var items = new object?[values.Count];
        for (int i = 0; i < items.Length; i++)
        {
            items[i] = values[i];
        }

        long size = TupleSize(components, items, 0);
        if (size > int.MaxValue - prefix.Length)
        {
            throw new AbiException($"the ABI encoding would be {size} bytes, too large");
        }

        byte[] output = new byte[prefix.Length + size];
        prefix.CopyTo(output);
        WriteTuple(components, items, output.AsSpan(prefix.Length));
        return output;
    }

    /// <summary>
    /// The topic of an indexed event parameter: the value's 32-byte word for value types, or the Keccak-256 hash of the
    /// in-place encoding for bytes, string, arrays and tuples (ABI specification, "Encoding of Indexed Event Parameters").
    /// </summary>
    public static Hash256 EncodeTopic(AbiType type, object? value)
    {
        ArgumentNullException.ThrowIfNull(type);
        switch (type.Kind)
        {
            case AbiTypeKind.Bytes:
                return Keccak256.Hash(ToBytes(type, value));
            case AbiTypeKind.String:
                return Keccak256.Hash(Encoding.UTF8.GetBytes(ToText(type, value)));
            case AbiTypeKind.Array:
            case AbiTypeKind.FixedArray:
            case AbiTypeKind.Tuple:
                using (var stream = new MemoryStream())
                {
                    WriteInPlace(type, value, stream);
                    return Keccak256.Hash(stream.ToArray());
                }

            default:
                Span<byte> word = stackalloc byte[32];
                WriteValue(type, value, word);
                return new Hash256(word);
        }
    }

    private static void WriteInPlace(AbiType type, object? value, MemoryStream stream)
    {
        switch (type.Kind)
        {
            case AbiTypeKind.Bytes:
            case AbiTypeKind.String:
                byte[] content = type.Kind == AbiTypeKind.Bytes ? ToBytes(type, value) : Encoding.UTF8.GetBytes(ToText(type, value));
                stream.Write(content);
                stream.Write(new byte[PaddedLength(content.Length) - content.Length]);
                break;
            case AbiTypeKind.Array:
            case AbiTypeKind.FixedArray:
                object?[] elements = ToItems(type, value);
                foreach (object? element in elements)
                {
                    WriteInPlace(type.Element!, element, stream);
                }

                break;
            case AbiTypeKind.Tuple:
                object?[] members = ToItems(type, value);
                for (int i = 0; i < members.Length; i++)
                {
                    WriteInPlace(type.Components[i], members[i], stream);
                }

                break;
            default:
                byte[] word = new byte[32];
                WriteValue(type, value, word);
                stream.Write(word);
                break;
        }
    }

    private static long PaddedLength(long length) => (length + 31) / 32 * 32;

    private static long Size(AbiType type, object? value, int depth)
    {
        if (!type.IsDynamic)
        {
            return type.HeadSize;
        }

        switch (type.Kind)
        {
            case AbiTypeKind.Bytes:
                return 32 + PaddedLength(ToBytes(type, value).Length);
            case AbiTypeKind.String:
                return 32 + PaddedLength(Encoding.UTF8.GetByteCount(ToText(type, value)));
            case AbiTypeKind.Array:
                object?[] elements = ToItems(type, value);
                return 32 + ArraySize(type.Element!, elements, depth);
            case AbiTypeKind.FixedArray:
                return ArraySize(type.Element!, ToItems(type, value), depth);
            default:
                return TupleSize(type.Components, ToItems(type, value), depth);
        }
    }

    private static long ArraySize(AbiType element, object?[] elements, int depth)
    {
        long size = 0;
        foreach (object? item in elements)
        {
            size += element.IsDynamic ? 32 + Size(element, item, depth + 1) : element.HeadSize;
        }

        return size;
    }

    private static long TupleSize(IReadOnlyList<AbiType> components, object?[] values, int depth)
    {
        long size = 0;
        for (int i = 0; i < components.Count; i++)
        {
            AbiType component = components[i];
            size += component.IsDynamic ? 32 + Size(component, values[i], depth + 1) : component.HeadSize;
        }

        return size;
    }

    // Writes the encoding of a value whose size is already known to fit the destination.
    private static void WriteValue(AbiType type, object? value, Span<byte> destination)
    {
        switch (type.Kind)
        {
            case AbiTypeKind.UInt:
                ToUnsigned(type, value).WriteBigEndian(destination[..32]);
                break;
            case AbiTypeKind.Int:
                WriteSigned(type, value, destination[..32]);
                break;
            case AbiTypeKind.Address:
                destination[..12].Clear();
                ToAddress(type, value).Bytes.CopyTo(destination[12..32]);
                break;
            case AbiTypeKind.Bool:
                destination[..32].Clear();
                destination[31] = value is bool flag
                    ? (byte)(flag ? 1 : 0)
                    : throw new AbiException($"ABI bool value must be a bool, got {Describe(value)}");
                break;
            case AbiTypeKind.FixedBytes:
                byte[] fixedBytes = ToBytes(type, value);
                if (fixedBytes.Length != type.Size)
                {
                    throw new AbiException($"ABI {type.CanonicalName} value must be exactly {type.Size} bytes, got {fixedBytes.Length}");
                }

                destination[..32].Clear();
                fixedBytes.CopyTo(destination);
                break;
            case AbiTypeKind.Bytes:
            case AbiTypeKind.String:
                byte[] content = type.Kind == AbiTypeKind.Bytes ? ToBytes(type, value) : Encoding.UTF8.GetBytes(ToText(type, value));
                WriteLength(content.Length, destination);
                content.CopyTo(destination[32..]);
                destination.Slice(32 + content.Length, (int)PaddedLength(content.Length) - content.Length).Clear();
                break;
            case AbiTypeKind.Array:
                object?[] elements = ToItems(type, value);
                WriteLength(elements.Length, destination);
                WriteArray(type.Element!, elements, destination[32..]);
                break;
            case AbiTypeKind.FixedArray:
                WriteArray(type.Element!, ToItems(type, value), destination);
                break;
            default:
                WriteTuple(type.Components, ToItems(type, value), destination);
                break;
        }
    }

    private static void WriteArray(AbiType element, object?[] elements, Span<byte> destination)
    {
        if (!element.IsDynamic)
        {
            for (int i = 0; i < elements.Length; i++)
            {
                WriteValue(element, elements[i], destination.Slice(i * element.HeadSize, element.HeadSize));
            }

            return;
        }

        int tail = elements.Length * 32;
        for (int i = 0; i < elements.Length; i++)
        {
            WriteLength(tail, destination[(i * 32)..]);
            int size = (int)Size(element, elements[i], 0);
            WriteValue(element, elements[i], destination.Slice(tail, size));
            tail += size;
        }
    }

    private static void WriteTuple(IReadOnlyList<AbiType> components, object?[] values, Span<byte> destination)
    {
        int head = 0;
        int tail = 0;
        foreach (AbiType component in components)
        {
            tail += component.HeadSize;
        }

        for (int i = 0; i < components.Count; i++)
        {
            AbiType component = components[i];
            if (component.IsDynamic)
            {
                WriteLength(tail, destination[head..]);
                int size = (int)Size(component, values[i], 0);
                WriteValue(component, values[i], destination.Slice(tail, size));
                tail += size;
            }
            else
            {
                WriteValue(component, values[i], destination.Slice(head, component.HeadSize));
            }

            head += component.HeadSize;
        }
    }

    private static void WriteLength(int length, Span<byte> destination)
    {
        destination[..24].Clear();
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..32], (ulong)length);
    }

    private static UInt256 ToUnsigned(AbiType type, object? value)
    {
        UInt256 result = value switch
        {
            UInt256 u => u,
            BigInteger big when big.Sign >= 0 && big.GetBitLength() <= 256 => UInt256.FromBigInteger(big),
            byte b => b,
            ushort us => us,
            uint ui => ui,
            ulong ul => ul,
            sbyte sb when sb >= 0 => (ulong)sb,
            short s when s >= 0 => (ulong)s,
            int i when i >= 0 => (ulong)i,
            long l when l >= 0 => (ulong)l,
            _ => throw new AbiException($"ABI {type.CanonicalName} value must be a non-negative integer (UInt256, BigInteger or a .NET integer), got {Describe(value)}"),
        };
        if (result.BitLength > type.Size)
        {
            throw new AbiException($"ABI {type.CanonicalName} value {result} does not fit in {type.Size} bits");
        }

        return result;
    }

    private static void WriteSigned(AbiType type, object? value, Span<byte> destination)
    {
        BigInteger number = value switch
        {
            BigInteger big => big,
            UInt256 u => u.ToBigInteger(),
            byte b => b,
            sbyte sb => sb,
            short s => s,
            ushort us => us,
            int i => i,
            uint ui => ui,
            long l => l,
            ulong ul => ul,
            _ => throw new AbiException($"ABI {type.CanonicalName} value must be an integer (BigInteger or a .NET integer), got {Describe(value)}"),
        };
        BigInteger limit = BigInteger.One << (type.Size - 1);
        if (number < -limit || number >= limit)
        {
            throw new AbiException($"ABI {type.CanonicalName} value {number} is outside {-limit}..{limit - 1}");
        }

        // Two's complement in 256 bits: negative values are sign-extended with 0xff bytes.
        destination.Fill(number.Sign < 0 ? (byte)0xff : (byte)0);
        int length = number.GetByteCount();
        number.TryWriteBytes(destination[(32 - length)..], out _, isUnsigned: false, isBigEndian: true);
    }

    private static Address ToAddress(AbiType type, object? value) => value switch
    {
        Address address => address,
        string text when Address.TryParse(text, out Address parsed) => parsed,
        _ => throw new AbiException($"ABI {type.CanonicalName} value must be an Address (or a 0x-prefixed 20-byte hex string), got {Describe(value)}"),
    };

    private static byte[] ToBytes(AbiType type, object? value) => value switch
    {
        byte[] bytes => bytes,
        ReadOnlyMemory<byte> memory => memory.ToArray(),
        Memory<byte> memory => memory.ToArray(),
        Hash256 hash => hash.ToArray(),
        _ => throw new AbiException($"ABI {type.CanonicalName} value must be a byte array, got {Describe(value)}"),
    };

    private static string ToText(AbiType type, object? value) =>
        value as string ?? throw new AbiException($"ABI {type.CanonicalName} value must be a string, got {Describe(value)}");

    private static object?[] ToItems(AbiType type, object? value)
    {
        object?[] items;
        if (value is object?[] array)
        {
            items = array;
        }
        else if (value is IList list)
        {
            items = new object?[list.Count];
            list.CopyTo(items, 0);
        }
        else if (type.Kind == AbiTypeKind.Tuple && value is ITuple tuple)
        {
            items = new object?[tuple.Length];
            for (int i = 0; i < items.Length; i++)
            {
                items[i] = tuple[i];
            }
        }
        else
        {
            throw new AbiException($"ABI {type.CanonicalName} value must be a list (object[], List, array{(type.Kind == AbiTypeKind.Tuple ? " or value tuple" : string.Empty)}), got {Describe(value)}");
        }

        int expected = type.Kind switch
        {
            AbiTypeKind.FixedArray => type.Length,
            AbiTypeKind.Tuple => type.Components.Count,
            _ => items.Length,
        };
        if (items.Length != expected)
        {
            throw new AbiException($"ABI {type.CanonicalName} value must have {expected} elements, got {items.Length}");
        }

        return items;
    }

    private static string Describe(object? value) => value is null ? "null" : $"{value.GetType().Name} {value}";
}
