using Trellis.Core;

namespace Trellis.Crypto.Tests;

public class CryptoSuitesTests
{
    private static readonly byte[] One = Hex.Decode("0x0000000000000000000000000000000000000000000000000000000000000001");

    [Fact]
    public void Standard_AddressOfPrivateKeyOne_IsTheWellKnownEthereumAddress()
    {
        var suite = CryptoSuites.Standard;
        var address = suite.ToAddress(suite.DerivePublicKey(suite.ImportPrivateKey(One)));
        Assert.Equal("0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf", address.ToString());
    }

    [Fact]
    public void National_AddressIsTheLastTwentyBytesOfSm3OfThePublicKey()
    {
        var suite = CryptoSuites.National;
        var publicKey = suite.DerivePublicKey(suite.ImportPrivateKey(One));
        var expected = Trellis.Crypto.National.Sm3.Hash(publicKey.Bytes)[12..];
        Assert.Equal(expected, suite.ToAddress(publicKey).ToArray());
    }

    [Theory]
    [InlineData("standard")]
    [InlineData("national")]
    public void Sign_ThenRecover_ReturnsTheSigner(string name)
    {
        var suite = CryptoSuites.Get(name);
        var key = suite.GeneratePrivateKey();
        var message = "transfer 10 to bob"u8.ToArray();
        var signature = suite.Sign(key, message);
        Assert.Equal(suite.SignatureLength, signature.Length);
        Assert.True(suite.TryRecoverSigner(message, signature, out var signer));
        Assert.Equal(suite.DerivePublicKey(key), signer);
        Assert.True(suite.Verify(signer, message, signature));
    }

    [Theory]
    [InlineData("standard")]
    [InlineData("national")]
    public void TamperedMessageOrSignature_IsRejected(string name)
    {
        var suite = CryptoSuites.Get(name);
        var key = suite.GeneratePrivateKey();
        var publicKey = suite.DerivePublicKey(key);
        var message = "transfer 10 to bob"u8.ToArray();
        var signature = suite.Sign(key, message);

        Assert.False(suite.Verify(publicKey, "transfer 99 to bob"u8, signature));
        for (var i = 0; i < 64; i += 7)
        {
            var bad = (byte[])signature.Clone();
            bad[i] ^= 0x01;
            Assert.False(suite.Verify(publicKey, message, bad));
            if (suite.TryRecoverSigner(message, bad, out var other))
            {
                Assert.NotEqual(publicKey, other); // standard recovery yields some other key; never the signer
            }
        }

        Assert.False(suite.TryRecoverSigner(message, signature.AsSpan(0, signature.Length - 1), out _));
        Assert.False(suite.TryRecoverSigner(message, [], out _));
    }

    [Fact]
    public void National_SignatureCarryingAnotherKey_IsRejected()
    {
        var suite = CryptoSuites.National;
        var alice = suite.GeneratePrivateKey();
        var mallory = suite.DerivePublicKey(suite.GeneratePrivateKey());
        var message = "m"u8.ToArray();
        var signature = suite.Sign(alice, message);
        mallory.Bytes.CopyTo(signature.AsSpan(64));
        Assert.False(suite.TryRecoverSigner(message, signature, out _));
        Assert.False(suite.Verify(mallory, message, signature));
    }

    [Fact]
    public void Standard_RecoveryIdAboveOne_IsRejected()
    {
        var suite = CryptoSuites.Standard;
        var key = suite.GeneratePrivateKey();
        var signature = suite.Sign(key, "m"u8);
        signature[64] = 27; // the pre-EIP-155 encoding belongs to the transaction layer, not the suite
        Assert.False(suite.TryRecoverSigner("m"u8, signature, out _));
        Assert.False(suite.Verify(suite.DerivePublicKey(key), "m"u8, signature));
    }

    [Fact]
    public void KeyOfTheOtherSuite_IsRefusedWithTheCurveInTheMessage()
    {
        var sm2Key = CryptoSuites.National.GeneratePrivateKey();
        var error = Assert.Throws<ArgumentException>(() => CryptoSuites.Standard.Sign(sm2Key, "m"u8));
        Assert.Contains("Sm2", error.Message, StringComparison.Ordinal);
        Assert.False(CryptoSuites.Standard.Verify(CryptoSuites.National.DerivePublicKey(sm2Key), "m"u8, new byte[65]));
    }

    [Theory]
    [InlineData("standard", "0x00")]
    [InlineData("standard", "0x0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("standard", "0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")] // n
    [InlineData("national", "0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123")] // n
    [InlineData("national", "0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54122")] // n - 1 (SM2 needs d <= n - 2)
    public void ImportPrivateKey_OutOfRange_IsRejected(string name, string hex)
    {
        Assert.Throws<ArgumentException>(() => CryptoSuites.Get(name).ImportPrivateKey(Hex.Decode(hex)));
    }

    [Theory]
    [InlineData("standard")]
    [InlineData("national")]
    public void ImportPublicKey_OffTheCurve_IsRejected(string name)
    {
        var suite = CryptoSuites.Get(name);
        var good = suite.DerivePublicKey(suite.GeneratePrivateKey()).Bytes.ToArray();
        good[63] ^= 1;
        Assert.Throws<ArgumentException>(() => suite.ImportPublicKey(good));
        Assert.Throws<ArgumentException>(() => suite.ImportPublicKey(new byte[63]));
    }

    [Theory]
    [InlineData("standard", 32)]
    [InlineData("national", 16)]
    public void Aead_RoundTripsAndDetectsTampering(string name, int keySize)
    {
        var aead = CryptoSuites.Get(name).Aead;
        Assert.Equal(keySize, aead.KeySize);
        var key = new byte[aead.KeySize];
        var nonce = new byte[aead.NonceSize];
        key[0] = 7;
        var plaintext = "private data shared by two members"u8.ToArray();
        var ciphertext = new byte[plaintext.Length];
        var tag = new byte[aead.TagSize];
        aead.Encrypt(key, nonce, plaintext, ciphertext, tag, "header"u8);
        var decrypted = new byte[plaintext.Length];
        Assert.True(aead.TryDecrypt(key, nonce, ciphertext, tag, decrypted, "header"u8));
        Assert.Equal(plaintext, decrypted);
        Assert.False(aead.TryDecrypt(key, nonce, ciphertext, tag, decrypted, "other"u8));
    }

    [Fact]
    public void Get_UnknownName_NamesTheChoices()
    {
        var error = Assert.Throws<ArgumentException>(() => CryptoSuites.Get("rsa"));
        Assert.Contains("'standard' or 'national'", error.Message, StringComparison.Ordinal);
        Assert.Same(CryptoSuites.National, CryptoSuites.Get(" National "));
    }
}
