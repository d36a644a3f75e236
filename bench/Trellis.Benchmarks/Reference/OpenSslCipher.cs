using System.Runtime.InteropServices;

namespace Trellis.Benchmarks.Reference;

/// <summary>
/// A libcrypto EVP cipher (for example "SM4-GCM", "SM4-CTR", "AES-256-GCM") with one reusable context, keyed on
/// every call as the <c>IAeadCipher</c> implementations are, for reference measurements.
/// </summary>
internal sealed unsafe partial class OpenSslCipher : IDisposable
{
    private const string Library = "libcrypto.so.3";
    private const int ControlGetTag = 0x10;

    private readonly nint _cipher;
    private readonly nint _context;

    public OpenSslCipher(string name)
    {
        _cipher = EVP_CIPHER_fetch(0, name, null);
        if (_cipher == 0)
        {
            ERR_clear_error();
            throw new NotSupportedException($"libcrypto has no cipher named {name}");
        }

        _context = EVP_CIPHER_CTX_new();
    }

    /// <summary>Whether libcrypto implements <paramref name="name"/> (SM4-GCM needs OpenSSL 3.2 or later).</summary>
    public static bool IsAvailable(string name)
    {
        var cipher = EVP_CIPHER_fetch(0, name, null);
        if (cipher == 0)
        {
            ERR_clear_error();
            return false;
        }

        EVP_CIPHER_free(cipher);
        return true;
    }

    /// <summary>Encrypts with key and IV set afresh, then fetches a tag of <paramref name="tag"/>'s length if it is not empty.</summary>
    public void Encrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> input, Span<byte> output, Span<byte> tag, ReadOnlySpan<byte> associatedData)
    {
        fixed (byte* k = key, v = iv, i = input, o = output, t = tag, a = associatedData)
        {
            int length;
            Check(EVP_EncryptInit_ex2(_context, _cipher, k, v, 0) == 1, "EVP_EncryptInit_ex2");
            if (associatedData.Length > 0)
            {
                Check(EVP_EncryptUpdate(_context, null, &length, a, associatedData.Length) == 1, "EVP_EncryptUpdate(aad)");
            }

            Check(EVP_EncryptUpdate(_context, o, &length, i, input.Length) == 1, "EVP_EncryptUpdate");
            Check(EVP_EncryptFinal_ex(_context, o + length, &length) == 1, "EVP_EncryptFinal_ex");
            if (tag.Length > 0)
            {
                Check(EVP_CIPHER_CTX_ctrl(_context, ControlGetTag, tag.Length, t) == 1, "EVP_CTRL_AEAD_GET_TAG");
            }
        }
    }

    public void Dispose()
    {
        EVP_CIPHER_CTX_free(_context);
        EVP_CIPHER_free(_cipher);
    }

    private static void Check(bool ok, string call)
    {
        if (!ok)
        {
            throw new InvalidOperationException($"libcrypto call {call} failed (error 0x{ERR_get_error():x})");
        }
    }

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint EVP_CIPHER_fetch(nint libraryContext, string algorithm, string? properties);

    [LibraryImport(Library)]
    private static partial void EVP_CIPHER_free(nint cipher);

    [LibraryImport(Library)]
    private static partial nint EVP_CIPHER_CTX_new();

    [LibraryImport(Library)]
    private static partial void EVP_CIPHER_CTX_free(nint context);

    [LibraryImport(Library)]
    private static partial int EVP_EncryptInit_ex2(nint context, nint cipher, byte* key, byte* iv, nint parameters);

    [LibraryImport(Library)]
    private static partial int EVP_EncryptUpdate(nint context, byte* output, int* outputLength, byte* input, int inputLength);

    [LibraryImport(Library)]
    private static partial int EVP_EncryptFinal_ex(nint context, byte* output, int* outputLength);

    [LibraryImport(Library)]
    private static partial int EVP_CIPHER_CTX_ctrl(nint context, int type, int argument, void* pointer);

    [LibraryImport(Library)]
    private static partial ulong ERR_get_error();

    [LibraryImport(Library)]
    private static partial void ERR_clear_error();
}
