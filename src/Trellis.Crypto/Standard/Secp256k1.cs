using System.Security.Cryptography;
using Trellis.Crypto.Standard.EllipticCurve;

namespace Trellis.Crypto.Standard;

/// <summary>
/// ECDSA over secp256k1 with public-key recovery, as Ethereum uses it: 64-byte public keys (x || y, no 0x04
/// prefix), 65-byte signatures r || s || v with v the recovery id 0 or 1, RFC 6979 deterministic nonces and
/// low-s normalisation (EIP-2).
/// </summary>
/// <remarks>
/// Private-key operations (key derivation, signing) use a constant-time fixed-base comb and Fermat inversions.
/// Verification and recovery handle public data only and use faster variable-time algorithms.
/// </remarks>
public static class Secp256k1
{
    /// <summary>Length of a private key: a 32-byte big-endian integer d with 1 &lt;= d &lt; n.</summary>
    public const int PrivateKeyLength = 32;

    /// <summary>Length of a public key: x || y, each 32 bytes big-endian, without the 0x04 prefix.</summary>
    public const int PublicKeyLength = 64;

    /// <summary>Length of a recoverable signature r || s || v (v = recovery id, 0 or 1).</summary>
    public const int SignatureLength = 65;

    private const int CompressedPublicKeyLength = 33;
    private const int DigestLength = 32;
    private const int ScalarLength = 32;

    /// <summary>True when <paramref name="privateKey"/> is 32 bytes encoding d with 1 &lt;= d &lt; n.</summary>
    public static bool IsValidPrivateKey(ReadOnlySpan<byte> privateKey) =>
        privateKey.Length == PrivateKeyLength && Secp256k1Scalar.TryRead(privateKey, out var d) && !d.IsZero;

    /// <summary>Generates a private key from the system's cryptographic random source (rejection sampling, so uniform in [1, n)).</summary>
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

    /// <summary>Computes the public key d G as x || y.</summary>
    /// <exception cref="ArgumentException">The private key is not 32 bytes or not in [1, n).</exception>
    public static byte[] DerivePublicKey(ReadOnlySpan<byte> privateKey)
    {
        var d = ReadPrivateKey(privateKey);
        var point = Secp256k1Multiplier.MultiplyGenerator(d);
        ToAffine(point, out var x, out var y);
        var publicKey = new byte[PublicKeyLength];
        x.Write(publicKey);
        y.Write(publicKey.AsSpan(32));
        return publicKey;
    }

    /// <summary>True when <paramref name="publicKey64"/> is 64 bytes encoding coordinates below p of a point on the curve.</summary>
    public static bool IsValidPublicKey(ReadOnlySpan<byte> publicKey64) => TryReadPublicKey(publicKey64, out _);

    /// <summary>
    /// Signs a 32-byte digest with an RFC 6979 (HMAC-SHA256) nonce, normalises s to the lower half (flipping v) and
    /// returns r || s || v.
    /// </summary>
    /// <remarks>
    /// A nonce whose point has x >= n (recovery id 2 or 3, probability about 2^-127) cannot be expressed with v in
    /// {0, 1}, so it is skipped like an invalid nonce and the next RFC 6979 candidate is used.
    /// </remarks>
    /// <exception cref="ArgumentException">The private key is invalid or the digest is not 32 bytes.</exception>
    public static byte[] Sign(ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> digest32)
    {
        var d = ReadPrivateKey(privateKey);
        if (digest32.Length != DigestLength)
        {
            throw new ArgumentException($"secp256k1 digest must be {DigestLength} bytes, got {digest32.Length}", nameof(digest32));
        }

        var e = Secp256k1Scalar.ReadReduced(digest32);
        using var nonce = new Rfc6979Nonce(privateKey, digest32);
        Span<byte> xBytes = stackalloc byte[32];
        while (true)
        {
            var k = nonce.Next();
            var point = Secp256k1Multiplier.MultiplyGenerator(k);
            ToAffine(point, out var x, out var y);
            x.Write(xBytes);
            if (!Secp256k1Scalar.TryRead(xBytes, out var r) || r.IsZero)
            {
                continue;
            }

            var s = Secp256k1Scalar.Multiply(Secp256k1Scalar.Invert(k), Secp256k1Scalar.Add(e, Secp256k1Scalar.Multiply(r, d)));
            if (s.IsZero)
            {
                continue;
            }

            byte recoveryId = y.IsOdd ? (byte)1 : (byte)0;
            if (s.IsHigh)
            {
                // (r, n - s) is the signature of the nonce -k, whose point is R negated: y flips parity.
                s = Secp256k1Scalar.Negate(s);
                recoveryId ^= 1;
            }

            var signature = new byte[SignatureLength];
            r.Write(signature);
            s.Write(signature.AsSpan(32));
            signature[64] = recoveryId;
            return signature;
        }
    }

    /// <summary>
    /// Verifies a signature r || s (64 bytes) or r || s || v (65 bytes, v ignored) of a 32-byte digest. High s is
    /// accepted. Returns false, never throws, for any malformed input (wrong lengths, r or s zero or >= n, a public
    /// key off the curve).
    /// </summary>
    public static bool Verify(ReadOnlySpan<byte> publicKey64, ReadOnlySpan<byte> digest32, ReadOnlySpan<byte> signature)
    {
        if (digest32.Length != DigestLength || (signature.Length != 64 && signature.Length != SignatureLength))
        {
            return false;
        }

        if (!TryReadPublicKey(publicKey64, out var publicKey)
            || !Secp256k1Scalar.TryRead(signature[..ScalarLength], out var r) || r.IsZero
            || !Secp256k1Scalar.TryRead(signature.Slice(ScalarLength, ScalarLength), out var s) || s.IsZero)
        {
            return false;
        }

        var e = Secp256k1Scalar.ReadReduced(digest32);
        var w = Secp256k1Scalar.InvertVariableTime(s);
        var u1 = Secp256k1Scalar.Multiply(e, w);
        var u2 = Secp256k1Scalar.Multiply(r, w);
        var point = Secp256k1Multiplier.MultiplyAddVariableTime(u1, publicKey, u2);
        if (point.IsInfinity)
        {
            return false;
        }

        // Compare x(Q) mod n with r without inverting Z: X == r Z^2, or (r + n) Z^2 when r + n < p.
        var z2 = Secp256k1Field.Square(point.Z);
        var rField = new Secp256k1Field(r.L0, r.L1, r.L2, r.L3);
        if (Secp256k1Field.AreEqual(point.X, Secp256k1Field.Multiply(rField, z2)))
        {
            return true;
        }

        if (!IsBelowPMinusN(r))
        {
            return false;
        }

        var rPlusN = Secp256k1Field.Add(rField, new Secp256k1Field(0xBFD25E8CD0364141UL, 0xBAAEDCE6AF48A03BUL, 0xFFFFFFFFFFFFFFFEUL, 0xFFFFFFFFFFFFFFFFUL));
        return Secp256k1Field.AreEqual(point.X, Secp256k1Field.Multiply(rPlusN, z2));
    }

    /// <summary>
    /// Recovers the public key that produced signature r || s with recovery id 0..3 (bit 0: parity of R's y;
    /// bit 1: R's x is r + n). Returns false for r or s zero or >= n, a recovery id outside 0..3, an x that is not on
    /// the curve, or a result at infinity.
    /// </summary>
    /// <exception cref="ArgumentException">The digest is not 32 bytes or the destination is shorter than 64 bytes.</exception>
    public static bool TryRecover(ReadOnlySpan<byte> digest32, ReadOnlySpan<byte> rs64, int recoveryId, Span<byte> publicKey64)
    {
        if (digest32.Length != DigestLength)
        {
            throw new ArgumentException($"secp256k1 digest must be {DigestLength} bytes, got {digest32.Length}", nameof(digest32));
        }

        if (publicKey64.Length < PublicKeyLength)
        {
            throw new ArgumentException($"public key destination must hold {PublicKeyLength} bytes, got {publicKey64.Length}", nameof(publicKey64));
        }

        if (rs64.Length != 64 || (uint)recoveryId > 3
            || !Secp256k1Scalar.TryRead(rs64[..ScalarLength], out var r) || r.IsZero
            || !Secp256k1Scalar.TryRead(rs64.Slice(ScalarLength, ScalarLength), out var s) || s.IsZero)
        {
            return false;
        }

        var x = new Secp256k1Field(r.L0, r.L1, r.L2, r.L3);
        if ((recoveryId & 2) != 0)
        {
            if (!IsBelowPMinusN(r))
            {
                return false;
            }

            x = Secp256k1Field.Add(x, new Secp256k1Field(0xBFD25E8CD0364141UL, 0xBAAEDCE6AF48A03BUL, 0xFFFFFFFFFFFFFFFEUL, 0xFFFFFFFFFFFFFFFFUL));
        }

        if (!Secp256k1Field.TrySquareRoot(Secp256k1AffinePoint.CurveRightSide(x), out var y))
        {
            return false;
        }

        if (y.IsOdd != ((recoveryId & 1) != 0))
        {
            y = Secp256k1Field.Negate(y);
        }

        // Q = r^-1 (s R - e G) = (-e / r) G + (s / r) R.
        var e = Secp256k1Scalar.ReadReduced(digest32);
        var rInverse = Secp256k1Scalar.InvertVariableTime(r);
        var u1 = Secp256k1Scalar.Negate(Secp256k1Scalar.Multiply(e, rInverse));
        var u2 = Secp256k1Scalar.Multiply(s, rInverse);
        var point = Secp256k1Multiplier.MultiplyAddVariableTime(u1, new Secp256k1AffinePoint(x, y), u2);
        if (point.IsInfinity)
        {
            return false;
        }

        var zInverse = Secp256k1Field.InvertVariableTime(point.Z);
        var zInverse2 = Secp256k1Field.Square(zInverse);
        Secp256k1Field.Multiply(point.X, zInverse2).Write(publicKey64);
        Secp256k1Field.Multiply(point.Y, Secp256k1Field.Multiply(zInverse2, zInverse)).Write(publicKey64[32..]);
        return true;
    }

    /// <summary>True when s (32 bytes big-endian) is at most n / 2, the canonical form required by EIP-2.</summary>
    /// <exception cref="ArgumentException"><paramref name="s32"/> is not 32 bytes.</exception>
    public static bool IsLowS(ReadOnlySpan<byte> s32)
    {
        if (s32.Length != ScalarLength)
        {
            throw new ArgumentException($"secp256k1 s must be {ScalarLength} bytes, got {s32.Length}", nameof(s32));
        }

        return Secp256k1Scalar.TryRead(s32, out var s) && !s.IsHigh;
    }

    /// <summary>Compresses x || y to the 33-byte SEC 1 form (0x02 or 0x03 by the parity of y, then x).</summary>
    /// <exception cref="ArgumentException">The public key is not a valid 64-byte point.</exception>
    public static byte[] CompressPublicKey(ReadOnlySpan<byte> publicKey64)
    {
        if (!TryReadPublicKey(publicKey64, out var point))
        {
            throw new ArgumentException($"not a valid secp256k1 public key: expected {PublicKeyLength} bytes x || y of a point on the curve, got {publicKey64.Length} bytes", nameof(publicKey64));
        }

        var compressed = new byte[CompressedPublicKeyLength];
        compressed[0] = point.Y.IsOdd ? (byte)0x03 : (byte)0x02;
        point.X.Write(compressed.AsSpan(1));
        return compressed;
    }

    /// <summary>Expands a 33-byte SEC 1 compressed key to x || y.</summary>
    /// <exception cref="ArgumentException">Wrong length, a prefix other than 0x02/0x03, x >= p, or x not on the curve.</exception>
    public static byte[] DecompressPublicKey(ReadOnlySpan<byte> compressed33)
    {
        if (compressed33.Length != CompressedPublicKeyLength)
        {
            throw new ArgumentException($"compressed secp256k1 public key must be {CompressedPublicKeyLength} bytes, got {compressed33.Length}", nameof(compressed33));
        }

        byte prefix = compressed33[0];
        if (prefix != 0x02 && prefix != 0x03)
        {
            throw new ArgumentException($"compressed secp256k1 public key prefix must be 0x02 or 0x03, got 0x{prefix:x2}", nameof(compressed33));
        }

        if (!Secp256k1Field.TryRead(compressed33[1..], out var x))
        {
            throw new ArgumentException("compressed secp256k1 public key x coordinate is not below the field prime p", nameof(compressed33));
        }

        if (!Secp256k1Field.TrySquareRoot(Secp256k1AffinePoint.CurveRightSide(x), out var y))
        {
            throw new ArgumentException("compressed secp256k1 public key x coordinate is not on the curve (x^3 + 7 has no square root)", nameof(compressed33));
        }

        if (y.IsOdd != (prefix == 0x03))
        {
            y = Secp256k1Field.Negate(y);
        }

        var publicKey = new byte[PublicKeyLength];
        x.Write(publicKey);
        y.Write(publicKey.AsSpan(32));
        return publicKey;
    }

    private static Secp256k1Scalar ReadPrivateKey(ReadOnlySpan<byte> privateKey)
    {
        if (privateKey.Length != PrivateKeyLength)
        {
            throw new ArgumentException($"secp256k1 private key must be {PrivateKeyLength} bytes, got {privateKey.Length}", nameof(privateKey));
        }

        if (!Secp256k1Scalar.TryRead(privateKey, out var d) || d.IsZero)
        {
            throw new ArgumentException("secp256k1 private key must be an integer d with 1 <= d < n (the group order)", nameof(privateKey));
        }

        return d;
    }

    private static bool TryReadPublicKey(ReadOnlySpan<byte> publicKey64, out Secp256k1AffinePoint point)
    {
        point = default;
        if (publicKey64.Length != PublicKeyLength
            || !Secp256k1Field.TryRead(publicKey64[..32], out var x)
            || !Secp256k1Field.TryRead(publicKey64[32..], out var y))
        {
            return false;
        }

        point = new Secp256k1AffinePoint(x, y);
        return point.IsOnCurve;
    }

    /// <summary>r &lt; p - n, i.e. r + n is still a field element (possible x of R when x was reduced mod n).</summary>
    private static bool IsBelowPMinusN(in Secp256k1Scalar r)
    {
        // p - n = 0x1_4551231950B75FC4_402DA1722FC9BAEE (129 bits).
        const ulong Limb1 = 0x4551231950B75FC4UL;
        const ulong Limb0 = 0x402DA1722FC9BAEEUL;
        if (r.L3 != 0 || r.L2 > 1)
        {
            return false;
        }

        return r.L2 == 0 || r.L1 < Limb1 || (r.L1 == Limb1 && r.L0 < Limb0);
    }

    /// <summary>Constant-time conversion to affine coordinates (the point must be finite).</summary>
    private static void ToAffine(in Secp256k1JacobianPoint point, out Secp256k1Field x, out Secp256k1Field y)
    {
        var zInverse = Secp256k1Field.Invert(point.Z);
        var zInverse2 = Secp256k1Field.Square(zInverse);
        x = Secp256k1Field.Multiply(point.X, zInverse2);
        y = Secp256k1Field.Multiply(point.Y, Secp256k1Field.Multiply(zInverse2, zInverse));
    }
}
