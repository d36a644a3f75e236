using System.Runtime.InteropServices;

namespace Trellis.Benchmarks.Reference;

/// <summary>
/// SM3 and SM2 through OpenSSL 3's libcrypto, as the reference the managed code is measured against. SM2 uses the
/// EVP_PKEY API with the SM2 key type and the distinguishing id 1234567812345678, as SM2(7) describes.
/// </summary>
public sealed unsafe partial class OpenSslSm2 : IDisposable
{
    private const string Library = "libcrypto.so.3";
    private static readonly byte[] DistinguishingId = "1234567812345678"u8.ToArray();

    private readonly IntPtr _sm3;
    private IntPtr _key;

    /// <summary>Fetches SM3 and generates a fresh SM2 key.</summary>
    public OpenSslSm2()
    {
        _sm3 = EVP_MD_fetch(IntPtr.Zero, "SM3", null);
        if (_sm3 == IntPtr.Zero)
        {
            throw new InvalidOperationException("OpenSSL has no SM3 digest");
        }

        var context = EVP_PKEY_CTX_new_from_name(IntPtr.Zero, "SM2", null);
        try
        {
            if (context == IntPtr.Zero || EVP_PKEY_keygen_init(context) != 1 || EVP_PKEY_generate(context, out _key) != 1)
            {
                throw new InvalidOperationException("OpenSSL could not generate an SM2 key");
            }
        }
        finally
        {
            EVP_PKEY_CTX_free(context);
        }
    }

    /// <summary>SM3 of <paramref name="data"/> into a 32-byte output.</summary>
    public void Sm3(ReadOnlySpan<byte> data, Span<byte> output32)
    {
        uint size = 32;
        fixed (byte* input = data)
        fixed (byte* output = output32)
        {
            if (EVP_Digest(input, (nuint)data.Length, output, &size, _sm3, IntPtr.Zero) != 1)
            {
                throw new InvalidOperationException("EVP_Digest SM3 failed");
            }
        }
    }

    /// <summary>Signs with SM2/SM3; returns the DER signature.</summary>
    public byte[] Sign(ReadOnlySpan<byte> message)
    {
        var signature = new byte[80];
        var (digestContext, keyContext) = CreateContexts();
        try
        {
            if (EVP_DigestSignInit(digestContext, IntPtr.Zero, _sm3, IntPtr.Zero, _key) != 1)
            {
                throw new InvalidOperationException("EVP_DigestSignInit failed");
            }

            nuint length = (nuint)signature.Length;
            fixed (byte* sig = signature)
            fixed (byte* tbs = message)
            {
                if (EVP_DigestSign(digestContext, sig, &length, tbs, (nuint)message.Length) != 1)
                {
                    throw new InvalidOperationException("EVP_DigestSign failed");
                }
            }

            return signature.AsSpan(0, (int)length).ToArray();
        }
        finally
        {
            EVP_MD_CTX_free(digestContext);
            EVP_PKEY_CTX_free(keyContext);
        }
    }

    /// <summary>Verifies a DER SM2/SM3 signature made with this instance's key.</summary>
    public bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> derSignature)
    {
        var (digestContext, keyContext) = CreateContexts();
        try
        {
            if (EVP_DigestVerifyInit(digestContext, IntPtr.Zero, _sm3, IntPtr.Zero, _key) != 1)
            {
                throw new InvalidOperationException("EVP_DigestVerifyInit failed");
            }

            fixed (byte* sig = derSignature)
            fixed (byte* tbs = message)
            {
                return EVP_DigestVerify(digestContext, sig, (nuint)derSignature.Length, tbs, (nuint)message.Length) == 1;
            }
        }
        finally
        {
            EVP_MD_CTX_free(digestContext);
            EVP_PKEY_CTX_free(keyContext);
        }
    }

    public void Dispose()
    {
        if (_key != IntPtr.Zero)
        {
            EVP_PKEY_free(_key);
            _key = IntPtr.Zero;
        }

        EVP_MD_free(_sm3);
    }

    private (IntPtr DigestContext, IntPtr KeyContext) CreateContexts()
    {
        var digestContext = EVP_MD_CTX_new();
        var keyContext = EVP_PKEY_CTX_new(_key, IntPtr.Zero);
        fixed (byte* id = DistinguishingId)
        {
            if (EVP_PKEY_CTX_set1_id(keyContext, id, DistinguishingId.Length) != 1)
            {
                throw new InvalidOperationException("EVP_PKEY_CTX_set1_id failed");
            }
        }

        // The digest context borrows the key context (OpenSSL does not free it), so both are freed by the caller.
        EVP_MD_CTX_set_pkey_ctx(digestContext, keyContext);
        return (digestContext, keyContext);
    }

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr EVP_MD_fetch(IntPtr libraryContext, string algorithm, string? properties);

    [LibraryImport(Library)]
    private static partial void EVP_MD_free(IntPtr md);

    [LibraryImport(Library)]
    private static partial int EVP_Digest(byte* data, nuint count, byte* md, uint* size, IntPtr type, IntPtr engine);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr EVP_PKEY_CTX_new_from_name(IntPtr libraryContext, string name, string? properties);

    [LibraryImport(Library)]
    private static partial IntPtr EVP_PKEY_CTX_new(IntPtr key, IntPtr engine);

    [LibraryImport(Library)]
    private static partial void EVP_PKEY_CTX_free(IntPtr context);

    [LibraryImport(Library)]
    private static partial int EVP_PKEY_keygen_init(IntPtr context);

    [LibraryImport(Library)]
    private static partial int EVP_PKEY_generate(IntPtr context, out IntPtr key);

    [LibraryImport(Library)]
    private static partial void EVP_PKEY_free(IntPtr key);

    [LibraryImport(Library)]
    private static partial int EVP_PKEY_CTX_set1_id(IntPtr context, byte* id, int length);

    [LibraryImport(Library)]
    private static partial IntPtr EVP_MD_CTX_new();

    [LibraryImport(Library)]
    private static partial void EVP_MD_CTX_free(IntPtr context);

    [LibraryImport(Library)]
    private static partial void EVP_MD_CTX_set_pkey_ctx(IntPtr digestContext, IntPtr keyContext);

    [LibraryImport(Library)]
    private static partial int EVP_DigestSignInit(IntPtr digestContext, IntPtr keyContextOut, IntPtr md, IntPtr engine, IntPtr key);

    [LibraryImport(Library)]
    private static partial int EVP_DigestSign(IntPtr digestContext, byte* signature, nuint* signatureLength, byte* tbs, nuint tbsLength);

    [LibraryImport(Library)]
    private static partial int EVP_DigestVerifyInit(IntPtr digestContext, IntPtr keyContextOut, IntPtr md, IntPtr engine, IntPtr key);

    [LibraryImport(Library)]
    private static partial int EVP_DigestVerify(IntPtr digestContext, byte* signature, nuint signatureLength, byte* tbs, nuint tbsLength);
}
