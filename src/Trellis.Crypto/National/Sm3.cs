using System.Buffers.Binary;

namespace Trellis.Crypto.National;

/// <summary>
/// SM3 cryptographic hash (GB/T 32905-2016): 256-bit digest over 512-bit blocks.
/// </summary>
public static class Sm3
{
    /// <summary>Length of an SM3 digest in bytes.</summary>
    public const int HashLength = 32;

    /// <summary>Length of an SM3 message block in bytes.</summary>
    internal const int BlockLength = 64;

    /// <summary>Hashes <paramref name="data"/> and returns the 32-byte digest.</summary>
    public static byte[] Hash(ReadOnlySpan<byte> data)
    {
        var output = new byte[HashLength];
        Hash(data, output);
        return output;
    }

    /// <summary>Hashes <paramref name="data"/> into <paramref name="output32"/> (at least 32 bytes).</summary>
    public static void Hash(ReadOnlySpan<byte> data, Span<byte> output32)
    {
        if (output32.Length < HashLength)
        {
            throw new ArgumentException($"SM3 output buffer has {output32.Length} bytes; it needs at least {HashLength}", nameof(output32));
        }

        Span<uint> state = stackalloc uint[8];
        Sm3Hasher.InitializeState(state);

        // Whole blocks straight from the input: no copying for long messages.
        var wholeLength = data.Length & ~(BlockLength - 1);
        if (wholeLength > 0)
        {
            Sm3Hasher.Compress(state, data[..wholeLength]);
        }

        // Padding: 0x80, zeros, then the 64-bit big-endian bit length, in one or two final blocks.
        var tail = data[wholeLength..];
        Span<byte> last = stackalloc byte[2 * BlockLength];
        last.Clear();
        tail.CopyTo(last);
        last[tail.Length] = 0x80;
        var finalLength = tail.Length < BlockLength - 8 ? BlockLength : 2 * BlockLength;
        BinaryPrimitives.WriteUInt64BigEndian(last.Slice(finalLength - 8), (ulong)data.Length * 8);
        Sm3Hasher.Compress(state, last[..finalLength]);

        for (var i = 0; i < 8; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(output32.Slice(i * 4), state[i]);
        }
    }
}
