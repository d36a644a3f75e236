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

    /// <summary>Encrypts and authenticates; <paramref name="ciphertext"/> may be the same buffer as <paramref name="plaintext"/>.</summary>
    public static void Encrypt<TCipher>(ref TCipher cipher, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext, Span<byte> tag, ReadOnlySpan<byte> associatedData)
        where TCipher : struct, IGcmBlockCipher
    {
        Span<byte> counter = stackalloc byte[BlockSize];
        Span<byte> tagMask = stackalloc byte[BlockSize];
        var ghash = Start(ref cipher, nonce, counter, tagMask);
        ghash.UpdatePadded(associatedData);

        // The ciphertext is hashed block by block as it is produced, so each block is read while still in cache.
        var fullLength = plaintext.Length & ~(BlockSize - 1);
        Span<byte> keyStream = stackalloc byte[BlockSize];
        for (var offset = 0; offset < fullLength; offset += BlockSize)
        {
            NextKeyStream(ref cipher, counter, keyStream);
            var output = ciphertext.Slice(offset, BlockSize);
            XorBlock(plaintext.Slice(offset, BlockSize), keyStream, output);
            ghash.UpdateBlock(output);
        }

        if (fullLength != plaintext.Length)
        {
            NextKeyStream(ref cipher, counter, keyStream);
            var tail = plaintext[fullLength..];
            var output = ciphertext[fullLength..];
            XorPartial(tail, keyStream, output);
            ghash.UpdatePadded(output);
        }

        FinishTag(ref ghash, associatedData.Length, plaintext.Length, tagMask, tag);
        CryptographicOperations.ZeroMemory(keyStream);
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

        var fullLength = ciphertext.Length & ~(BlockSize - 1);
        Span<byte> keyStream = stackalloc byte[BlockSize];
        for (var offset = 0; offset < fullLength; offset += BlockSize)
        {
            NextKeyStream(ref cipher, counter, keyStream);
            XorBlock(ciphertext.Slice(offset, BlockSize), keyStream, plaintext.Slice(offset, BlockSize));
        }

        if (fullLength != ciphertext.Length)
        {
            NextKeyStream(ref cipher, counter, keyStream);
            XorPartial(ciphertext[fullLength..], keyStream, plaintext[fullLength..]);
        }

        CryptographicOperations.ZeroMemory(keyStream);
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
        XorBlock(hash, tagMask, tag);
    }

    /// <summary>inc32: the low 32 bits of the counter block count modulo 2^32; then encrypt it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void NextKeyStream<TCipher>(ref TCipher cipher, Span<byte> counter, Span<byte> keyStream)
        where TCipher : struct, IGcmBlockCipher
    {
        var low = counter[NonceSize..];
        BinaryPrimitives.WriteUInt32BigEndian(low, unchecked(BinaryPrimitives.ReadUInt32BigEndian(low) + 1));
        cipher.EncryptBlock(counter, keyStream);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void XorBlock(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, Span<byte> output)
    {
        var result = Vector128.Create(a) ^ Vector128.Create(b);
        result.CopyTo(output);
    }

    private static void XorPartial(ReadOnlySpan<byte> input, ReadOnlySpan<byte> keyStream, Span<byte> output)
    {
        for (var i = 0; i < input.Length; i++)
        {
            output[i] = (byte)(input[i] ^ keyStream[i]);
        }
    }
}
