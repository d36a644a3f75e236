namespace Trellis.State.Trie;

/// <summary>Key nibbles and the hex-prefix encoding of trie paths (yellow paper, appendix C).</summary>
internal static class Nibbles
{
    /// <summary>Writes the two nibbles of each key byte, high nibble first.</summary>
    public static void FromBytes(ReadOnlySpan<byte> key, Span<byte> destination)
    {
        for (int i = 0; i < key.Length; i++)
        {
            destination[2 * i] = (byte)(key[i] >> 4);
            destination[(2 * i) + 1] = (byte)(key[i] & 0x0f);
        }
    }

    /// <summary>The length of the common prefix of two nibble runs.</summary>
    public static int CommonPrefixLength(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => a.CommonPrefixLength(b);

    /// <summary>Bytes needed to hex-prefix encode <paramref name="nibbleCount"/> nibbles.</summary>
    public static int EncodedLength(int nibbleCount) => (nibbleCount / 2) + 1;

    /// <summary>
    /// Hex-prefix encodes a nibble path: the first nibble is the flag (2 for a leaf, plus 1 for an odd length),
    /// followed by a padding zero nibble for an even length, then the path.
    /// </summary>
    public static void EncodeHexPrefix(ReadOnlySpan<byte> nibbles, bool isLeaf, Span<byte> destination)
    {
        int flag = isLeaf ? 2 : 0;
        int next = 0;
        if ((nibbles.Length & 1) == 1)
        {
            destination[0] = (byte)(((flag | 1) << 4) | nibbles[0]);
            next = 1;
        }
        else
        {
            destination[0] = (byte)(flag << 4);
        }

        for (int i = 1; next < nibbles.Length; i++, next += 2)
        {
            destination[i] = (byte)((nibbles[next] << 4) | nibbles[next + 1]);
        }
    }

    /// <summary>Decodes a hex-prefix path; returns null (with a reason) if the encoding is not valid.</summary>
    public static byte[]? DecodeHexPrefix(ReadOnlySpan<byte> encoded, out bool isLeaf, out string? error)
    {
        isLeaf = false;
        if (encoded.Length == 0)
        {
            error = "hex-prefix path is empty (it needs at least the flag byte)";
            return null;
        }

        int flag = encoded[0] >> 4;
        if (flag > 3)
        {
            error = $"hex-prefix flag nibble is {flag}, must be 0 to 3";
            return null;
        }

        isLeaf = (flag & 2) != 0;
        bool odd = (flag & 1) != 0;
        if (!odd && (encoded[0] & 0x0f) != 0)
        {
            error = $"hex-prefix first byte 0x{encoded[0]:x2} of an even-length path must have a zero padding nibble";
            return null;
        }

        var nibbles = new byte[((encoded.Length - 1) * 2) + (odd ? 1 : 0)];
        int n = 0;
        if (odd)
        {
            nibbles[n++] = (byte)(encoded[0] & 0x0f);
        }

        for (int i = 1; i < encoded.Length; i++)
        {
            nibbles[n++] = (byte)(encoded[i] >> 4);
            nibbles[n++] = (byte)(encoded[i] & 0x0f);
        }

        error = null;
        return nibbles;
    }

    /// <summary>Formats nibbles for error messages, e.g. <c>"a0f"</c>, or <c>"(root)"</c> for none.</summary>
    public static string Format(ReadOnlySpan<byte> nibbles)
    {
        if (nibbles.Length == 0)
        {
            return "(root)";
        }

        return string.Create(nibbles.Length, nibbles.ToArray(), static (chars, n) =>
        {
            for (int i = 0; i < n.Length; i++)
            {
                chars[i] = "0123456789abcdef"[n[i]];
            }
        });
    }

    /// <summary>Concatenates two nibble runs, with an optional single nibble between them.</summary>
    public static byte[] Concat(ReadOnlySpan<byte> first, int middle, ReadOnlySpan<byte> last)
    {
        int middleLength = middle >= 0 ? 1 : 0;
        var result = new byte[first.Length + middleLength + last.Length];
        first.CopyTo(result);
        if (middleLength == 1)
        {
            result[first.Length] = (byte)middle;
        }

        last.CopyTo(result.AsSpan(first.Length + middleLength));
        return result;
    }
}
