using System.Security.Cryptography;
using Trellis.Crypto.Gcm;

namespace Trellis.Crypto.Standard;

/// <summary>
/// AES-256 in Galois/Counter Mode (NIST SP 800-38D): 32-byte key, 12-byte nonce, 16-byte tag. The standard suite's
/// symmetric encryption; wraps <see cref="AesGcm"/> (the platform's implementation, AES-NI where available).
/// </summary>
public sealed class Aes256GcmCipher : IAeadCipher
{
    /// <summary>The shared, stateless instance.</summary>
    public static readonly Aes256GcmCipher Instance = new();

    private const string AlgorithmName = "AES-256-GCM";
    private const int AesKeySize = 32;

    private Aes256GcmCipher()
    {
    }

    /// <inheritdoc/>
    public string Name => AlgorithmName;

    /// <inheritdoc/>
    public int KeySize => AesKeySize;

    /// <inheritdoc/>
    public int NonceSize => GcmMode.NonceSize;

    /// <inheritdoc/>
    public int TagSize => GcmMode.TagSize;

    /// <inheritdoc/>
    public void Encrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext, Span<byte> tag, ReadOnlySpan<byte> associatedData = default)
    {
        GcmArguments.Validate(AlgorithmName, AesKeySize, key, nonce, tag, plaintext, ciphertext, nameof(plaintext), nameof(ciphertext));
        using var aes = new AesGcm(key, GcmMode.TagSize);
        aes.Encrypt(nonce, plaintext, ciphertext, tag, associatedData);
    }

    /// <inheritdoc/>
    public bool TryDecrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, Span<byte> plaintext, ReadOnlySpan<byte> associatedData = default)
    {
        GcmArguments.Validate(AlgorithmName, AesKeySize, key, nonce, tag, ciphertext, plaintext, nameof(ciphertext), nameof(plaintext));
        using var aes = new AesGcm(key, GcmMode.TagSize);
        try
        {
            aes.Decrypt(nonce, ciphertext, tag, plaintext, associatedData);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            CryptographicOperations.ZeroMemory(plaintext);
            return false;
        }
    }
}
