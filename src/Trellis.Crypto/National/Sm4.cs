using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Trellis.Crypto.National;

/// <summary>
/// The SM4 block cipher (GB/T 32907-2016): 128-bit blocks, 128-bit keys, 32 rounds.
/// An instance holds the expanded key and is safe to share between threads.
/// </summary>
/// <remarks>
/// Rounds use four 1 KiB lookup tables that fold the S-box and the linear transform L together, so lookups are
/// indexed by secret data (a cache-timing side channel on shared hardware, as for table-based AES).
/// </remarks>
public sealed class Sm4
{
    /// <summary>Block length in bytes.</summary>
    public const int BlockSize = 16;

    /// <summary>Key length in bytes.</summary>
    public const int KeySize = 16;

    private const int Rounds = 32;

    private readonly RoundKeys _encryptionKeys;
    private readonly RoundKeys _decryptionKeys;

    /// <summary>Expands <paramref name="key"/> into the 32 round keys.</summary>
    /// <exception cref="ArgumentException">The key is not 16 bytes.</exception>
    public Sm4(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeySize)
        {
            throw new ArgumentException($"SM4 key must be {KeySize} bytes, got {key.Length}", nameof(key));
        }

        ExpandKey(key, out _encryptionKeys);
        for (var i = 0; i < Rounds; i++)
        {
            // Decryption is the same network with the round keys in reverse order.
            _decryptionKeys[i] = _encryptionKeys[Rounds - 1 - i];
        }
    }

    /// <summary>Encrypts one 16-byte block. <paramref name="input"/> and <paramref name="output"/> may be the same buffer.</summary>
    /// <exception cref="ArgumentException">Either buffer is not 16 bytes.</exception>
    public void EncryptBlock(ReadOnlySpan<byte> input, Span<byte> output)
    {
        CheckBlocks(input, output);
        ProcessBlock(in _encryptionKeys, input, output);
    }

    /// <summary>Decrypts one 16-byte block. <paramref name="input"/> and <paramref name="output"/> may be the same buffer.</summary>
    /// <exception cref="ArgumentException">Either buffer is not 16 bytes.</exception>
    public void DecryptBlock(ReadOnlySpan<byte> input, Span<byte> output)
    {
        CheckBlocks(input, output);
        ProcessBlock(in _decryptionKeys, input, output);
    }

    /// <summary>
    /// Key schedule: K = MK xor FK, then rk[i] = K[i] xor T'(K[i+1] xor K[i+2] xor K[i+3] xor CK[i]),
    /// where T' is the S-box followed by L'(B) = B xor (B &lt;&lt;&lt; 13) xor (B &lt;&lt;&lt; 23).
    /// </summary>
    internal static void ExpandKey(ReadOnlySpan<byte> key, out RoundKeys roundKeys)
    {
        roundKeys = default;
        var k0 = BinaryPrimitives.ReadUInt32BigEndian(key) ^ 0xA3B1BAC6u;
        var k1 = BinaryPrimitives.ReadUInt32BigEndian(key[4..]) ^ 0x56AA3350u;
        var k2 = BinaryPrimitives.ReadUInt32BigEndian(key[8..]) ^ 0x677D9197u;
        var k3 = BinaryPrimitives.ReadUInt32BigEndian(key[12..]) ^ 0xB27022DCu;
        for (var i = 0; i < Rounds; i++)
        {
            var b = Substitute(k1 ^ k2 ^ k3 ^ SystemParameter(i));
            var next = k0 ^ b ^ BitOperations.RotateLeft(b, 13) ^ BitOperations.RotateLeft(b, 23);
            roundKeys[i] = next;
            k0 = k1;
            k1 = k2;
            k2 = k3;
            k3 = next;
        }
    }

    /// <summary>Runs the 32 rounds and the final reverse transform R with the given round-key order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void ProcessBlock(ref readonly RoundKeys roundKeys, ReadOnlySpan<byte> input, Span<byte> output)
    {
        var x0 = BinaryPrimitives.ReadUInt32BigEndian(input);
        var x1 = BinaryPrimitives.ReadUInt32BigEndian(input[4..]);
        var x2 = BinaryPrimitives.ReadUInt32BigEndian(input[8..]);
        var x3 = BinaryPrimitives.ReadUInt32BigEndian(input[12..]);
        ref var rk = ref Unsafe.AsRef(in roundKeys[0]);
        ref var table = ref MemoryMarshal.GetArrayDataReference(s_roundTable);
        for (var i = 0; i < Rounds; i += 4)
        {
            x0 ^= RoundFunction(ref table, x1 ^ x2 ^ x3 ^ Unsafe.Add(ref rk, i));
            x1 ^= RoundFunction(ref table, x2 ^ x3 ^ x0 ^ Unsafe.Add(ref rk, i + 1));
            x2 ^= RoundFunction(ref table, x3 ^ x0 ^ x1 ^ Unsafe.Add(ref rk, i + 2));
            x3 ^= RoundFunction(ref table, x0 ^ x1 ^ x2 ^ Unsafe.Add(ref rk, i + 3));
        }

        BinaryPrimitives.WriteUInt32BigEndian(output, x3);
        BinaryPrimitives.WriteUInt32BigEndian(output[4..], x2);
        BinaryPrimitives.WriteUInt32BigEndian(output[8..], x1);
        BinaryPrimitives.WriteUInt32BigEndian(output[12..], x0);
    }

    /// <summary>
    /// Encrypts or decrypts four independent blocks (64 bytes) with their rounds interleaved: a single block is a
    /// chain of dependent table lookups, so running four side by side keeps the load units busy (counter mode).
    /// </summary>
    internal static void ProcessFourBlocks(ref readonly RoundKeys roundKeys, ReadOnlySpan<byte> input, Span<byte> output)
    {
        input = input[..(4 * BlockSize)];
        output = output[..(4 * BlockSize)];
        var a0 = BinaryPrimitives.ReadUInt32BigEndian(input);
        var a1 = BinaryPrimitives.ReadUInt32BigEndian(input[4..]);
        var a2 = BinaryPrimitives.ReadUInt32BigEndian(input[8..]);
        var a3 = BinaryPrimitives.ReadUInt32BigEndian(input[12..]);
        var b0 = BinaryPrimitives.ReadUInt32BigEndian(input[16..]);
        var b1 = BinaryPrimitives.ReadUInt32BigEndian(input[20..]);
        var b2 = BinaryPrimitives.ReadUInt32BigEndian(input[24..]);
        var b3 = BinaryPrimitives.ReadUInt32BigEndian(input[28..]);
        var c0 = BinaryPrimitives.ReadUInt32BigEndian(input[32..]);
        var c1 = BinaryPrimitives.ReadUInt32BigEndian(input[36..]);
        var c2 = BinaryPrimitives.ReadUInt32BigEndian(input[40..]);
        var c3 = BinaryPrimitives.ReadUInt32BigEndian(input[44..]);
        var d0 = BinaryPrimitives.ReadUInt32BigEndian(input[48..]);
        var d1 = BinaryPrimitives.ReadUInt32BigEndian(input[52..]);
        var d2 = BinaryPrimitives.ReadUInt32BigEndian(input[56..]);
        var d3 = BinaryPrimitives.ReadUInt32BigEndian(input[60..]);
        ref var rk = ref Unsafe.AsRef(in roundKeys[0]);
        ref var table = ref MemoryMarshal.GetArrayDataReference(s_roundTable);
        for (var i = 0; i < Rounds; i += 4)
        {
            var k = Unsafe.Add(ref rk, i);
            a0 ^= RoundFunction(ref table, a1 ^ a2 ^ a3 ^ k);
            b0 ^= RoundFunction(ref table, b1 ^ b2 ^ b3 ^ k);
            c0 ^= RoundFunction(ref table, c1 ^ c2 ^ c3 ^ k);
            d0 ^= RoundFunction(ref table, d1 ^ d2 ^ d3 ^ k);
            k = Unsafe.Add(ref rk, i + 1);
            a1 ^= RoundFunction(ref table, a2 ^ a3 ^ a0 ^ k);
            b1 ^= RoundFunction(ref table, b2 ^ b3 ^ b0 ^ k);
            c1 ^= RoundFunction(ref table, c2 ^ c3 ^ c0 ^ k);
            d1 ^= RoundFunction(ref table, d2 ^ d3 ^ d0 ^ k);
            k = Unsafe.Add(ref rk, i + 2);
            a2 ^= RoundFunction(ref table, a3 ^ a0 ^ a1 ^ k);
            b2 ^= RoundFunction(ref table, b3 ^ b0 ^ b1 ^ k);
            c2 ^= RoundFunction(ref table, c3 ^ c0 ^ c1 ^ k);
            d2 ^= RoundFunction(ref table, d3 ^ d0 ^ d1 ^ k);
            k = Unsafe.Add(ref rk, i + 3);
            a3 ^= RoundFunction(ref table, a0 ^ a1 ^ a2 ^ k);
            b3 ^= RoundFunction(ref table, b0 ^ b1 ^ b2 ^ k);
            c3 ^= RoundFunction(ref table, c0 ^ c1 ^ c2 ^ k);
            d3 ^= RoundFunction(ref table, d0 ^ d1 ^ d2 ^ k);
        }

        BinaryPrimitives.WriteUInt32BigEndian(output, a3);
        BinaryPrimitives.WriteUInt32BigEndian(output[4..], a2);
        BinaryPrimitives.WriteUInt32BigEndian(output[8..], a1);
        BinaryPrimitives.WriteUInt32BigEndian(output[12..], a0);
        BinaryPrimitives.WriteUInt32BigEndian(output[16..], b3);
        BinaryPrimitives.WriteUInt32BigEndian(output[20..], b2);
        BinaryPrimitives.WriteUInt32BigEndian(output[24..], b1);
        BinaryPrimitives.WriteUInt32BigEndian(output[28..], b0);
        BinaryPrimitives.WriteUInt32BigEndian(output[32..], c3);
        BinaryPrimitives.WriteUInt32BigEndian(output[36..], c2);
        BinaryPrimitives.WriteUInt32BigEndian(output[40..], c1);
        BinaryPrimitives.WriteUInt32BigEndian(output[44..], c0);
        BinaryPrimitives.WriteUInt32BigEndian(output[48..], d3);
        BinaryPrimitives.WriteUInt32BigEndian(output[52..], d2);
        BinaryPrimitives.WriteUInt32BigEndian(output[56..], d1);
        BinaryPrimitives.WriteUInt32BigEndian(output[60..], d0);
    }

    /// <summary>Zeroes expanded key material held on the stack.</summary>
    internal static void Clear(ref RoundKeys roundKeys) =>
        CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(MemoryMarshal.CreateSpan(ref roundKeys[0], Rounds)));

    /// <summary>T = L(tau(x)) in one step: each table entry is L applied to one S-box output in its byte lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint RoundFunction(ref uint table, uint x) =>
        Unsafe.Add(ref table, (int)(x >> 24))
        ^ Unsafe.Add(ref table, 256 + (int)((x >> 16) & 0xFF))
        ^ Unsafe.Add(ref table, 512 + (int)((x >> 8) & 0xFF))
        ^ Unsafe.Add(ref table, 768 + (int)(x & 0xFF));

    private static uint Substitute(uint x)
    {
        var sbox = SBox;
        return ((uint)sbox[(int)(x >> 24)] << 24)
            | ((uint)sbox[(int)((x >> 16) & 0xFF)] << 16)
            | ((uint)sbox[(int)((x >> 8) & 0xFF)] << 8)
            | sbox[(int)(x & 0xFF)];
    }

    /// <summary>CK[i]: byte j of the word is (4i + j) * 7 mod 256.</summary>
    private static uint SystemParameter(int i)
    {
        var word = 0u;
        for (var j = 0; j < 4; j++)
        {
            word = (word << 8) | (uint)(((4 * i) + j) * 7 & 0xFF);
        }

        return word;
    }

    private static void CheckBlocks(ReadOnlySpan<byte> input, Span<byte> output)
    {
        if (input.Length != BlockSize)
        {
            throw new ArgumentException($"SM4 input block must be {BlockSize} bytes, got {input.Length}", nameof(input));
        }

        if (output.Length != BlockSize)
        {
            throw new ArgumentException($"SM4 output block must be {BlockSize} bytes, got {output.Length}", nameof(output));
        }
    }

    /// <summary>Four tables of 256 words: table t holds L(S[b] &lt;&lt; 24) rotated right by 8t bits.</summary>
    private static readonly uint[] s_roundTable = BuildRoundTable();

    private static uint[] BuildRoundTable()
    {
        var table = new uint[4 * 256];
        var sbox = SBox;
        for (var b = 0; b < 256; b++)
        {
            var s = (uint)sbox[b] << 24;
            // L(B) = B xor (B <<< 2) xor (B <<< 10) xor (B <<< 18) xor (B <<< 24); L commutes with rotation,
            // so the tables for the other byte lanes are rotations of the first.
            var l = s ^ BitOperations.RotateLeft(s, 2) ^ BitOperations.RotateLeft(s, 10)
                ^ BitOperations.RotateLeft(s, 18) ^ BitOperations.RotateLeft(s, 24);
            for (var t = 0; t < 4; t++)
            {
                table[(t * 256) + b] = BitOperations.RotateRight(l, 8 * t);
            }
        }

        return table;
    }

    /// <summary>The SM4 S-box (GB/T 32907-2016, table 1).</summary>
    private static ReadOnlySpan<byte> SBox =>
    [
        0xd6, 0x90, 0xe9, 0xfe, 0xcc, 0xe1, 0x3d, 0xb7, 0x16, 0xb6, 0x14, 0xc2, 0x28, 0xfb, 0x2c, 0x05,
        0x2b, 0x67, 0x9a, 0x76, 0x2a, 0xbe, 0x04, 0xc3, 0xaa, 0x44, 0x13, 0x26, 0x49, 0x86, 0x06, 0x99,
        0x9c, 0x42, 0x50, 0xf4, 0x91, 0xef, 0x98, 0x7a, 0x33, 0x54, 0x0b, 0x43, 0xed, 0xcf, 0xac, 0x62,
        0xe4, 0xb3, 0x1c, 0xa9, 0xc9, 0x08, 0xe8, 0x95, 0x80, 0xdf, 0x94, 0xfa, 0x75, 0x8f, 0x3f, 0xa6,
        0x47, 0x07, 0xa7, 0xfc, 0xf3, 0x73, 0x17, 0xba, 0x83, 0x59, 0x3c, 0x19, 0xe6, 0x85, 0x4f, 0xa8,
        0x68, 0x6b, 0x81, 0xb2, 0x71, 0x64, 0xda, 0x8b, 0xf8, 0xeb, 0x0f, 0x4b, 0x70, 0x56, 0x9d, 0x35,
        0x1e, 0x24, 0x0e, 0x5e, 0x63, 0x58, 0xd1, 0xa2, 0x25, 0x22, 0x7c, 0x3b, 0x01, 0x21, 0x78, 0x87,
        0xd4, 0x00, 0x46, 0x57, 0x9f, 0xd3, 0x27, 0x52, 0x4c, 0x36, 0x02, 0xe7, 0xa0, 0xc4, 0xc8, 0x9e,
        0xea, 0xbf, 0x8a, 0xd2, 0x40, 0xc7, 0x38, 0xb5, 0xa3, 0xf7, 0xf2, 0xce, 0xf9, 0x61, 0x15, 0xa1,
        0xe0, 0xae, 0x5d, 0xa4, 0x9b, 0x34, 0x1a, 0x55, 0xad, 0x93, 0x32, 0x30, 0xf5, 0x8c, 0xb1, 0xe3,
        0x1d, 0xf6, 0xe2, 0x2e, 0x82, 0x66, 0xca, 0x60, 0xc0, 0x29, 0x23, 0xab, 0x0d, 0x53, 0x4e, 0x6f,
        0xd5, 0xdb, 0x37, 0x45, 0xde, 0xfd, 0x8e, 0x2f, 0x03, 0xff, 0x6a, 0x72, 0x6d, 0x6c, 0x5b, 0x51,
        0x8d, 0x1b, 0xaf, 0x92, 0xbb, 0xdd, 0xbc, 0x7f, 0x11, 0xd9, 0x5c, 0x41, 0x1f, 0x10, 0x5a, 0xd8,
        0x0a, 0xc1, 0x31, 0x88, 0xa5, 0xcd, 0x7b, 0xbd, 0x2d, 0x74, 0xd0, 0x12, 0xb8, 0xe5, 0xb4, 0xb0,
        0x89, 0x69, 0x97, 0x4a, 0x0c, 0x96, 0x77, 0x7e, 0x65, 0xb9, 0xf1, 0x09, 0xc5, 0x6e, 0xc6, 0x84,
        0x18, 0xf0, 0x7d, 0xec, 0x3a, 0xdc, 0x4d, 0x20, 0x79, 0xee, 0x5f, 0x3e, 0xd7, 0xcb, 0x39, 0x48,
    ];

    /// <summary>The 32 round keys, inline so a one-shot cipher can keep them on the stack.</summary>
    [InlineArray(Rounds)]
    internal struct RoundKeys
    {
        private uint _element;
    }
}
