namespace Trellis.Crypto.Gcm;

/// <summary>Argument checks shared by the GCM ciphers, with messages that name the algorithm, the buffer and the size.</summary>
internal static class GcmArguments
{
    /// <summary>
    /// Checks key, nonce and tag sizes, that <paramref name="output"/> is as long as <paramref name="input"/>,
    /// and that the two are either the same memory or do not overlap.
    /// </summary>
    /// <exception cref="ArgumentException">Any of the above does not hold.</exception>
    public static void Validate(
        string algorithm,
        int keySize,
        ReadOnlySpan<byte> key,
        ReadOnlySpan<byte> nonce,
        ReadOnlySpan<byte> tag,
        ReadOnlySpan<byte> input,
        ReadOnlySpan<byte> output,
        string inputName,
        string outputName)
    {
        if (key.Length != keySize)
        {
            throw new ArgumentException($"{algorithm} key must be {keySize} bytes, got {key.Length}", nameof(key));
        }

        if (nonce.Length != GcmMode.NonceSize)
        {
            throw new ArgumentException($"{algorithm} nonce must be {GcmMode.NonceSize} bytes, got {nonce.Length}", nameof(nonce));
        }

        if (tag.Length != GcmMode.TagSize)
        {
            throw new ArgumentException($"{algorithm} tag must be {GcmMode.TagSize} bytes, got {tag.Length}", nameof(tag));
        }

        if (output.Length != input.Length)
        {
            throw new ArgumentException(
                $"{algorithm} {outputName} must be as long as the {inputName} ({input.Length} bytes), got {output.Length} bytes",
                outputName);
        }

        if (input.Overlaps(output, out var offset) && offset != 0)
        {
            throw new ArgumentException(
                $"{algorithm} {outputName} overlaps the {inputName} at offset {offset}; use the same buffer or separate ones",
                outputName);
        }
    }
}
