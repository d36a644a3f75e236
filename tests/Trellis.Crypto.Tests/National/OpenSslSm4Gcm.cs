using System.Runtime.InteropServices;

namespace Trellis.Crypto.Tests.National;

/// <summary>
/// SM4-CTR through libcrypto's EVP interface: exactly the GCTR part of SM4-GCM. The libcrypto here (OpenSSL 3.0)
/// has no SM4-GCM (added in 3.2), so GCM as a whole is checked against BouncyCastle and RFC 8998.
/// </summary>
internal static unsafe partial class OpenSslSm4Gcm
{
    private const string Library = "libcrypto.so.3";
    private const int ControlGetTag = 0x10;
    private const int ControlSetTag = 0x11;

    /// <summary>SM4-CTR with a full 16-byte initial counter block (OpenSSL increments all 128 bits).</summary>
    public static byte[] EncryptCtr(byte[] key, byte[] initialCounter, byte[] input)
    {
        var cipher = EVP_CIPHER_fetch(0, "SM4-CTR", null);
        Check(cipher != 0, "EVP_CIPHER_fetch(SM4-CTR)");
        var context = EVP_CIPHER_CTX_new();
        try
        {
            var output = new byte[input.Length + 16];
            var written = 0;
            fixed (byte* k = key, iv = initialCounter, i = input, o = output)
            {
                Check(EVP_EncryptInit_ex2(context, cipher, k, iv, 0) == 1, "EVP_EncryptInit_ex2(SM4-CTR)");
                int length;
                if (input.Length > 0)
                {
                    Check(EVP_EncryptUpdate(context, o, &length, i, input.Length) == 1, "EVP_EncryptUpdate");
                    written += length;
                }

                Check(EVP_EncryptFinal_ex(context, o + written, &length) == 1, "EVP_EncryptFinal_ex");
                written += length;
            }

            return output.AsSpan(0, written).ToArray();
        }
        finally
        {
            EVP_CIPHER_CTX_free(context);
            EVP_CIPHER_free(cipher);
        }
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
    private static partial int EVP_DecryptInit_ex2(nint context, nint cipher, byte* key, byte* iv, nint parameters);

    [LibraryImport(Library)]
    private static partial int EVP_EncryptUpdate(nint context, byte* output, int* outputLength, byte* input, int inputLength);

    [LibraryImport(Library)]
    private static partial int EVP_DecryptUpdate(nint context, byte* output, int* outputLength, byte* input, int inputLength);

    [LibraryImport(Library)]
    private static partial int EVP_EncryptFinal_ex(nint context, byte* output, int* outputLength);

    [LibraryImport(Library)]
    private static partial int EVP_DecryptFinal_ex(nint context, byte* output, int* outputLength);

    [LibraryImport(Library)]
    private static partial int EVP_CIPHER_CTX_ctrl(nint context, int type, int argument, void* pointer);

    [LibraryImport(Library)]
    private static partial ulong ERR_get_error();

    [LibraryImport(Library)]
    private static partial void ERR_clear_error();
}
