using Trellis.Crypto.Gcm;

namespace Trellis.Crypto.National;

/// <summary>
/// SM4 in Galois/Counter Mode (GB/T 32907 block cipher, NIST SP 800-38D mode, parameters of RFC 8998):
/// 16-byte key, 12-byte nonce, 16-byte tag. The national suite's symmetric encryption.
/// </summary>
public sealed class Sm4GcmCipher : IAeadCipher
{
    /// <summary>The shared, stateless instance.</summary>
    public static readonly Sm4GcmCipher Instance = new();

    private const string AlgorithmName = "SM4-GCM";

    private Sm4GcmCipher()
    {
    }

    /// <inheritdoc/>
    public string Name => AlgorithmName;

    /// <inheritdoc/>
    public int KeySize => Sm4.KeySize;

    /// <inheritdoc/>
    public int NonceSize => GcmMode.NonceSize;

    /// <inheritdoc/>
    public int TagSize => GcmMode.TagSize;

    /// <inheritdoc/>
    public void Encrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext, Span<byte> tag, ReadOnlySpan<byte> associatedData = default)
    {
        GcmArguments.Validate(AlgorithmName, Sm4.KeySize, key, nonce, tag, plaintext, ciphertext, nameof(plaintext), nameof(ciphertext));
        var cipher = new BlockCipher(key);
        try
        {
            GcmMode.Encrypt(ref cipher, nonce, plaintext, ciphertext, tag, associatedData);
        }
        finally
        {
            cipher.Clear();
        }
    }

    /// <inheritdoc/>
    public bool TryDecrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, Span<byte> plaintext, ReadOnlySpan<byte> associatedData = default)
    {
        GcmArguments.Validate(AlgorithmName, Sm4.KeySize, key, nonce, tag, ciphertext, plaintext, nameof(ciphertext), nameof(plaintext));
        var cipher = new BlockCipher(key);
        try
        {
            return GcmMode.TryDecrypt(ref cipher, nonce, ciphertext, tag, plaintext, associatedData);
        }
        finally
        {
            cipher.Clear();
        }
    }

    /// <summary>SM4 encryption with the round keys on the stack, so a one-shot call allocates nothing.</summary>
    private struct BlockCipher : IGcmBlockCipher
    {
        private Sm4.RoundKeys _roundKeys;

        public BlockCipher(ReadOnlySpan<byte> key) => Sm4.ExpandKey(key, out _roundKeys);

        public readonly void EncryptBlock(ReadOnlySpan<byte> input, Span<byte> output) =>
            Sm4.ProcessBlock(in _roundKeys, input, output);

        public readonly void EncryptFourBlocks(ReadOnlySpan<byte> input, Span<byte> output) =>
            Sm4.ProcessFourBlocks(in _roundKeys, input, output);

        public void Clear() => Sm4.Clear(ref _roundKeys);
    }
}
