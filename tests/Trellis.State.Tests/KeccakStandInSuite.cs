using Trellis.Core;
using Trellis.Crypto;

namespace Trellis.State.Tests;

// TEMPORARY: stands in for StandardSuite (Keccak-256 hash only) until it lands on main; delete then.
internal sealed class KeccakStandInSuite : ICryptoSuite
{
    public static readonly KeccakStandInSuite Instance = new();

    public string Name => "standard";

    public string HashAlgorithm => "Keccak-256";

    public string SignatureAlgorithm => throw new NotSupportedException();

    public CurveKind Curve => throw new NotSupportedException();

    public int SignatureLength => throw new NotSupportedException();

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
