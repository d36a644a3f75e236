namespace Trellis.Crypto.Gcm;

/// <summary>
/// A 128-bit block cipher in the encrypt direction, which is all GCM needs. Implemented by structs so that
/// <see cref="GcmMode"/> is specialised per cipher and the block function inlines.
/// </summary>
internal interface IGcmBlockCipher
{
    /// <summary>Encrypts one 16-byte block; <paramref name="input"/> and <paramref name="output"/> may alias.</summary>
    void EncryptBlock(ReadOnlySpan<byte> input, Span<byte> output);

    /// <summary>Encrypts four consecutive blocks (64 bytes), which a cipher may interleave for throughput.</summary>
    void EncryptFourBlocks(ReadOnlySpan<byte> input, Span<byte> output);
}
