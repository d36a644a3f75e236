using System.Buffers.Binary;
using System.Numerics;

namespace Trellis.Evm.Precompiles;

/// <summary>
/// Precompile 0x09 (EIP-152): the BLAKE2b compression function F with a caller-chosen number of rounds.
/// Input is exactly 213 bytes: rounds (4, big-endian), h (64), m (128), t (16), final flag (1, must be 0 or 1).
/// Gas equals the number of rounds.
/// </summary>
public sealed class Blake2FPrecompile : Precompile
{
    /// <summary>The only accepted input length.</summary>
    public const int InputLength = 213;

    private static ReadOnlySpan<ulong> Iv =>
    [
        0x6a09e667f3bcc908UL, 0xbb67ae8584caa73bUL, 0x3c6ef372fe94f82bUL, 0xa54ff53a5f1d36f1UL,
        0x510e527fade682d1UL, 0x9b05688c2b3e6c1fUL, 0x1f83d9abfb41bd6bUL, 0x5be0cd19137e2179UL,
    ];

    // Message schedule (RFC 7693, section 2.7); round i uses row i mod 10.
    private static ReadOnlySpan<byte> Sigma =>
    [
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
        14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3,
        11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4,
        7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8,
        9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13,
        2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9,
        12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11,
        13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10,
        6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5,
        10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0,
    ];

    /// <inheritdoc />
    public override int AddressByte => 0x09;

    /// <inheritdoc />
    public override string Name => "BLAKE2F";

    /// <inheritdoc />
    public override long RequiredGas(ReadOnlySpan<byte> input) =>
        input.Length == InputLength ? BinaryPrimitives.ReadUInt32BigEndian(input) : 0;

    /// <inheritdoc />
    public override bool TryRun(ReadOnlySpan<byte> input, out byte[] output)
    {
        output = [];
        if (input.Length != InputLength || input[212] > 1)
        {
            return false;
        }

        var rounds = BinaryPrimitives.ReadUInt32BigEndian(input);
        Span<ulong> h = stackalloc ulong[8];
        Span<ulong> m = stackalloc ulong[16];
        for (var i = 0; i < 8; i++)
        {
            h[i] = BinaryPrimitives.ReadUInt64LittleEndian(input.Slice(4 + (i * 8), 8));
        }

        for (var i = 0; i < 16; i++)
        {
            m[i] = BinaryPrimitives.ReadUInt64LittleEndian(input.Slice(68 + (i * 8), 8));
        }

        var t0 = BinaryPrimitives.ReadUInt64LittleEndian(input.Slice(196, 8));
        var t1 = BinaryPrimitives.ReadUInt64LittleEndian(input.Slice(204, 8));
        Compress(rounds, h, m, t0, t1, input[212] == 1);

        output = new byte[64];
        for (var i = 0; i < 8; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(output.AsSpan(i * 8, 8), h[i]);
        }

        return true;
    }

    /// <summary>BLAKE2b compression F (RFC 7693, section 3.2) with <paramref name="rounds"/> rounds, updating h in place.</summary>
    internal static void Compress(uint rounds, Span<ulong> h, ReadOnlySpan<ulong> m, ulong t0, ulong t1, bool final)
    {
        ulong v0 = h[0], v1 = h[1], v2 = h[2], v3 = h[3], v4 = h[4], v5 = h[5], v6 = h[6], v7 = h[7];
        ulong v8 = Iv[0], v9 = Iv[1], v10 = Iv[2], v11 = Iv[3];
        var v12 = Iv[4] ^ t0;
        var v13 = Iv[5] ^ t1;
        var v14 = final ? ~Iv[6] : Iv[6];
        var v15 = Iv[7];
        var sigma = Sigma;

        for (uint r = 0; r < rounds; r++)
        {
            var s = sigma.Slice((int)(r % 10) * 16, 16);
            Mix(ref v0, ref v4, ref v8, ref v12, m[s[0]], m[s[1]]);
            Mix(ref v1, ref v5, ref v9, ref v13, m[s[2]], m[s[3]]);
            Mix(ref v2, ref v6, ref v10, ref v14, m[s[4]], m[s[5]]);
            Mix(ref v3, ref v7, ref v11, ref v15, m[s[6]], m[s[7]]);
            Mix(ref v0, ref v5, ref v10, ref v15, m[s[8]], m[s[9]]);
            Mix(ref v1, ref v6, ref v11, ref v12, m[s[10]], m[s[11]]);
            Mix(ref v2, ref v7, ref v8, ref v13, m[s[12]], m[s[13]]);
            Mix(ref v3, ref v4, ref v9, ref v14, m[s[14]], m[s[15]]);
        }

        h[0] ^= v0 ^ v8;
        h[1] ^= v1 ^ v9;
        h[2] ^= v2 ^ v10;
        h[3] ^= v3 ^ v11;
        h[4] ^= v4 ^ v12;
        h[5] ^= v5 ^ v13;
        h[6] ^= v6 ^ v14;
        h[7] ^= v7 ^ v15;
    }

    private static void Mix(ref ulong a, ref ulong b, ref ulong c, ref ulong d, ulong x, ulong y)
    {
        a = a + b + x;
        d = BitOperations.RotateRight(d ^ a, 32);
        c += d;
        b = BitOperations.RotateRight(b ^ c, 24);
        a = a + b + y;
        d = BitOperations.RotateRight(d ^ a, 16);
        c += d;
        b = BitOperations.RotateRight(b ^ c, 63);
    }
}
