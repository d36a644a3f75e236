using Trellis.Core;

namespace Trellis.Crypto;

/// <summary>
/// The algorithms a chain signs, hashes and encrypts its ledger data with, chosen once at genesis
/// (DESIGN.md, "Two crypto suites"). Everything that signs or hashes ledger data takes a suite as a dependency and
/// never calls a concrete algorithm directly.
/// </summary>
public interface ICryptoSuite
{
    /// <summary>The suite's name in configuration files and on the command line: <c>standard</c> or <c>national</c>.</summary>
    string Name { get; }

    /// <summary>The ledger hash: Keccak-256 (standard) or SM3 (national).</summary>
    string HashAlgorithm { get; }

    /// <summary>The signature scheme: ECDSA over secp256k1 (standard) or SM2 (national).</summary>
    string SignatureAlgorithm { get; }

    /// <summary>The curve of the suite's signing keys.</summary>
    CurveKind Curve { get; }

    /// <summary>Bytes in a signature: 65 (r, s, recovery id) or 128 (SM2 r, s and the signer's public key).</summary>
    int SignatureLength { get; }

    /// <summary>Authenticated symmetric encryption: AES-256-GCM (standard) or SM4-GCM (national).</summary>
    IAeadCipher Aead { get; }

    /// <summary>Hashes ledger data (blocks, transaction ids, tries, addresses).</summary>
    Hash256 Hash(ReadOnlySpan<byte> data);

    /// <summary>Hashes ledger data into a 32-byte destination.</summary>
    void Hash(ReadOnlySpan<byte> data, Span<byte> destination);

    /// <summary>Draws a new private key from a cryptographic random source.</summary>
    PrivateKey GeneratePrivateKey();

    /// <summary>Wraps 32 raw private-key bytes, checking that they are a valid key on the suite's curve.</summary>
    /// <exception cref="ArgumentException">The bytes are not a valid private key for this suite.</exception>
    PrivateKey ImportPrivateKey(ReadOnlySpan<byte> privateKey);

    /// <summary>Derives the public key of a private key of this suite.</summary>
    /// <exception cref="ArgumentException">The key belongs to the other suite's curve.</exception>
    PublicKey DerivePublicKey(PrivateKey privateKey);

    /// <summary>Wraps 64 raw public-key bytes (x || y), checking that the point is on the suite's curve.</summary>
    /// <exception cref="ArgumentException">The bytes are not a valid public key for this suite.</exception>
    PublicKey ImportPublicKey(ReadOnlySpan<byte> publicKey);

    /// <summary>The account address of a public key: the last 20 bytes of the suite hash of x || y.</summary>
    Address ToAddress(PublicKey publicKey);

    /// <summary>Signs a message; the suite hashes it as its scheme prescribes.</summary>
    /// <remarks>
    /// Standard: ECDSA over Keccak-256(message) with an RFC 6979 nonce and low s; the result is r || s || v.
    /// National: SM2 over SM3(Z_A || message) with the default user id; the result is r || s || public key.
    /// </remarks>
    byte[] Sign(PrivateKey privateKey, ReadOnlySpan<byte> message);

    /// <summary>Checks a signature of this suite over a message against an expected public key.</summary>
    bool Verify(PublicKey publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature);

    /// <summary>
    /// Finds who signed a message: recovers the key from (r, s, v) in the standard suite, or takes the carried key
    /// and verifies the signature against it in the national suite. Returns false for any invalid signature.
    /// </summary>
    bool TryRecoverSigner(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature, out PublicKey signer);
}
