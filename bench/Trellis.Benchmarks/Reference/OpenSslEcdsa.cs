using System.Runtime.InteropServices;

namespace Trellis.Benchmarks.Reference;

/// <summary>
/// ECDSA through OpenSSL's libcrypto.so.3 (the EC_KEY API: deprecated in OpenSSL 3 but present), as a speed reference:
/// a key on a named curve ("secp256k1", "prime256v1") from a raw private key, then sign and verify of a 32-byte digest
/// with DER signatures.
/// </summary>
public sealed partial class OpenSslEcdsa : IDisposable
{
    private const string LibCrypto = "libcrypto.so.3";

    private IntPtr _key;

    private OpenSslEcdsa(IntPtr key)
    {
        _key = key;
    }

    /// <summary>Creates a key on <paramref name="curveName"/> (an OpenSSL short name) from a big-endian private key.</summary>
    public static OpenSslEcdsa Create(string curveName, ReadOnlySpan<byte> privateKey)
    {
        int nid = OBJ_sn2nid(curveName);
        if (nid == 0)
        {
            throw new ArgumentException($"OpenSSL does not know the curve \"{curveName}\"", nameof(curveName));
        }

        IntPtr key = EC_KEY_new_by_curve_name(nid);
        if (key == IntPtr.Zero)
        {
            throw new InvalidOperationException($"EC_KEY_new_by_curve_name failed for \"{curveName}\"");
        }

        IntPtr scalar = IntPtr.Zero;
        IntPtr point = IntPtr.Zero;
        try
        {
            unsafe
            {
                fixed (byte* bytes = privateKey)
                {
                    scalar = BN_bin2bn(bytes, privateKey.Length, IntPtr.Zero);
                }
            }

            IntPtr group = EC_KEY_get0_group(key);
            point = EC_POINT_new(group);
            if (scalar == IntPtr.Zero || point == IntPtr.Zero
                || EC_KEY_set_private_key(key, scalar) != 1
                || EC_POINT_mul(group, point, scalar, IntPtr.Zero, IntPtr.Zero, IntPtr.Zero) != 1
                || EC_KEY_set_public_key(key, point) != 1)
            {
                throw new InvalidOperationException($"OpenSSL could not build a {curveName} key from the private key");
            }

            var result = new OpenSslEcdsa(key);
            key = IntPtr.Zero;
            return result;
        }
        finally
        {
            if (point != IntPtr.Zero)
            {
                EC_POINT_free(point);
            }

            if (scalar != IntPtr.Zero)
            {
                BN_clear_free(scalar);
            }

            if (key != IntPtr.Zero)
            {
                EC_KEY_free(key);
            }
        }
    }

    /// <summary>Signs a digest (OpenSSL draws a random nonce); returns the DER signature.</summary>
    public byte[] Sign(ReadOnlySpan<byte> digest)
    {
        ObjectDisposedException.ThrowIf(_key == IntPtr.Zero, this);
        var signature = new byte[ECDSA_size(_key)];
        uint length = (uint)signature.Length;
        unsafe
        {
            fixed (byte* d = digest)
            fixed (byte* s = signature)
            {
                if (ECDSA_sign(0, d, digest.Length, s, &length, _key) != 1)
                {
                    throw new InvalidOperationException("ECDSA_sign failed");
                }
            }
        }

        return signature.AsSpan(0, (int)length).ToArray();
    }

    /// <summary>Verifies a DER signature of a digest.</summary>
    public bool Verify(ReadOnlySpan<byte> digest, ReadOnlySpan<byte> derSignature)
    {
        ObjectDisposedException.ThrowIf(_key == IntPtr.Zero, this);
        unsafe
        {
            fixed (byte* d = digest)
            fixed (byte* s = derSignature)
            {
                return ECDSA_verify(0, d, digest.Length, s, derSignature.Length, _key) == 1;
            }
        }
    }

    public void Dispose()
    {
        if (_key != IntPtr.Zero)
        {
            EC_KEY_free(_key);
            _key = IntPtr.Zero;
        }
    }

    [LibraryImport(LibCrypto, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OBJ_sn2nid(string shortName);

    [LibraryImport(LibCrypto)]
    private static partial IntPtr EC_KEY_new_by_curve_name(int nid);

    [LibraryImport(LibCrypto)]
    private static partial void EC_KEY_free(IntPtr key);

    [LibraryImport(LibCrypto)]
    private static partial IntPtr EC_KEY_get0_group(IntPtr key);

    [LibraryImport(LibCrypto)]
    private static partial int EC_KEY_set_private_key(IntPtr key, IntPtr privateKey);

    [LibraryImport(LibCrypto)]
    private static partial int EC_KEY_set_public_key(IntPtr key, IntPtr point);

    [LibraryImport(LibCrypto)]
    private static partial IntPtr EC_POINT_new(IntPtr group);

    [LibraryImport(LibCrypto)]
    private static partial void EC_POINT_free(IntPtr point);

    [LibraryImport(LibCrypto)]
    private static partial int EC_POINT_mul(IntPtr group, IntPtr result, IntPtr generatorScalar, IntPtr point, IntPtr pointScalar, IntPtr context);

    [LibraryImport(LibCrypto)]
    private static unsafe partial IntPtr BN_bin2bn(byte* bytes, int length, IntPtr result);

    [LibraryImport(LibCrypto)]
    private static partial void BN_clear_free(IntPtr value);

    [LibraryImport(LibCrypto)]
    private static partial int ECDSA_size(IntPtr key);

    [LibraryImport(LibCrypto)]
    private static unsafe partial int ECDSA_sign(int type, byte* digest, int digestLength, byte* signature, uint* signatureLength, IntPtr key);

    [LibraryImport(LibCrypto)]
    private static unsafe partial int ECDSA_verify(int type, byte* digest, int digestLength, byte* signature, int signatureLength, IntPtr key);
}
