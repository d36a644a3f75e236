using System.Runtime.InteropServices;

namespace Trellis.Benchmarks.Reference;

/// <summary>
/// One-shot message digests through OpenSSL 3 libcrypto (<c>EVP_MD_fetch</c> + <c>EVP_Digest</c>), the reference
/// that Trellis's managed hashes are measured beside (Keccak-256, SM3, SHA-256, ...).
/// </summary>
internal static unsafe partial class OpenSslDigest
{
    private const string Library = "libcrypto.so.3";

    /// <summary>Fetches a digest by its OpenSSL name.</summary>
    /// <exception cref="NotSupportedException">The installed libcrypto has no such digest.</exception>
    public static OpenSslDigestAlgorithm Fetch(string name) =>
        TryFetch(name) ?? throw new NotSupportedException($"OpenSSL libcrypto ({Library}) has no digest named \"{name}\"");

    /// <summary>Fetches a digest by its OpenSSL name, or returns null if the installed libcrypto lacks it.</summary>
    public static OpenSslDigestAlgorithm? TryFetch(string name)
    {
        IntPtr md = EVP_MD_fetch(IntPtr.Zero, name, null);
        return md == IntPtr.Zero ? null : new OpenSslDigestAlgorithm(md, name, EVP_MD_get_size(md));
    }

    /// <summary>Hashes <paramref name="input"/> into <paramref name="output"/> (at least the digest size).</summary>
    public static void Hash(OpenSslDigestAlgorithm algorithm, ReadOnlySpan<byte> input, Span<byte> output)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        if (output.Length < algorithm.Size)
        {
            throw new ArgumentException($"{algorithm.Name} output needs {algorithm.Size} bytes, got {output.Length}", nameof(output));
        }

        bool added = false;
        algorithm.DangerousAddRef(ref added);
        try
        {
            fixed (byte* data = input)
            fixed (byte* digest = output)
            {
                uint size = 0;
                if (EVP_Digest(data, (nuint)input.Length, digest, &size, algorithm.DangerousGetHandle(), IntPtr.Zero) != 1)
                {
                    throw new InvalidOperationException($"EVP_Digest failed for {algorithm.Name}");
                }
            }
        }
        finally
        {
            if (added)
            {
                algorithm.DangerousRelease();
            }
        }
    }

    internal static void Free(IntPtr md) => EVP_MD_free(md);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr EVP_MD_fetch(IntPtr libraryContext, string algorithm, string? properties);

    [LibraryImport(Library)]
    private static partial void EVP_MD_free(IntPtr md);

    [LibraryImport(Library)]
    private static partial int EVP_MD_get_size(IntPtr md);

    [LibraryImport(Library)]
    private static partial int EVP_Digest(byte* data, nuint count, byte* digest, uint* size, IntPtr type, IntPtr engine);
}
