using System.Buffers.Binary;
using System.Numerics;

namespace Trellis.Evm.Precompiles;

/// <summary>
/// RIPEMD-160 (Dobbertin, Bosselaers, Preneel, "RIPEMD-160: A Strengthened Version of RIPEMD", 1996).
/// .NET has no implementation, so this follows the paper's description: two parallel lines of five rounds of
/// sixteen steps over little-endian 32-bit words, with MD4-style padding.
/// </summary>
internal static class Ripemd160
{
    /// <summary>Digest size in bytes.</summary>
    public const int HashSize = 20;

    // Message word selection for the left (R) and right (RPrime) lines, steps 0..79.
    private static ReadOnlySpan<byte> R =>
    [
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
        7, 4, 13, 1, 10, 6, 15, 3, 12, 0, 9, 5, 2, 14, 11, 8,
        3, 10, 14, 4, 9, 15, 8, 1, 2, 7, 0, 6, 13, 11, 5, 12,
        1, 9, 11, 10, 0, 8, 12, 4, 13, 3, 7, 15, 14, 5, 6, 2,
        4, 0, 5, 9, 7, 12, 2, 10, 14, 1, 3, 8, 11, 6, 15, 13,
    ];

    private static ReadOnlySpan<byte> RPrime =>
    [
        5, 14, 7, 0, 9, 2, 11, 4, 13, 6, 15, 8, 1, 10, 3, 12,
        6, 11, 3, 7, 0, 13, 5, 10, 14, 15, 8, 12, 4, 9, 1, 2,
        15, 5, 1, 3, 7, 14, 6, 9, 11, 8, 12, 2, 10, 0, 4, 13,
        8, 6, 4, 1, 3, 11, 15, 0, 5, 12, 2, 13, 9, 7, 10, 14,
        12, 15, 10, 4, 1, 5, 8, 7, 6, 2, 13, 14, 0, 3, 9, 11,
    ];

    // Left rotation amounts for the left (S) and right (SPrime) lines.
    private static ReadOnlySpan<byte> S =>
    [
        11, 14, 15, 12, 5, 8, 7, 9, 11, 13, 14, 15, 6, 7, 9, 8,
        7, 6, 8, 13, 11, 9, 7, 15, 7, 12, 15, 9, 11, 7, 13, 12,
        11, 13, 6, 7, 14, 9, 13, 15, 14, 8, 13, 6, 5, 12, 7, 5,
        11, 12, 14, 15, 14, 15, 9, 8, 9, 14, 5, 6, 8, 6, 5, 12,
        9, 15, 5, 11, 6, 8, 13, 12, 5, 12, 13, 14, 11, 8, 5, 6,
    ];

    private static ReadOnlySpan<byte> SPrime =>
    [
        8, 9, 9, 11, 13, 15, 15, 5, 7, 7, 8, 11, 14, 14, 12, 6,
        9, 13, 15, 7, 12, 8, 9, 11, 7, 7, 12, 7, 6, 15, 13, 11,
        9, 7, 15, 11, 8, 6, 6, 14, 12, 13, 5, 14, 13, 13, 7, 5,
        15, 5, 8, 11, 14, 14, 6, 14, 6, 9, 12, 9, 12, 5, 15, 8,
        8, 5, 12, 9, 12, 5, 14, 6, 8, 13, 6, 5, 15, 13, 11, 11,
    ];

    private static ReadOnlySpan<uint> K => [0x00000000u, 0x5A827999u, 0x6ED9EBA1u, 0x8F1BBCDCu, 0xA953FD4Eu];

    private static ReadOnlySpan<uint> KPrime => [0x50A28BE6u, 0x5C4DD124u, 0x6D703EF3u, 0x7A6D76E9u, 0x00000000u];

    /// <summary>Writes RIPEMD-160 of <paramref name="data"/> into the first 20 bytes of <paramref name="destination"/>.</summary>
    public static void HashData(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        if (destination.Length < HashSize)
        {
            throw new ArgumentException($"RIPEMD-160 destination has {destination.Length} bytes; it needs {HashSize}", nameof(destination));
        }

        Span<uint> h = [0x67452301u, 0xEFCDAB89u, 0x98BADCFEu, 0x10325476u, 0xC3D2E1F0u];
        Span<uint> x = stackalloc uint[16];

        var fullBlocks = data.Length / 64;
        for (var b = 0; b < fullBlocks; b++)
        {
            LoadBlock(data.Slice(b * 64, 64), x);
            Compress(h, x);
        }

        // Padding: 0x80, zeros, then the message length in bits as a little-endian 64-bit value.
        Span<byte> tail = stackalloc byte[128];
        tail.Clear();
        var rest = data[(fullBlocks * 64)..];
        rest.CopyTo(tail);
        tail[rest.Length] = 0x80;
        var tailLength = rest.Length < 56 ? 64 : 128;
        BinaryPrimitives.WriteUInt64LittleEndian(tail.Slice(tailLength - 8, 8), (ulong)data.Length * 8);
        for (var offset = 0; offset < tailLength; offset += 64)
        {
            LoadBlock(tail.Slice(offset, 64), x);
            Compress(h, x);
        }

        for (var i = 0; i < 5; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(destination.Slice(i * 4, 4), h[i]);
        }
    }

    /// <summary>RIPEMD-160 of <paramref name="data"/> as a new 20-byte array.</summary>
    public static byte[] HashData(ReadOnlySpan<byte> data)
    {
        var digest = new byte[HashSize];
        HashData(data, digest);
        return digest;
    }

    private static void LoadBlock(ReadOnlySpan<byte> block, Span<uint> x)
    {
        for (var i = 0; i < 16; i++)
        {
            x[i] = BinaryPrimitives.ReadUInt32LittleEndian(block.Slice(i * 4, 4));
        }
    }

    private static void Compress(Span<uint> h, ReadOnlySpan<uint> x)
    {
        uint a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
        uint a2 = h[0], b2 = h[1], c2 = h[2], d2 = h[3], e2 = h[4];
        for (var j = 0; j < 80; j++)
        {
            var round = j >> 4;
            var t = BitOperations.RotateLeft(a + F(round, b, c, d) + x[R[j]] + K[round], S[j]) + e;
            a = e;
            e = d;
            d = BitOperations.RotateLeft(c, 10);
            c = b;
            b = t;

            // The right line uses the boolean functions in reverse order.
            t = BitOperations.RotateLeft(a2 + F(4 - round, b2, c2, d2) + x[RPrime[j]] + KPrime[round], SPrime[j]) + e2;
            a2 = e2;
            e2 = d2;
            d2 = BitOperations.RotateLeft(c2, 10);
            c2 = b2;
            b2 = t;
        }

        var combined = h[1] + c + d2;
        h[1] = h[2] + d + e2;
        h[2] = h[3] + e + a2;
        h[3] = h[4] + a + b2;
        h[4] = h[0] + b + c2;
        h[0] = combined;
    }

    private static uint F(int round, uint x, uint y, uint z) => round switch
    {
        0 => x ^ y ^ z,
        1 => (x & y) | (~x & z),
        2 => (x | ~y) ^ z,
        3 => (x & z) | (y & ~z),
        _ => x ^ (y | ~z),
    };
}
