using Trellis.Core;
using Trellis.Crypto;

namespace Trellis.Evm.Tests;

/// <summary>The hashing half of the standard suite (Keccak-256), enough for the interpreter tests.</summary>
internal sealed class KeccakSuite : ICryptoSuite
{
    public string Name => "standard";

    public string HashAlgorithm => "KECCAK-256";

    public string SignatureAlgorithm => "ECDSA-secp256k1";

    public CurveKind Curve => CurveKind.Secp256k1;

    public int SignatureLength => 65;

    public IAeadCipher Aead => throw new NotSupportedException();

    public Hash256 Hash(ReadOnlySpan<byte> data) => Keccak256.Hash(data);

    public void Hash(ReadOnlySpan<byte> data, Span<byte> destination) => Keccak256.Hash(data, destination);

    public PrivateKey GeneratePrivateKey() => throw new NotSupportedException();

    public PrivateKey ImportPrivateKey(ReadOnlySpan<byte> privateKey) => throw new NotSupportedException();

    public PublicKey DerivePublicKey(PrivateKey privateKey) => throw new NotSupportedException();

    public PublicKey ImportPublicKey(ReadOnlySpan<byte> publicKey) => throw new NotSupportedException();

    public Address ToAddress(PublicKey publicKey) => throw new NotSupportedException();

    public byte[] Sign(PrivateKey privateKey, ReadOnlySpan<byte> message) => throw new NotSupportedException();

    public bool Verify(PublicKey publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) => throw new NotSupportedException();

    public bool TryRecoverSigner(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature, out PublicKey signer) => throw new NotSupportedException();
}
