using System.Globalization;
using System.Text;

namespace Trellis.Sdk.Abi;

/// <summary>
/// A Solidity ABI type (elementary, array or tuple), parsed from its canonical name (<c>uint256</c>,
/// <c>(uint256,bytes)[2][]</c>) or from a JSON ABI parameter. Immutable; <see cref="CanonicalName"/> is the form used in
/// function and event signatures (<c>uint</c> becomes <c>uint256</c>, structs become parenthesised tuples).
/// </summary>
public sealed class AbiType
{
    /// <summary>Nesting deeper than this (tuples within arrays within tuples...) is refused, so hostile ABI JSON cannot exhaust the stack.</summary>
    public const int MaxDepth = 32;

    /// <summary>A fixed array longer than this is refused: no real contract has one and its static size would overflow.</summary>
    public const int MaxFixedLength = 1 << 20;

    private static readonly AbiType[] NoComponents = [];
    private static readonly string[] NoNames = [];

    private AbiType(AbiTypeKind kind, int size, AbiType? element, int length, AbiType[] components, string[] componentNames, string canonicalName)
    {
        Kind = kind;
        Size = size;
        Element = element;
        Length = length;
        Components = components;
        ComponentNames = componentNames;
        CanonicalName = canonicalName;
        int depth = element is null ? 1 : element.Depth + 1;
        foreach (AbiType component in components)
        {
            depth = Math.Max(depth, component.Depth + 1);
        }

        Depth = depth;
        IsDynamic = kind switch
        {
            AbiTypeKind.Bytes or AbiTypeKind.String or AbiTypeKind.Array => true,
            AbiTypeKind.FixedArray => element!.IsDynamic,
            AbiTypeKind.Tuple => Array.Exists(components, c => c.IsDynamic),
            _ => false,
        };
        if (!IsDynamic)
        {
            long staticSize = kind switch
            {
                AbiTypeKind.FixedArray => (long)element!.HeadSize * length,
                AbiTypeKind.Tuple => SumHeads(components),
                _ => 32,
            };
            if (staticSize > int.MaxValue / 2)
            {
                throw new AbiException($"ABI type {canonicalName} is {staticSize} bytes when encoded, more than the {int.MaxValue / 2} allowed");
            }

            HeadSize = (int)staticSize;
        }
        else
        {
            HeadSize = 32;
        }
    }

    /// <summary>The kind of type.</summary>
    public AbiTypeKind Kind { get; }

    /// <summary>Bits for <c>uint&lt;M&gt;</c>/<c>int&lt;M&gt;</c>; bytes for <c>bytes&lt;M&gt;</c>; 160 for address; zero otherwise.</summary>
    public int Size { get; }

    /// <summary>The element type of an array; null otherwise.</summary>
    public AbiType? Element { get; }

    /// <summary>The length of a fixed array (<c>T[k]</c>); zero otherwise.</summary>
    public int Length { get; }

    /// <summary>The component types of a tuple; empty otherwise.</summary>
    public IReadOnlyList<AbiType> Components { get; }

    /// <summary>The component names of a tuple from the JSON ABI (empty strings when unnamed); empty otherwise.</summary>
    public IReadOnlyList<string> ComponentNames { get; }

    /// <summary>The canonical name used in signatures, e.g. <c>(uint256,bytes)[]</c>.</summary>
    public string CanonicalName { get; }

    /// <summary>True for bytes, string, T[], and arrays/tuples containing a dynamic type: encoded in the tail behind an offset.</summary>
    public bool IsDynamic { get; }

    /// <summary>Bytes the type occupies in the head of an enclosing tuple: its full size if static, 32 (the offset) if dynamic.</summary>
    public int HeadSize { get; }

    /// <summary><c>uint256</c>.</summary>
    public static AbiType UInt256 { get; } = new(AbiTypeKind.UInt, 256, null, 0, NoComponents, NoNames, "uint256");

    /// <summary><c>address</c>.</summary>
    public static AbiType Address { get; } = new(AbiTypeKind.Address, 160, null, 0, NoComponents, NoNames, "address");

    /// <summary><c>bool</c>.</summary>
    public static AbiType Bool { get; } = new(AbiTypeKind.Bool, 0, null, 0, NoComponents, NoNames, "bool");

    /// <summary><c>string</c>.</summary>
    public static AbiType String { get; } = new(AbiTypeKind.String, 0, null, 0, NoComponents, NoNames, "string");

    /// <summary><c>bytes</c>.</summary>
    public static AbiType Bytes { get; } = new(AbiTypeKind.Bytes, 0, null, 0, NoComponents, NoNames, "bytes");

    /// <summary>A tuple of component types (names optional, same count as the types when given).</summary>
    public static AbiType Tuple(IReadOnlyList<AbiType> components, IReadOnlyList<string>? names = null)
    {
        ArgumentNullException.ThrowIfNull(components);
        if (names is not null && names.Count != components.Count)
        {
            throw new AbiException($"a tuple has {components.Count} components but {names.Count} names");
        }

        AbiType[] parts = [.. components];
        var builder = new StringBuilder("(");
        for (int i = 0; i < parts.Length; i++)
        {
            ArgumentNullException.ThrowIfNull(parts[i]);
            if (i > 0)
            {
                builder.Append(',');
            }

            builder.Append(parts[i].CanonicalName);
        }

        builder.Append(')');
        string[] componentNames = names is null ? new string[parts.Length] : [.. names];
        for (int i = 0; i < componentNames.Length; i++)
        {
            componentNames[i] ??= string.Empty;
        }

        CheckDepth(parts);
        return new AbiType(AbiTypeKind.Tuple, 0, null, 0, parts, componentNames, builder.ToString());
    }

    /// <summary>An array of <paramref name="element"/>: dynamic (<c>T[]</c>) when <paramref name="length"/> is null, else <c>T[length]</c>.</summary>
    public static AbiType ArrayOf(AbiType element, int? length = null)
    {
        ArgumentNullException.ThrowIfNull(element);
        CheckDepth([element]);
        if (length is int k)
        {
            if (k < 0 || k > MaxFixedLength)
            {
                throw new AbiException($"fixed array length {k} of {element.CanonicalName} is outside 0..{MaxFixedLength}");
            }

            return new AbiType(AbiTypeKind.FixedArray, 0, element, k, NoComponents, NoNames, $"{element.CanonicalName}[{k.ToString(CultureInfo.InvariantCulture)}]");
        }

        return new AbiType(AbiTypeKind.Array, 0, element, 0, NoComponents, NoNames, element.CanonicalName + "[]");
    }

    /// <summary>
    /// Parses a type name: an elementary type (<c>uint8</c>, <c>int</c>, <c>address</c>, <c>bytes32</c>, <c>string</c>...),
    /// a parenthesised tuple (<c>(uint256,bool)</c>), each optionally followed by array suffixes (<c>[]</c>, <c>[3]</c>).
    /// </summary>
    /// <exception cref="AbiException">The name is not a valid ABI type.</exception>
    public static AbiType Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        int position = 0;
        AbiType type = ParseAt(name, ref position, 0);
        if (position != name.Length)
        {
            throw new AbiException($"ABI type \"{name}\" has unexpected text at position {position}");
        }

        return type;
    }

    /// <summary>
    /// Builds a type from a JSON ABI parameter: <paramref name="type"/> is <c>tuple</c> plus array suffixes when
    /// <paramref name="components"/> describe a struct, otherwise any name <see cref="Parse"/> accepts.
    /// </summary>
    /// <exception cref="AbiException">The type is not valid.</exception>
    public static AbiType FromJson(string type, IReadOnlyList<AbiParameter>? components)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (!type.StartsWith("tuple", StringComparison.Ordinal))
        {
            return Parse(type);
        }

        if (components is null)
        {
            throw new AbiException($"ABI type \"{type}\" is a tuple but has no components");
        }

        var types = new AbiType[components.Count];
        var names = new string[components.Count];
        for (int i = 0; i < types.Length; i++)
        {
            types[i] = components[i].Type;
            names[i] = components[i].Name;
        }

        AbiType result = Tuple(types, names);
        int position = "tuple".Length;
        result = ParseArraySuffixes(type, ref position, result);
        if (position != type.Length)
        {
            throw new AbiException($"ABI type \"{type}\" has unexpected text at position {position}");
        }

        return result;
    }

    /// <summary>The canonical name.</summary>
    public override string ToString() => CanonicalName;

    internal int Depth { get; }

    private static void CheckDepth(AbiType[] parts)
    {
        foreach (AbiType part in parts)
        {
            if (part.Depth >= MaxDepth)
            {
                throw new AbiException($"ABI type {part.CanonicalName} is nested deeper than {MaxDepth} levels");
            }
        }
    }

    private static long SumHeads(AbiType[] components)
    {
        long sum = 0;
        foreach (AbiType component in components)
        {
            sum += component.HeadSize;
        }

        return sum;
    }

    private static AbiType ParseAt(string text, ref int position, int depth)
    {
        if (depth >= MaxDepth)
        {
            throw new AbiException($"ABI type \"{text}\" is nested deeper than {MaxDepth} levels");
        }

        AbiType baseType;
        if (position < text.Length && text[position] == '(')
        {
            position++;
            var parts = new List<AbiType>();
            if (position < text.Length && text[position] == ')')
            {
                position++;
            }
            else
            {
                while (true)
                {
                    parts.Add(ParseAt(text, ref position, depth + 1));
                    if (position >= text.Length)
                    {
                        throw new AbiException($"ABI type \"{text}\" has an unclosed tuple");
                    }

                    char c = text[position++];
                    if (c == ')')
                    {
                        break;
                    }

                    if (c != ',')
                    {
                        throw new AbiException($"ABI type \"{text}\" has '{c}' at position {position - 1} where ',' or ')' was expected");
                    }
                }
            }

            baseType = Tuple(parts);
        }
        else
        {
            int start = position;
            while (position < text.Length && (char.IsAsciiLetterLower(text[position]) || char.IsAsciiDigit(text[position])))
            {
                position++;
            }

            baseType = ParseElementary(text, text.Substring(start, position - start));
        }

        return ParseArraySuffixes(text, ref position, baseType);
    }

    private static AbiType ParseArraySuffixes(string text, ref int position, AbiType type)
    {
        while (position < text.Length && text[position] == '[')
        {
            int close = text.IndexOf(']', position);
            if (close < 0)
            {
                throw new AbiException($"ABI type \"{text}\" has an unclosed '[' at position {position}");
            }

            string digits = text.Substring(position + 1, close - position - 1);
            if (digits.Length == 0)
            {
                type = ArrayOf(type);
            }
            else
            {
                if (!IsPlainNumber(digits) || !int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int length))
                {
                    throw new AbiException($"ABI type \"{text}\" has array length \"{digits}\", which is not a decimal number up to {MaxFixedLength}");
                }

                type = ArrayOf(type, length);
            }

            position = close + 1;
        }

        return type;
    }

    private static bool IsPlainNumber(string digits)
    {
        foreach (char c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return digits.Length == 1 || digits[0] != '0';
    }

    private static AbiType ParseElementary(string text, string name)
    {
        switch (name)
        {
            case "uint":
            case "uint256":
                return UInt256;
            case "int":
                return Integer(AbiTypeKind.Int, 256);
            case "address":
                return Address;
            case "bool":
                return Bool;
            case "string":
                return String;
            case "bytes":
                return Bytes;
            case "function":
                // An address followed by a selector, encoded exactly as bytes24 (ABI specification).
                return new AbiType(AbiTypeKind.FixedBytes, 24, null, 0, NoComponents, NoNames, "function");
            case "":
                throw new AbiException($"ABI type \"{text}\" is missing a type name");
        }

        if (name.StartsWith("uint", StringComparison.Ordinal) && TryBits(name.AsSpan(4), out int ubits))
        {
            return Integer(AbiTypeKind.UInt, ubits);
        }

        if (name.StartsWith("int", StringComparison.Ordinal) && TryBits(name.AsSpan(3), out int ibits))
        {
            return Integer(AbiTypeKind.Int, ibits);
        }

        if (name.StartsWith("bytes", StringComparison.Ordinal)
            && int.TryParse(name.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out int bytes)
            && bytes is >= 1 and <= 32 && name[5] != '0')
        {
            return new AbiType(AbiTypeKind.FixedBytes, bytes, null, 0, NoComponents, NoNames, name);
        }

        if (name.StartsWith("fixed", StringComparison.Ordinal) || name.StartsWith("ufixed", StringComparison.Ordinal))
        {
            throw new AbiException($"ABI type \"{name}\" (fixed-point) is not supported: Solidity cannot use fixed-point values in external functions");
        }

        throw new AbiException($"ABI type \"{name}\" in \"{text}\" is not a Solidity type (uint<M>, int<M>, address, bool, bytes<M>, bytes, string, function)");
    }

    private static bool TryBits(ReadOnlySpan<char> digits, out int bits) =>
        int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out bits)
        && digits[0] != '0' && bits is >= 8 and <= 256 && bits % 8 == 0;

    private static AbiType Integer(AbiTypeKind kind, int bits) =>
        bits == 256 && kind == AbiTypeKind.UInt
            ? UInt256
            : new AbiType(kind, bits, null, 0, NoComponents, NoNames, (kind == AbiTypeKind.UInt ? "uint" : "int") + bits.ToString(CultureInfo.InvariantCulture));
}
