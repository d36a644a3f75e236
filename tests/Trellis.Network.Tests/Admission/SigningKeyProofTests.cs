using System.Security.Cryptography;
using Trellis.Core;
using Trellis.Crypto;
using Trellis.Network.Admission;

namespace Trellis.Network.Tests.Admission;

public sealed class SigningKeyProofTests
{
    private static readonly Hash256 Prover = new(SHA256.HashData("prover"u8));
    private static readonly Hash256 Verifier = new(SHA256.HashData("verifier"u8));
    private readonly byte[] _proverNonce = RandomNumberGenerator.GetBytes(32);
    private readonly byte[] _verifierNonce = RandomNumberGenerator.GetBytes(32);

    [Theory]
    [InlineData("standard")]
    [InlineData("national")]
    public void Proof_VerifiesForTheSignersAddress_AndNothingElse(string suiteName)
    {
        ICryptoSuite suite = CryptoSuites.Get(suiteName);
        PrivateKey key = suite.GeneratePrivateKey();
        Address address = suite.ToAddress(suite.DerivePublicKey(key));
        byte[] proof = SigningKeyProof.Create(suite, key, "net", Prover, Verifier, _proverNonce, _verifierNonce);
        Assert.Equal(suite.SignatureLength, proof.Length);

        Assert.True(Verify(suite, proof, address, "net", Prover, Verifier, _proverNonce, _verifierNonce, out string? error), error);

        Address other = suite.ToAddress(suite.DerivePublicKey(suite.GeneratePrivateKey()));
        Assert.False(Verify(suite, proof, other, "net", Prover, Verifier, _proverNonce, _verifierNonce, out error));
        Assert.Contains("but the certificate names", error, StringComparison.Ordinal);

        // Another network, a swapped (reflected) direction, a fresh nonce: each makes another transcript.
        Assert.False(Verify(suite, proof, address, "other", Prover, Verifier, _proverNonce, _verifierNonce, out _));
        Assert.False(Verify(suite, proof, address, "net", Verifier, Prover, _verifierNonce, _proverNonce, out _));
        Assert.False(Verify(suite, proof, address, "net", Prover, Verifier, _proverNonce, RandomNumberGenerator.GetBytes(32), out _));
    }

    [Fact]
    public void Proof_OfTheWrongLengthOrGarbage_IsRefusedWithAReason()
    {
        ICryptoSuite suite = CryptoSuites.Standard;
        Assert.False(Verify(suite, new byte[10], Address.Zero, "net", Prover, Verifier, _proverNonce, _verifierNonce, out string? error));
        Assert.Contains("a standard-suite signature is 65", error, StringComparison.Ordinal);
        Assert.False(Verify(suite, new byte[65], Address.Zero, "net", Prover, Verifier, _proverNonce, _verifierNonce, out error));
        Assert.Contains("not a valid", error, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => SigningKeyProof.Transcript("net", Prover, Verifier, new byte[31], _verifierNonce));
    }

    [Fact]
    public void Transcript_IsTheDocumentedLayout()
    {
        byte[] transcript = SigningKeyProof.Transcript("n", Prover, Verifier, _proverNonce, _verifierNonce);
        byte[] domain = "trellis/peer-signing-key-proof/v1"u8.ToArray();
        byte[] expected =
        [
            0, 0, 0, (byte)domain.Length, .. domain,
            0, 0, 0, 1, (byte)'n',
            .. Prover.Bytes, .. Verifier.Bytes, .. _proverNonce, .. _verifierNonce,
        ];
        Assert.Equal(expected, transcript);
    }

    private static bool Verify(ICryptoSuite suite, byte[] proof, Address address, string network, Hash256 prover, Hash256 verifier, byte[] proverNonce, byte[] verifierNonce, out string? error) =>
        SigningKeyProof.TryVerify(suite, proof, address, network, prover, verifier, proverNonce, verifierNonce, out error);
}
