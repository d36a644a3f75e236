using System.Runtime.InteropServices;

namespace Trellis.Crypto.Tests.National;

/// <summary>
/// SM4 through libcrypto's EVP interface: SM4-GCM where the library has it (OpenSSL 3.2 and later), and SM4-CTR,
/// which every OpenSSL 3 has and which is exactly the GCTR part of SM4-GCM.
/// </summary>
internal static unsafe partial class OpenSslSm4Gcm
{
    private const string Library = "libcrypto.so.3";
    private const int ControlGetTag = 0x10;
    private const int ControlSetTag = 0x11;

    /// <summary>Whether this libcrypto implements SM4-GCM (OpenSSL 3.0 and 3.1 do not).</summary>
    public static bool IsGcmAvailable { get; } = ProbeGcm();

    /// <summary>SM4-GCM encryption with a 12-byte nonce and a 16-byte tag.</summary>
    public static (byte[] Ciphertext, byte[] Tag) EncryptGcm(byte[] key, byte[] nonce, byte[] plaintext, byte[] associatedData)
    {
        var ciphertext = new byte[plaintext.Length];
        var tag = new byte[16];
        RunGcm(encrypt: true, key, nonce, plaintext, ciphertext, tag, associatedData);
        return (ciphertext, tag);
    }

    /// <summary>SM4-GCM decryption; null when OpenSSL rejects the tag.</summary>
    public static byte[]? DecryptGcm(byte[] key, byte[] nonce, byte[] ciphertext, byte[] tag, byte[] associatedData)
    {
        var plaintext = new byte[ciphertext.Length];
        return RunGcm(encrypt: false, key, nonce, ciphertext, plaintext, (byte[])tag.Clone(), associatedData) ? plaintext : null;
    }

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

    private static bool RunGcm(bool encrypt, byte[] key, byte[] nonce, byte[] input, byte[] output, byte[] tag, byte[] associatedData)
    {
        var cipher = EVP_CIPHER_fetch(0, "SM4-GCM", null);
        Check(cipher != 0, "EVP_CIPHER_fetch(SM4-GCM)");
        var context = EVP_CIPHER_CTX_new();
        try
        {
            fixed (byte* k = key, iv = nonce, i = input, o = output, t = tag, a = associatedData)
            {
                int length;
                if (encrypt)
                {
                    Check(EVP_EncryptInit_ex2(context, cipher, k, iv, 0) == 1, "EVP_EncryptInit_ex2(SM4-GCM)");
                    if (associatedData.Length > 0)
                    {
                        Check(EVP_EncryptUpdate(context, null, &length, a, associatedData.Length) == 1, "EVP_EncryptUpdate(aad)");
                    }

                    if (input.Length > 0)
                    {
                        Check(EVP_EncryptUpdate(context, o, &length, i, input.Length) == 1, "EVP_EncryptUpdate");
                    }

                    Check(EVP_EncryptFinal_ex(context, o + input.Length, &length) == 1, "EVP_EncryptFinal_ex");
                    Check(EVP_CIPHER_CTX_ctrl(context, ControlGetTag, tag.Length, t) == 1, "EVP_CTRL_GCM_GET_TAG");
                    return true;
                }

                Check(EVP_DecryptInit_ex2(context, cipher, k, iv, 0) == 1, "EVP_DecryptInit_ex2(SM4-GCM)");
                if (associatedData.Length > 0)
                {
                    Check(EVP_DecryptUpdate(context, null, &length, a, associatedData.Length) == 1, "EVP_DecryptUpdate(aad)");
                }

                if (input.Length > 0)
                {
                    Check(EVP_DecryptUpdate(context, o, &length, i, input.Length) == 1, "EVP_DecryptUpdate");
                }

                Check(EVP_CIPHER_CTX_ctrl(context, ControlSetTag, tag.Length, t) == 1, "EVP_CTRL_GCM_SET_TAG");
                return EVP_DecryptFinal_ex(context, o + input.Length, &length) > 0;
            }
        }
        finally
        {
            EVP_CIPHER_CTX_free(context);
            EVP_CIPHER_free(cipher);
        }
    }

    private static bool ProbeGcm()
    {
        var cipher = EVP_CIPHER_fetch(0, "SM4-GCM", null);
        if (cipher == 0)
        {
            ERR_clear_error();
            return false;
        }

        EVP_CIPHER_free(cipher);
        return true;
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
