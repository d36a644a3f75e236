using System.Numerics;
using System.Security.Cryptography;
using Trellis.Crypto.Standard;

namespace Trellis.Crypto.Tests.Standard;

/// <summary>Cross-checks against the <c>openssl</c> command run as a separate process, in both directions.</summary>
public sealed class Secp256k1OpenSslTests : IDisposable
{
    private const int Cases = 20;
    private readonly OpenSslEcProcess _openSsl = new();

    [Fact]
    public void OpenSslKeysAndSignatures_AreAcceptedByOurs()
    {
        var order = new BigInteger(Convert.FromHexString("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141"), isUnsigned: true, isBigEndian: true);
        var recovered = new byte[64];
        for (int i = 0; i < Cases; i++)
        {
            var (keyFile, privateKey, publicKey) = _openSsl.GenerateKey();
            var digest = RandomNumberGenerator.GetBytes(32);
            var rs = _openSsl.Sign(keyFile, digest);

            Assert.Equal(publicKey, Secp256k1.DerivePublicKey(privateKey));
            Assert.True(Secp256k1.IsValidPublicKey(publicKey));
            Assert.True(Secp256k1.Verify(publicKey, digest, rs), $"OpenSSL signature {Convert.ToHexString(rs)} rejected");

            // OpenSSL does not report the recovery id and may return a high s: one of ids 0 and 1 recovers the key.
            bool recoveredKey = false;
            for (int recoveryId = 0; recoveryId < 2; recoveryId++)
            {
                recoveredKey |= Secp256k1.TryRecover(digest, rs, recoveryId, recovered) && recovered.AsSpan().SequenceEqual(publicKey);
            }

            Assert.True(recoveredKey);

            // A different digest must not verify.
            digest[0] ^= 0x80;
            Assert.False(Secp256k1.Verify(publicKey, digest, rs));

            var s = new BigInteger(rs.AsSpan(32), isUnsigned: true, isBigEndian: true);
            Assert.Equal(s <= order / 2, Secp256k1.IsLowS(rs.AsSpan(32)));
        }
    }

    [Fact]
    public void OurSignatures_AreAcceptedByOpenSsl()
    {
        for (int i = 0; i < Cases; i++)
        {
            var privateKey = Secp256k1.GeneratePrivateKey();
            var publicKey = Secp256k1.DerivePublicKey(privateKey);
            var digest = RandomNumberGenerator.GetBytes(32);
            var signature = Secp256k1.Sign(privateKey, digest);

            Assert.True(_openSsl.Verify(publicKey, digest, signature.AsSpan(0, 64)), $"OpenSSL rejected our signature {Convert.ToHexString(signature)}");
        }
    }

    [Fact]
    public void OpenSsl_RejectsTamperedSignaturesSoTheCrossCheckCanFail()
    {
        var privateKey = Secp256k1.GeneratePrivateKey();
        var publicKey = Secp256k1.DerivePublicKey(privateKey);
        var digest = RandomNumberGenerator.GetBytes(32);
        var signature = Secp256k1.Sign(privateKey, digest);
        signature[10] ^= 1;

        Assert.False(_openSsl.Verify(publicKey, digest, signature.AsSpan(0, 64)));
    }

    public void Dispose() => _openSsl.Dispose();
}
