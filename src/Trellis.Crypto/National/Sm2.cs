using System.Security.Cryptography;
using Trellis.Crypto.Arithmetic;
using Trellis.Crypto.National.Curve;

namespace Trellis.Crypto.National;

/// <summary>
/// SM2 digital signatures (GB/T 32918.2-2016) on the recommended curve sm2p256v1 (GB/T 32918.5).
/// Keys and signatures are raw big-endian bytes: private key d (32), public key x || y (64), signature r || s (64).
/// Signing derives its nonce deterministically from (d, e); verification never throws on malformed keys or
/// signatures, it returns false.
/// </summary>
public static class Sm2
{
    /// <summary>Length of a private key in bytes.</summary>
    public const int PrivateKeyLength = 32;

    /// <summary>Length of a public key (x || y) in bytes.</summary>
    public const int PublicKeyLength = 64;

    /// <summary>Length of a signature (r || s) in bytes.</summary>
    public const int SignatureLength = 64;

    /// <summary>Longest user id in bytes: ENTL, its length in bits, is a 16-bit field.</summary>
    public const int MaxUserIdLength = 8191;

    /// <summary>The default distinguishing identifier, ASCII "1234567812345678" (GB/T 35276).</summary>
    public static readonly byte[] DefaultUserId = "1234567812345678"u8.ToArray();

    // a, b, x_G, y_G as they enter Z_A (GB/T 32918.5).
    private static ReadOnlySpan<byte> CurveParameters =>
    [
        0xFF, 0xFF, 0xFF, 0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFC,
        0x28, 0xE9, 0xFA, 0x9E, 0x9D, 0x9F, 0x5E, 0x34, 0x4D, 0x5A, 0x9E, 0x4B, 0xCF, 0x65, 0x09, 0xA7,
        0xF3, 0x97, 0x89, 0xF5, 0x15, 0xAB, 0x8F, 0x92, 0xDD, 0xBC, 0xBD, 0x41, 0x4D, 0x94, 0x0E, 0x93,
        0x32, 0xC4, 0xAE, 0x2C, 0x1F, 0x19, 0x81, 0x19, 0x5F, 0x99, 0x04, 0x46, 0x6A, 0x39, 0xC9, 0x94,
        0x8F, 0xE3, 0x0B, 0xBF, 0xF2, 0x66, 0x0B, 0xE1, 0x71, 0x5A, 0x45, 0x89, 0x33, 0x4C, 0x74, 0xC7,
        0xBC, 0x37, 0x36, 0xA2, 0xF4, 0xF6, 0x77, 0x9C, 0x59, 0xBD, 0xCE, 0xE3, 0x6B, 0x69, 0x21, 0x53,
        0xD0, 0xA9, 0x87, 0x7C, 0xC6, 0x2A, 0x47, 0x40, 0x02, 0xDF, 0x32, 0xE5, 0x21, 0x39, 0xF0, 0xA0,
    ];

    /// <summary>True if <paramref name="privateKey"/> is 32 bytes with 1 &lt;= d &lt;= n - 2 (GB/T 32918.1 key range).</summary>
    public static bool IsValidPrivateKey(ReadOnlySpan<byte> privateKey) => TryReadPrivateKey(privateKey, out _);

    /// <summary>Draws a private key from the operating system's cryptographic random source.</summary>
    public static byte[] GeneratePrivateKey()
    {
        var key = new byte[PrivateKeyLength];
        do
        {
            RandomNumberGenerator.Fill(key);
        }
        while (!IsValidPrivateKey(key));
        return key;
    }

    /// <summary>Returns the public key x || y for a private key.</summary>
    /// <exception cref="ArgumentException">The private key is not 32 bytes in [1, n - 2].</exception>
    public static byte[] DerivePublicKey(ReadOnlySpan<byte> privateKey)
    {
        var d = ReadPrivateKey(privateKey);
        var publicKey = new byte[PublicKeyLength];
        Sm2Multiplier.MultiplyBase(d).ToAffine().Write(publicKey);
        return publicKey;
    }

    /// <summary>True if <paramref name="publicKey64"/> is x || y with both below p and the point on the curve.</summary>
    public static bool IsValidPublicKey(ReadOnlySpan<byte> publicKey64) => Sm2AffinePoint.TryRead(publicKey64, out _);

    /// <summary>
    /// Computes Z_A = SM3(ENTL_A || ID_A || a || b || x_G || y_G || x_A || y_A), where ENTL_A is the bit length of
    /// the user id as two big-endian bytes. Pass <see cref="DefaultUserId"/> for the usual identifier.
    /// </summary>
    /// <exception cref="ArgumentException">The public key is not 64 bytes or the user id is longer than 8191 bytes.</exception>
    public static byte[] ComputeZ(ReadOnlySpan<byte> publicKey64, ReadOnlySpan<byte> userId)
    {
        var z = new byte[Sm3.HashLength];
        ComputeZ(publicKey64, userId, z);
        return z;
    }

    /// <summary>Signs <paramref name="message"/> with <see cref="DefaultUserId"/>; returns r || s.</summary>
    public static byte[] Sign(ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> message) => Sign(privateKey, message, DefaultUserId);

    /// <summary>
    /// Signs <paramref name="message"/> for the signer identified by <paramref name="userId"/>; returns r || s.
    /// The nonce is derived RFC 6979-style from d and e = SM3(Z_A || M) with HMAC-SM3, so the same inputs give the
    /// same signature.
    /// </summary>
    /// <exception cref="ArgumentException">The private key is invalid or the user id is too long.</exception>
    public static byte[] Sign(ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> userId)
    {
        var d = ReadPrivateKey(privateKey);
        Span<byte> e = stackalloc byte[Sm3.HashLength];
        ComputeMessageDigest(d, message, userId, e);

        var eScalar = Sm2Scalar.ReadReduced(e);
        Span<byte> dBytes = stackalloc byte[32];
        Span<byte> eBytes = stackalloc byte[32];
        d.Write(dBytes);
        eScalar.Write(eBytes);
        var nonces = new Sm2NonceGenerator(dBytes, eBytes);
        CryptographicOperations.ZeroMemory(dBytes);

        var signature = new byte[SignatureLength];
        while (!TrySignDigest(d, eScalar, nonces.Next(), signature))
        {
            // GB/T 32918.2 section 6.1 steps A5 and A6: draw another k when r = 0, r + k = n or s = 0.
        }

        return signature;
    }

    /// <summary>Verifies r || s over <paramref name="message"/> with <see cref="DefaultUserId"/>.</summary>
    public static bool Verify(ReadOnlySpan<byte> publicKey64, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature64) =>
        Verify(publicKey64, message, signature64, DefaultUserId);

    /// <summary>
    /// Verifies r || s over <paramref name="message"/> for the signer identified by <paramref name="userId"/>.
    /// Returns false for a malformed or invalid public key or signature.
    /// </summary>
    /// <exception cref="ArgumentException">The user id is longer than 8191 bytes.</exception>
    public static bool Verify(ReadOnlySpan<byte> publicKey64, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature64, ReadOnlySpan<byte> userId)
    {
        if (publicKey64.Length != PublicKeyLength)
        {
            return false;
        }

        Span<byte> z = stackalloc byte[Sm3.HashLength];
        ComputeZ(publicKey64, userId, z);
        var hasher = new Sm3Hasher();
        hasher.Update(z);
        hasher.Update(message);
        Span<byte> e = stackalloc byte[Sm3.HashLength];
        hasher.Finish(e);
        return VerifyDigest(publicKey64, e, signature64);
    }

    /// <summary>
    /// Verifies r || s against a precomputed e = SM3(Z_A || M), so a caller can cache Z_A per signer.
    /// Returns false for any malformed input (wrong lengths, r or s outside [1, n - 1], key off the curve).
    /// </summary>
    public static bool VerifyDigest(ReadOnlySpan<byte> publicKey64, ReadOnlySpan<byte> e32, ReadOnlySpan<byte> signature64)
    {
        if (e32.Length != Sm3.HashLength || signature64.Length != SignatureLength)
        {
            return false;
        }

        // B1, B2: r and s in [1, n - 1].
        if (!Sm2Scalar.TryRead(signature64[..32], out var r) || r.IsZero
            || !Sm2Scalar.TryRead(signature64[32..], out var s) || s.IsZero)
        {
            return false;
        }

        if (!Sm2AffinePoint.TryRead(publicKey64, out var publicPoint))
        {
            return false;
        }

        // B5: t = (r + s) mod n, reject t = 0.
        var t = Sm2Scalar.Add(r, s);
        if (t.IsZero)
        {
            return false;
        }

        // B6: (x1, y1) = s G + t P.
        var point = Sm2Multiplier.MultiplyBaseAndAdd(s, t, publicPoint);
        if (point.IsInfinity)
        {
            return false;
        }

        // B7: R = (e + x1) mod n == r, i.e. x1 = (r - e) mod n, or that plus n when still below p (p < 2n).
        // x1 = X / Z^2, so compare X with v * Z^2 and skip the field inversion.
        var e = Sm2Scalar.ReadReduced(e32);
        var v = Sm2Scalar.Subtract(r, e);
        var z2 = Sm2Field.Square(point.Z);
        var candidate = Sm2Field.FromPlain(v.L0, v.L1, v.L2, v.L3);
        if (Sm2Field.Equal(point.X, Sm2Field.Multiply(candidate, z2)))
        {
            return true;
        }

        ulong carry = 0;
        var w0 = Mont256.AddWithCarry(v.L0, Sm2Scalar.N0, ref carry);
        var w1 = Mont256.AddWithCarry(v.L1, Sm2Scalar.N1, ref carry);
        var w2 = Mont256.AddWithCarry(v.L2, Sm2Scalar.N2, ref carry);
        var w3 = Mont256.AddWithCarry(v.L3, Sm2Scalar.N3, ref carry);
        if (carry != 0)
        {
            return false;
        }

        ulong borrow = 0;
        _ = Mont256.SubWithBorrow(w0, Sm2Field.P0, ref borrow);
        _ = Mont256.SubWithBorrow(w1, Sm2Field.P1, ref borrow);
        _ = Mont256.SubWithBorrow(w2, Sm2Field.P2, ref borrow);
        _ = Mont256.SubWithBorrow(w3, Sm2Field.P3, ref borrow);
        if (borrow == 0)
        {
            return false;
        }

        var wrapped = Sm2Field.FromPlain(w0, w1, w2, w3);
        return Sm2Field.Equal(point.X, Sm2Field.Multiply(wrapped, z2));
    }

    /// <summary>
    /// Signs with a caller-chosen nonce k. Only for reproducing the standard's worked example; a fixed or
    /// predictable k reveals the private key.
    /// </summary>
    internal static byte[] SignWithNonce(ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> userId, ReadOnlySpan<byte> k)
    {
        var d = ReadPrivateKey(privateKey);
        if (k.Length != 32 || !Sm2Scalar.TryRead(k, out var kScalar) || kScalar.IsZero)
        {
            throw new ArgumentException("SM2 nonce k must be 32 bytes in [1, n - 1]", nameof(k));
        }

        Span<byte> e = stackalloc byte[Sm3.HashLength];
        ComputeMessageDigest(d, message, userId, e);
        var signature = new byte[SignatureLength];
        if (!TrySignDigest(d, Sm2Scalar.ReadReduced(e), kScalar, signature))
        {
            throw new ArgumentException("SM2 nonce k gives r = 0, r + k = n or s = 0; choose another k", nameof(k));
        }

        return signature;
    }

    private static void ComputeZ(ReadOnlySpan<byte> publicKey64, ReadOnlySpan<byte> userId, Span<byte> z)
    {
        if (publicKey64.Length != PublicKeyLength)
        {
            throw new ArgumentException($"SM2 public key has {publicKey64.Length} bytes; it must be {PublicKeyLength} (x || y)", nameof(publicKey64));
        }

        if (userId.Length > MaxUserIdLength)
        {
            throw new ArgumentException($"SM2 user id has {userId.Length} bytes; at most {MaxUserIdLength} fit the 16-bit ENTL bit length", nameof(userId));
        }

        var bits = userId.Length * 8;
        Span<byte> entl = [(byte)(bits >> 8), (byte)bits];
        var hasher = new Sm3Hasher();
        hasher.Update(entl);
        hasher.Update(userId);
        hasher.Update(CurveParameters);
        hasher.Update(publicKey64);
        hasher.Finish(z);
    }

    private static void ComputeMessageDigest(in Sm2Scalar d, ReadOnlySpan<byte> message, ReadOnlySpan<byte> userId, Span<byte> e)
    {
        Span<byte> publicKey = stackalloc byte[PublicKeyLength];
        Sm2Multiplier.MultiplyBase(d).ToAffine().Write(publicKey);
        Span<byte> z = stackalloc byte[Sm3.HashLength];
        ComputeZ(publicKey, userId, z);
        var hasher = new Sm3Hasher();
        hasher.Update(z);
        hasher.Update(message);
        hasher.Finish(e);
    }

    /// <summary>GB/T 32918.2 section 6.1 steps A4-A6 for one k; false if this k must be replaced.</summary>
    private static bool TrySignDigest(in Sm2Scalar d, in Sm2Scalar e, in Sm2Scalar k, Span<byte> signature)
    {
        Span<byte> x1Bytes = stackalloc byte[32];
        Sm2Multiplier.MultiplyBase(k).ToAffine().X.Write(x1Bytes);
        var x1 = Sm2Scalar.ReadReduced(x1Bytes);
        var r = Sm2Scalar.Add(e, x1);
        if (r.IsZero || Sm2Scalar.Add(r, k).IsZero)
        {
            return false;
        }

        var inverse = Sm2Scalar.Invert(Sm2Scalar.Add(Sm2Scalar.One, d));
        var s = Sm2Scalar.Multiply(inverse, Sm2Scalar.Subtract(k, Sm2Scalar.Multiply(r, d)));
        if (s.IsZero)
        {
            return false;
        }

        r.Write(signature[..32]);
        s.Write(signature.Slice(32, 32));
        return true;
    }

    private static Sm2Scalar ReadPrivateKey(ReadOnlySpan<byte> privateKey)
    {
        if (!TryReadPrivateKey(privateKey, out var d))
        {
            throw new ArgumentException(
                privateKey.Length != PrivateKeyLength
                    ? $"SM2 private key has {privateKey.Length} bytes; it must be {PrivateKeyLength}"
                    : "SM2 private key is out of range; it must satisfy 1 <= d <= n - 2",
                nameof(privateKey));
        }

        return d;
    }

    private static bool TryReadPrivateKey(ReadOnlySpan<byte> privateKey, out Sm2Scalar d)
    {
        d = default;
        if (privateKey.Length != PrivateKeyLength || !Sm2Scalar.TryRead(privateKey, out var value) || value.IsZero)
        {
            return false;
        }

        // d = n - 1 is excluded: 1 + d would be zero modulo n and s could not be computed.
        if (Sm2Scalar.Add(value, Sm2Scalar.One).IsZero)
        {
            return false;
        }

        d = value;
        return true;
    }
}
