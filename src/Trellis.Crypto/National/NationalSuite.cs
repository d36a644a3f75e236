using Trellis.Core;

namespace Trellis.Crypto.National;

/// <summary>
/// China's national algorithms: SM3 ledger hash (GB/T 32905), SM2 signatures (GB/T 32918) with the default user id
/// <c>1234567812345678</c>, SM4-GCM (GB/T 32907, RFC 8998). SM2 public keys cannot be recovered from a signature,
/// so a signature carries its signer: r || s || x || y (128 bytes).
/// </summary>
public sealed class NationalSuite : ICryptoSuite
{
    /// <summary>The single instance; the suite holds no state.</summary>
    public static readonly NationalSuite Instance = new();

    /// <summary>r || s || public key.</summary>
    public const int SuiteSignatureLength = Sm2.SignatureLength + Sm2.PublicKeyLength;

    private NationalSuite()
    {
    }

    public string Name => "national";

    public string HashAlgorithm => "SM3";

    public string SignatureAlgorithm => "SM2";

    public CurveKind Curve => CurveKind.Sm2;

    public int SignatureLength => SuiteSignatureLength;

    public IAeadCipher Aead => Sm4GcmCipher.Instance;

    public Hash256 Hash(ReadOnlySpan<byte> data)
    {
        Span<byte> digest = stackalloc byte[Hash256.Length];
        Sm3.Hash(data, digest);
        return new Hash256(digest);
    }

    public void Hash(ReadOnlySpan<byte> data, Span<byte> destination) => Sm3.Hash(data, destination);

    public PrivateKey GeneratePrivateKey() => new(CurveKind.Sm2, Sm2.GeneratePrivateKey());

    public PrivateKey ImportPrivateKey(ReadOnlySpan<byte> privateKey)
    {
        if (privateKey.Length != PrivateKey.Length)
        {
            throw new ArgumentException($"an SM2 private key is 32 bytes, got {privateKey.Length}", nameof(privateKey));
        }

        if (!Sm2.IsValidPrivateKey(privateKey))
        {
            throw new ArgumentException("not a valid SM2 private key: it must be in [1, n-2]", nameof(privateKey));
        }

        return new PrivateKey(CurveKind.Sm2, privateKey);
    }

    public PublicKey ImportPublicKey(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != PublicKey.Length || !Sm2.IsValidPublicKey(publicKey))
        {
            throw new ArgumentException($"not a valid SM2 public key ({publicKey.Length} bytes; expected x || y of a point on the curve)", nameof(publicKey));
        }

        return new PublicKey(CurveKind.Sm2, publicKey);
    }

    public PublicKey DerivePublicKey(PrivateKey privateKey)
    {
        CheckCurve(privateKey);
        return new PublicKey(CurveKind.Sm2, Sm2.DerivePublicKey(privateKey.Bytes));
    }

    public Address ToAddress(PublicKey publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        return Address.FromHash(Hash(publicKey.Bytes));
    }

    public byte[] Sign(PrivateKey privateKey, ReadOnlySpan<byte> message)
    {
        CheckCurve(privateKey);
        var publicKey = Sm2.DerivePublicKey(privateKey.Bytes);
        var rs = Sm2.Sign(privateKey.Bytes, message, Sm2.DefaultUserId);
        var signature = new byte[SuiteSignatureLength];
        rs.CopyTo(signature, 0);
        publicKey.CopyTo(signature, Sm2.SignatureLength);
        return signature;
    }

    public bool Verify(PublicKey publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        if (publicKey.Curve != CurveKind.Sm2 || signature.Length != SuiteSignatureLength)
        {
            return false;
        }

        // The carried key must be the expected one; otherwise a valid signature by someone else would pass.
        return signature[Sm2.SignatureLength..].SequenceEqual(publicKey.Bytes)
            && Sm2.Verify(publicKey.Bytes, message, signature[..Sm2.SignatureLength], Sm2.DefaultUserId);
    }

    public bool TryRecoverSigner(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature, out PublicKey signer)
    {
        signer = null!;
        if (signature.Length != SuiteSignatureLength)
        {
            return false;
        }

        var carried = signature[Sm2.SignatureLength..];
        if (!Sm2.IsValidPublicKey(carried) || !Sm2.Verify(carried, message, signature[..Sm2.SignatureLength], Sm2.DefaultUserId))
        {
            return false;
        }

        signer = new PublicKey(CurveKind.Sm2, carried);
        return true;
    }

    private static void CheckCurve(PrivateKey privateKey)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        if (privateKey.Curve != CurveKind.Sm2)
        {
            throw new ArgumentException($"the national suite signs with SM2 keys, but this key is {privateKey.Curve}", nameof(privateKey));
        }
    }
}
