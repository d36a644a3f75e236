using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using Trellis.Core;
using Trellis.Crypto;

namespace Trellis.Network.Admission;

/// <summary>
/// The handshake proof that a peer holds the ledger signing key its TLS certificate names. .NET exposes no TLS 1.3
/// channel binding (RFC 9266 tls-exporter), so each side sends a fresh random nonce in its hello and then signs,
/// with its ledger key, a transcript binding: a domain string, the network id, its own certificate fingerprint, the
/// other side's certificate fingerprint, its own nonce and the other side's nonce. The fingerprints tie the proof to
/// this TLS session's certificates (a relay would present another certificate); the other side's nonce makes it fresh;
/// the order (prover first) stops a proof from being reflected back to its maker.
/// </summary>
public static class SigningKeyProof
{
    /// <summary>Bytes in a hello nonce.</summary>
    public const int NonceLength = 32;

    /// <summary>The domain separator at the start of every transcript.</summary>
    public const string Domain = "trellis/peer-signing-key-proof/v1";

    /// <summary>The transcript the prover signs.</summary>
    /// <exception cref="ArgumentException">A nonce is not <see cref="NonceLength"/> bytes.</exception>
    public static byte[] Transcript(string networkId, Hash256 proverCertificate, Hash256 verifierCertificate, ReadOnlySpan<byte> proverNonce, ReadOnlySpan<byte> verifierNonce)
    {
        ArgumentNullException.ThrowIfNull(networkId);
        if (proverNonce.Length != NonceLength || verifierNonce.Length != NonceLength)
        {
            throw new ArgumentException($"hello nonces are {NonceLength} bytes, got {proverNonce.Length} and {verifierNonce.Length}", nameof(proverNonce));
        }

        byte[] domain = Encoding.ASCII.GetBytes(Domain);
        byte[] network = Encoding.UTF8.GetBytes(networkId);
        var transcript = new byte[4 + domain.Length + 4 + network.Length + (2 * Hash256.Length) + (2 * NonceLength)];
        Span<byte> rest = transcript;
        rest = WriteLengthPrefixed(rest, domain);
        rest = WriteLengthPrefixed(rest, network);
        proverCertificate.Bytes.CopyTo(rest);
        rest = rest[Hash256.Length..];
        verifierCertificate.Bytes.CopyTo(rest);
        rest = rest[Hash256.Length..];
        proverNonce.CopyTo(rest);
        verifierNonce.CopyTo(rest[NonceLength..]);
        return transcript;
    }

    /// <summary>Signs the transcript with the prover's ledger key.</summary>
    public static byte[] Create(ICryptoSuite suite, PrivateKey signingKey, string networkId, Hash256 proverCertificate, Hash256 verifierCertificate, ReadOnlySpan<byte> proverNonce, ReadOnlySpan<byte> verifierNonce)
    {
        ArgumentNullException.ThrowIfNull(suite);
        ArgumentNullException.ThrowIfNull(signingKey);
        return suite.Sign(signingKey, Transcript(networkId, proverCertificate, verifierCertificate, proverNonce, verifierNonce));
    }

    /// <summary>
    /// Checks a proof: it is a valid signature of the suite over the transcript, and its signer's address is
    /// <paramref name="expectedAddress"/> (the address in the prover's certificate).
    /// </summary>
    public static bool TryVerify(
        ICryptoSuite suite,
        ReadOnlySpan<byte> proof,
        Address expectedAddress,
        string networkId,
        Hash256 proverCertificate,
        Hash256 verifierCertificate,
        ReadOnlySpan<byte> proverNonce,
        ReadOnlySpan<byte> verifierNonce,
        [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(suite);
        if (proof.Length != suite.SignatureLength)
        {
            error = $"signing key proof is {proof.Length} bytes; a {suite.Name}-suite signature is {suite.SignatureLength}";
            return false;
        }

        byte[] transcript = Transcript(networkId, proverCertificate, verifierCertificate, proverNonce, verifierNonce);
        if (!suite.TryRecoverSigner(transcript, proof, out PublicKey signer))
        {
            error = $"signing key proof is not a valid {suite.SignatureAlgorithm} signature over this connection's transcript";
            return false;
        }

        Address address = suite.ToAddress(signer);
        if (address != expectedAddress)
        {
            error = $"signing key proof was made by {address.ToLowerHex()}, but the certificate names {expectedAddress.ToLowerHex()}";
            return false;
        }

        error = null;
        return true;
    }

    private static Span<byte> WriteLengthPrefixed(Span<byte> destination, ReadOnlySpan<byte> value)
    {
        BinaryPrimitives.WriteInt32BigEndian(destination, value.Length);
        value.CopyTo(destination[4..]);
        return destination[(4 + value.Length)..];
    }
}
