namespace Trellis.Crypto;

/// <summary>
/// Authenticated encryption with associated data, as used by a crypto suite for symmetric encryption
/// (AES-256-GCM in the standard suite, SM4-GCM in the national one). Implementations are stateless and thread safe.
/// </summary>
public interface IAeadCipher
{
    /// <summary>Algorithm name, for example <c>"AES-256-GCM"</c> or <c>"SM4-GCM"</c>.</summary>
    string Name { get; }

    /// <summary>Key length in bytes.</summary>
    int KeySize { get; }

    /// <summary>Nonce length in bytes (never reuse a nonce under the same key).</summary>
    int NonceSize { get; }

    /// <summary>Authentication tag length in bytes.</summary>
    int TagSize { get; }

    /// <summary>
    /// Encrypts <paramref name="plaintext"/> into <paramref name="ciphertext"/> (same length) and writes the tag that
    /// authenticates the ciphertext and <paramref name="associatedData"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A key, nonce or tag of the wrong size, or buffers of different lengths.</exception>
    void Encrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext, Span<byte> tag, ReadOnlySpan<byte> associatedData = default);

    /// <summary>
    /// Verifies the tag and decrypts <paramref name="ciphertext"/> into <paramref name="plaintext"/> (same length).
    /// </summary>
    /// <returns><see langword="false"/> when the tag does not match; <paramref name="plaintext"/> is then all zeros.</returns>
    /// <exception cref="ArgumentException">A key, nonce or tag of the wrong size, or buffers of different lengths.</exception>
    bool TryDecrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, Span<byte> plaintext, ReadOnlySpan<byte> associatedData = default);
}
