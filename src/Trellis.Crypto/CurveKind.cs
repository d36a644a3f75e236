namespace Trellis.Crypto;

/// <summary>The elliptic curves Trellis keys live on.</summary>
public enum CurveKind
{
    /// <summary>secp256k1 (SEC 2), used by the standard suite's ECDSA.</summary>
    Secp256k1,

    /// <summary>sm2p256v1 (GB/T 32918.5), used by the national suite's SM2.</summary>
    Sm2,
}
