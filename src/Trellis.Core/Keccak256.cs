using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Trellis.Core;

/// <summary>
/// Keccak-256 as used by Ethereum: the original Keccak submission with padding byte 0x01, which differs from
/// FIPS 202 SHA3-256 (padding 0x06). Rate 136 bytes, capacity 512 bits, 32-byte digest.
/// </summary>
public static class Keccak256
{
    /// <summary>The absorb rate in bytes (1600 - 2 * 256 bits).</summary>
    internal const int Rate = 136;

    /// <summary>The first padding byte of original Keccak (SHA3 uses 0x06).</summary>
    internal const byte KeccakPadding = 0x01;

    private const int RateLanes = Rate / 8;

    /// <summary>Hashes <paramref name="data"/>.</summary>
    public static Hash256 Hash(ReadOnlySpan<byte> data)
    {
        Span<byte> output = stackalloc byte[Hash256.Length];
        Hash(data, output);
        return new Hash256(output);
    }

    /// <summary>Hashes <paramref name="data"/> into <paramref name="output32"/> (at least 32 bytes).</summary>
    [SkipLocalsInit]
    public static void Hash(ReadOnlySpan<byte> data, Span<byte> output32) => HashWithPadding(data, output32, KeccakPadding);

    /// <summary>
    /// The sponge with a chosen domain padding byte: 0x01 is Keccak-256, 0x06 is FIPS 202 SHA3-256 (the same
    /// permutation and rate), which lets tests cross-check the sponge against OpenSSL builds that lack Keccak-256.
    /// </summary>
    [SkipLocalsInit]
    internal static void HashWithPadding(ReadOnlySpan<byte> data, Span<byte> output32, byte padding)
    {
        if (output32.Length < Hash256.Length)
        {
            throw new ArgumentException($"Keccak-256 output needs {Hash256.Length} bytes, got {output32.Length}", nameof(output32));
        }

        Span<ulong> state = stackalloc ulong[KeccakPermutation.Lanes];
        state.Clear();
        while (data.Length >= Rate)
        {
            AbsorbBlock(state, data);
            data = data[Rate..];
        }

        AbsorbFinal(state, data, padding);
        Squeeze(state, output32);
    }

    /// <summary>XORs one full 136-byte block into the state and permutes.</summary>
    internal static void AbsorbBlock(Span<ulong> state, ReadOnlySpan<byte> block)
    {
        block = block[..Rate];
        for (int i = 0; i < RateLanes; i++)
        {
            state[i] ^= BinaryPrimitives.ReadUInt64LittleEndian(block[(8 * i)..]);
        }

        KeccakPermutation.Permute(ref state[0]);
    }

    /// <summary>Pads the final partial block (fewer than 136 bytes) with padding ... 0x80, absorbs it and permutes.</summary>
    [SkipLocalsInit]
    internal static void AbsorbFinal(Span<ulong> state, ReadOnlySpan<byte> tail, byte padding)
    {
        Span<byte> block = stackalloc byte[Rate];
        tail.CopyTo(block);
        block[tail.Length..].Clear();
        block[tail.Length] ^= padding;
        block[Rate - 1] ^= 0x80;
        AbsorbBlock(state, block);
    }

    /// <summary>Writes the first 32 bytes of the state (little-endian lanes) to <paramref name="output"/>.</summary>
    internal static void Squeeze(ReadOnlySpan<ulong> state, Span<byte> output)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(output, state[0]);
        BinaryPrimitives.WriteUInt64LittleEndian(output[8..], state[1]);
        BinaryPrimitives.WriteUInt64LittleEndian(output[16..], state[2]);
        BinaryPrimitives.WriteUInt64LittleEndian(output[24..], state[3]);
    }
}
