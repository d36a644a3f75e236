using System.Security.Cryptography;

namespace Trellis.Crypto.Standard.EllipticCurve;

/// <summary>
/// Deterministic ECDSA nonces for secp256k1 per RFC 6979 section 3.2 with HMAC-SHA256 (qlen = hlen = 256 bits, so
/// each candidate is one HMAC output and bits2int is the identity).
/// </summary>
internal sealed class Rfc6979Nonce : IDisposable
{
    private readonly byte[] _key = new byte[32];
    private readonly byte[] _value = new byte[32];
    private bool _first = true;

    /// <param name="privateKey32">The private key x as 32 big-endian bytes (int2octets(x)).</param>
    /// <param name="digest32">The message hash h1; bits2octets(h1) = int2octets(h1 mod n).</param>
    public Rfc6979Nonce(ReadOnlySpan<byte> privateKey32, ReadOnlySpan<byte> digest32)
    {
        Span<byte> reducedDigest = stackalloc byte[32];
        Secp256k1Scalar.ReadReduced(digest32).Write(reducedDigest);

        // Steps b-g: V = 0x01..., K = 0x00..., then two rounds of K = HMAC_K(V || round || x || h), V = HMAC_K(V).
        _value.AsSpan().Fill(0x01);
        Span<byte> message = stackalloc byte[32 + 1 + 32 + 32];
        for (byte round = 0; round < 2; round++)
        {
            _value.CopyTo(message);
            message[32] = round;
            privateKey32.CopyTo(message[33..]);
            reducedDigest.CopyTo(message[65..]);
            HMACSHA256.HashData(_key, message, _key);
            HMACSHA256.HashData(_key, _value, _value);
        }

        CryptographicOperations.ZeroMemory(message);
    }

    /// <summary>Produces the next candidate k in [1, n) (step h; after the first, K and V are refreshed first as the RFC requires on rejection).</summary>
    public Secp256k1Scalar Next()
    {
        Span<byte> message = stackalloc byte[33];
        while (true)
        {
            if (!_first)
            {
                _value.CopyTo(message);
                message[32] = 0x00;
                HMACSHA256.HashData(_key, message, _key);
                HMACSHA256.HashData(_key, _value, _value);
            }

            _first = false;
            HMACSHA256.HashData(_key, _value, _value);
            if (Secp256k1Scalar.TryRead(_value, out var candidate) && !candidate.IsZero)
            {
                return candidate;
            }
        }
    }

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_key);
        CryptographicOperations.ZeroMemory(_value);
    }
}
