using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;

namespace Trellis.Crypto.Gcm;

/// <summary>
/// Galois/Counter Mode (NIST SP 800-38D) over any 128-bit block cipher, for 96-bit nonces and 128-bit tags:
/// J0 = nonce || 0^31 || 1, C = GCTR(inc32(J0), P), T = E_K(J0) xor GHASH_H(A, C) with H = E_K(0^128).
/// Arguments are validated by the caller (<see cref="GcmArguments"/>).
/// </summary>
internal static class GcmMode
{
    public const int BlockSize = 16;
    public const int NonceSize = 12;
    public const int TagSize = 16;

    /// <summary>Counter blocks are encrypted four at a time so the cipher can interleave them.</summary>
    private const int StrideSize = 4 * BlockSize;

    /// <summary>Encryption hashes the ciphertext in chunks of this size, right after producing each, while it is in cache.</summary>
    private const int ChunkSize = 4096;

    /// <summary>Encrypts and authenticates; <paramref name="ciphertext"/> may be the same buffer as <paramref name="plaintext"/>.</summary>
    public static void Encrypt<TCipher>(ref TCipher cipher, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext, Span<byte> tag, ReadOnlySpan<byte> associatedData)
        where TCipher : struct, IGcmBlockCipher
    {
        Span<byte> counter = stackalloc byte[BlockSize];
        Span<byte> tagMask = stackalloc byte[BlockSize];
        var ghash = Start(ref cipher, nonce, counter, tagMask);
        ghash.UpdatePadded(associatedData);
        for (var offset = 0; offset < plaintext.Length; offset += ChunkSize)
        {
            var length = Math.Min(ChunkSize, plaintext.Length - offset);
            var output = ciphertext.Slice(offset, length);
            ApplyKeyStream(ref cipher, counter, plaintext.Slice(offset, length), output);
            ghash.UpdatePadded(output);
        }

        FinishTag(ref ghash, associatedData.Length, plaintext.Length, tagMask, tag);
    }

    /// <summary>
    /// Verifies the tag over the associated data and ciphertext first and decrypts only if it matches; on a mismatch
    /// <paramref name="plaintext"/> is zeroed and the result is <see langword="false"/>.
    /// </summary>
    public static bool TryDecrypt<TCipher>(ref TCipher cipher, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, Span<byte> plaintext, ReadOnlySpan<byte> associatedData)
        where TCipher : struct, IGcmBlockCipher
    {
        Span<byte> counter = stackalloc byte[BlockSize];
        Span<byte> tagMask = stackalloc byte[BlockSize];
        var ghash = Start(ref cipher, nonce, counter, tagMask);
        ghash.UpdatePadded(associatedData);
        ghash.UpdatePadded(ciphertext);
        Span<byte> expectedTag = stackalloc byte[TagSize];
        FinishTag(ref ghash, associatedData.Length, ciphertext.Length, tagMask, expectedTag);
        if (!CryptographicOperations.FixedTimeEquals(expectedTag, tag))
        {
            CryptographicOperations.ZeroMemory(plaintext);
            return false;
        }

        ApplyKeyStream(ref cipher, counter, ciphertext, plaintext);
        return true;
    }

    /// <summary>Derives H, sets <paramref name="counter"/> to J0 and <paramref name="tagMask"/> to E_K(J0).</summary>
    private static GHash Start<TCipher>(ref TCipher cipher, ReadOnlySpan<byte> nonce, Span<byte> counter, Span<byte> tagMask)
        where TCipher : struct, IGcmBlockCipher
    {
        Span<byte> hashKey = stackalloc byte[BlockSize];
        hashKey.Clear();
        cipher.EncryptBlock(hashKey, hashKey);
        var ghash = new GHash(hashKey);
        CryptographicOperations.ZeroMemory(hashKey);

        nonce.CopyTo(counter);
        BinaryPrimitives.WriteUInt32BigEndian(counter[NonceSize..], 1);
        cipher.EncryptBlock(counter, tagMask);
        return ghash;
    }

    private static void FinishTag(ref GHash ghash, int associatedDataLength, int textLength, ReadOnlySpan<byte> tagMask, Span<byte> tag)
    {
        Span<byte> hash = stackalloc byte[BlockSize];
        ghash.Finish(associatedDataLength, textLength, hash);
        (Vector128.Create(hash) ^ Vector128.Create(tagMask)).CopyTo(tag);
    }

    /// <summary>
    /// GCTR: xors <paramref name="input"/> with E_K of the successive counter blocks after <paramref name="counter"/>
    /// (inc32: only the low 32 bits count, modulo 2^32), and leaves <paramref name="counter"/> at the last one used.
    /// </summary>
    private static void ApplyKeyStream<TCipher>(ref TCipher cipher, Span<byte> counter, ReadOnlySpan<byte> input, Span<byte> output)
        where TCipher : struct, IGcmBlockCipher
    {
        Span<byte> counters = stackalloc byte[StrideSize];
        Span<byte> keyStream = stackalloc byte[StrideSize];
        for (var block = 0; block < StrideSize; block += BlockSize)
        {
            counter[..NonceSize].CopyTo(counters[block..]);
        }

        var count = BinaryPrimitives.ReadUInt32BigEndian(counter[NonceSize..]);
        var offset = 0;
        for (; offset + StrideSize <= input.Length; offset += StrideSize)
        {
            count = NextCounters(counters, count);
            cipher.EncryptFourBlocks(counters, keyStream);
            XorStride(input.Slice(offset, StrideSize), keyStream, output.Slice(offset, StrideSize));
        }

        var remaining = input.Length - offset;
        if (remaining > 0)
        {
            // The last partial stride still encrypts four counters; those past the end of the input go unused.
            NextCounters(counters, count);
            count += (uint)((remaining + BlockSize - 1) / BlockSize);
            cipher.EncryptFourBlocks(counters, keyStream);
            for (var i = 0; i < remaining; i++)
            {
                output[offset + i] = (byte)(input[offset + i] ^ keyStream[i]);
            }
        }

        BinaryPrimitives.WriteUInt32BigEndian(counter[NonceSize..], count);
        CryptographicOperations.ZeroMemory(keyStream);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint NextCounters(Span<byte> counters, uint count)
    {
        BinaryPrimitives.WriteUInt32BigEndian(counters[12..], unchecked(count + 1));
        BinaryPrimitives.WriteUInt32BigEndian(counters[28..], unchecked(count + 2));
        BinaryPrimitives.WriteUInt32BigEndian(counters[44..], unchecked(count + 3));
        BinaryPrimitives.WriteUInt32BigEndian(counters[60..], unchecked(count + 4));
        return unchecked(count + 4);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void XorStride(ReadOnlySpan<byte> input, ReadOnlySpan<byte> keyStream, Span<byte> output)
    {
        (Vector128.Create(input) ^ Vector128.Create(keyStream)).CopyTo(output);
        (Vector128.Create(input[16..]) ^ Vector128.Create(keyStream[16..])).CopyTo(output[16..]);
        (Vector128.Create(input[32..]) ^ Vector128.Create(keyStream[32..])).CopyTo(output[32..]);
        (Vector128.Create(input[48..]) ^ Vector128.Create(keyStream[48..])).CopyTo(output[48..]);
    }
}
