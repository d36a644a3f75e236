using Trellis.Core;

namespace Trellis.Crypto.Standard;

/// <summary>
/// The Ethereum-compatible suite: Keccak-256 ledger hash, ECDSA over secp256k1 with recoverable signatures
/// (r || s || v, v the recovery id 0 or 1), AES-256-GCM.
/// </summary>
public sealed class StandardSuite : ICryptoSuite
{
    /// <summary>The single instance; the suite holds no state.</summary>
    public static readonly StandardSuite Instance = new();

    private StandardSuite()
    {
    }

    public string Name => "standard";

    public string HashAlgorithm => "Keccak-256";

    public string SignatureAlgorithm => "ECDSA secp256k1";

    public CurveKind Curve => CurveKind.Secp256k1;

    public int SignatureLength => Secp256k1.SignatureLength;

    public IAeadCipher Aead => Aes256GcmCipher.Instance;

    public Hash256 Hash(ReadOnlySpan<byte> data) => Keccak256.Hash(data);

    public void Hash(ReadOnlySpan<byte> data, Span<byte> destination) => Keccak256.Hash(data, destination);

    public PrivateKey GeneratePrivateKey() => new(CurveKind.Secp256k1, Secp256k1.GeneratePrivateKey());

    public PrivateKey ImportPrivateKey(ReadOnlySpan<byte> privateKey)
    {
        if (privateKey.Length != PrivateKey.Length)
        {
            throw new ArgumentException($"a secp256k1 private key is 32 bytes, got {privateKey.Length}", nameof(privateKey));
        }

        if (!Secp256k1.IsValidPrivateKey(privateKey))
        {
            throw new ArgumentException("not a valid secp256k1 private key: it must be in [1, n-1]", nameof(privateKey));
        }

        return new PrivateKey(CurveKind.Secp256k1, privateKey);
    }

    public PublicKey ImportPublicKey(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != PublicKey.Length || !Secp256k1.IsValidPublicKey(publicKey))
        {
            throw new ArgumentException($"not a valid secp256k1 public key ({publicKey.Length} bytes; expected x || y of a point on the curve)", nameof(publicKey));
        }

        return new PublicKey(CurveKind.Secp256k1, publicKey);
    }

    public PublicKey DerivePublicKey(PrivateKey privateKey)
    {
        CheckCurve(privateKey);
        return new PublicKey(CurveKind.Secp256k1, Secp256k1.DerivePublicKey(privateKey.Bytes));
    }

    public Address ToAddress(PublicKey publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        return Address.FromHash(Keccak256.Hash(publicKey.Bytes));
    }

    public byte[] Sign(PrivateKey privateKey, ReadOnlySpan<byte> message)
    {
        CheckCurve(privateKey);
        Span<byte> digest = stackalloc byte[32];
        Keccak256.Hash(message, digest);
        return Secp256k1.Sign(privateKey.Bytes, digest);
    }

    public bool Verify(PublicKey publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        if (publicKey.Curve != CurveKind.Secp256k1 || signature.Length != Secp256k1.SignatureLength || signature[64] > 1)
        {
            return false;
        }

        Span<byte> digest = stackalloc byte[32];
        Keccak256.Hash(message, digest);
        return Secp256k1.Verify(publicKey.Bytes, digest, signature[..64]);
    }

    public bool TryRecoverSigner(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature, out PublicKey signer)
    {
        signer = null!;
        if (signature.Length != Secp256k1.SignatureLength || signature[64] > 1)
        {
            return false;
        }

        Span<byte> digest = stackalloc byte[32];
        Keccak256.Hash(message, digest);
        Span<byte> recovered = stackalloc byte[PublicKey.Length];
        if (!Secp256k1.TryRecover(digest, signature[..64], signature[64], recovered))
        {
            return false;
        }

        signer = new PublicKey(CurveKind.Secp256k1, recovered);
        return true;
    }

    private static void CheckCurve(PrivateKey privateKey)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        if (privateKey.Curve != CurveKind.Secp256k1)
        {
            throw new ArgumentException($"the standard suite signs with secp256k1 keys, but this key is {privateKey.Curve}", nameof(privateKey));
        }
    }
}
