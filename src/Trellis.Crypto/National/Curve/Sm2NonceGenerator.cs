namespace Trellis.Crypto.National.Curve;

/// <summary>
/// Deterministic SM2 nonces in the manner of RFC 6979 section 3.2, with HMAC-SM3 as the HMAC and the SM2 order n
/// as q (qlen = hlen = 256, so one HMAC output is one candidate). Keyed by the private key d and the digest e, so a
/// signer never reuses a nonce across different messages and needs no random source.
/// </summary>
internal sealed class Sm2NonceGenerator
{
    private const int BlockLength = 64;
    private readonly byte[] _key = new byte[Sm3.HashLength];
    private readonly byte[] _value = new byte[Sm3.HashLength];
    private readonly Sm3Hasher _hasher = new();
    private bool _first = true;

    /// <param name="privateKey32">d as 32 big-endian bytes (int2octets(x)).</param>
    /// <param name="digest32">e reduced modulo n as 32 big-endian bytes (bits2octets(h1)).</param>
    public Sm2NonceGenerator(ReadOnlySpan<byte> privateKey32, ReadOnlySpan<byte> digest32)
    {
        // Step b and c: V = 0x01..., K = 0x00...
        _value.AsSpan().Fill(0x01);
        _key.AsSpan().Clear();

        // Steps d-g.
        Span<byte> seed = stackalloc byte[Sm3.HashLength + 1 + 32 + 32];
        for (byte round = 0; round < 2; round++)
        {
            _value.CopyTo(seed);
            seed[Sm3.HashLength] = round;
            privateKey32.CopyTo(seed.Slice(Sm3.HashLength + 1));
            digest32.CopyTo(seed.Slice(Sm3.HashLength + 33));
            Mac(_key, seed, _key);
            Mac(_key, _value, _value);
        }
    }

    /// <summary>Returns the next candidate k with 1 &lt;= k &lt; n (step h, including its retry rule).</summary>
    public Sm2Scalar Next()
    {
        Span<byte> data = stackalloc byte[Sm3.HashLength + 1];
        while (true)
        {
            if (!_first)
            {
                // Step h.3: K = HMAC_K(V || 0x00), V = HMAC_K(V) before each further candidate.
                _value.CopyTo(data);
                data[Sm3.HashLength] = 0;
                Mac(_key, data, _key);
                Mac(_key, _value, _value);
            }

            _first = false;
            Mac(_key, _value, _value);
            if (Sm2Scalar.TryRead(_value, out var k) && !k.IsZero)
            {
                return k;
            }
        }
    }

    private void Mac(ReadOnlySpan<byte> key32, ReadOnlySpan<byte> data, Span<byte> output32)
    {
        Span<byte> pad = stackalloc byte[BlockLength];
        Span<byte> inner = stackalloc byte[Sm3.HashLength];

        pad.Fill(0x36);
        for (var i = 0; i < key32.Length; i++)
        {
            pad[i] ^= key32[i];
        }

        _hasher.Update(pad);
        _hasher.Update(data);
        _hasher.Finish(inner);

        pad.Fill(0x5c);
        for (var i = 0; i < key32.Length; i++)
        {
            pad[i] ^= key32[i];
        }

        _hasher.Update(pad);
        _hasher.Update(inner);
        _hasher.Finish(output32);
    }
}
