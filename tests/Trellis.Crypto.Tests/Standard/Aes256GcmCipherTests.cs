using Trellis.Crypto.Standard;

namespace Trellis.Crypto.Tests.Standard;

public sealed class Aes256GcmCipherTests
{
    private const string K15 = "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308";
    private const string P15 = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
        + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255";
    private const string C15 = "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
        + "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad";

    private readonly Aes256GcmCipher _cipher = Aes256GcmCipher.Instance;

    /// <summary>
    /// Test cases 13 to 16 of McGrew and Viega, "The Galois/Counter Mode of Operation (GCM)" (256-bit keys,
    /// 96-bit IVs; cases 17 and 18 use other IV lengths, which this API does not take).
    /// </summary>
    public static TheoryData<string, string, string, string, string, string> SpecificationVectors() => new()
    {
        // key, nonce, plaintext, associated data, ciphertext, tag
        { new string('0', 64), new string('0', 24), "", "", "", "530f8afbc74536b9a963b4f1c4cb738b" },
        { new string('0', 64), new string('0', 24), new string('0', 32), "", "cea7403d4d606b6e074ec5d3baf39d18", "d0d1c8a799996bf0265b98b5d48ab919" },
        { K15, "cafebabefacedbaddecaf888", P15, "", C15, "b094dac5d93471bdec1a502270e3cc6c" },
        { K15, "cafebabefacedbaddecaf888", P15[..120], "feedfacedeadbeeffeedfacedeadbeefabaddad2", C15[..120], "76fc6ece0f4e1768cddf8853bb2d551b" },
    };

    [Fact]
    public void Properties_DescribeAes256Gcm()
    {
        Assert.Equal("AES-256-GCM", _cipher.Name);
        Assert.Equal(32, _cipher.KeySize);
        Assert.Equal(12, _cipher.NonceSize);
        Assert.Equal(16, _cipher.TagSize);
    }

    [Theory]
    [MemberData(nameof(SpecificationVectors))]
    public void Encrypt_MatchesGcmSpecificationVector(string key, string nonce, string plaintext, string associatedData, string ciphertext, string tag)
    {
        var actualCiphertext = new byte[plaintext.Length / 2];
        var actualTag = new byte[16];
        _cipher.Encrypt(Convert.FromHexString(key), Convert.FromHexString(nonce), Convert.FromHexString(plaintext), actualCiphertext, actualTag, Convert.FromHexString(associatedData));
        Assert.Equal(ciphertext, Convert.ToHexStringLower(actualCiphertext));
        Assert.Equal(tag, Convert.ToHexStringLower(actualTag));
    }

    [Theory]
    [MemberData(nameof(SpecificationVectors))]
    public void TryDecrypt_RecoversGcmSpecificationVector(string key, string nonce, string plaintext, string associatedData, string ciphertext, string tag)
    {
        var actual = new byte[plaintext.Length / 2];
        Assert.True(_cipher.TryDecrypt(Convert.FromHexString(key), Convert.FromHexString(nonce), Convert.FromHexString(ciphertext), Convert.FromHexString(tag), actual, Convert.FromHexString(associatedData)));
        Assert.Equal(plaintext, Convert.ToHexStringLower(actual));
    }

    [Theory]
    [InlineData("ciphertext", 0)]
    [InlineData("ciphertext", 59)]
    [InlineData("tag", 0)]
    [InlineData("tag", 15)]
    [InlineData("aad", 0)]
    [InlineData("aad", 19)]
    [InlineData("nonce", 11)]
    [InlineData("key", 31)]
    public void TryDecrypt_RejectsTamperingAndZeroesOutput(string field, int position)
    {
        var key = Convert.FromHexString(K15);
        var nonce = Convert.FromHexString("cafebabefacedbaddecaf888");
        var ciphertext = Convert.FromHexString(C15[..120]);
        var tag = Convert.FromHexString("76fc6ece0f4e1768cddf8853bb2d551b");
        var associatedData = Convert.FromHexString("feedfacedeadbeeffeedfacedeadbeefabaddad2");
        var target = field switch
        {
            "ciphertext" => ciphertext,
            "tag" => tag,
            "aad" => associatedData,
            "nonce" => nonce,
            _ => key,
        };
        target[position] ^= 0x01;

        var plaintext = new byte[ciphertext.Length];
        Array.Fill(plaintext, (byte)0x5A);
        Assert.False(_cipher.TryDecrypt(key, nonce, ciphertext, tag, plaintext, associatedData));
        Assert.All(plaintext, b => Assert.Equal(0, b));
    }

    [Fact]
    public void TryDecrypt_InvertsEncryptForSeveralLengths()
    {
        var random = new Random(256);
        foreach (var length in new[] { 0, 1, 15, 16, 17, 64, 1000 })
        {
            var key = new byte[32];
            var nonce = new byte[12];
            var plaintext = new byte[length];
            var associatedData = new byte[length / 3];
            random.NextBytes(key);
            random.NextBytes(nonce);
            random.NextBytes(plaintext);
            random.NextBytes(associatedData);
            var ciphertext = new byte[length];
            var tag = new byte[16];
            _cipher.Encrypt(key, nonce, plaintext, ciphertext, tag, associatedData);
            var decrypted = new byte[length];
            Assert.True(_cipher.TryDecrypt(key, nonce, ciphertext, tag, decrypted, associatedData));
            Assert.Equal(plaintext, decrypted);
        }
    }

    [Theory]
    [InlineData(16)]
    [InlineData(24)]
    [InlineData(31)]
    [InlineData(33)]
    public void Encrypt_RejectsKeyOfWrongSize(int length)
    {
        var error = Assert.Throws<ArgumentException>(() => _cipher.Encrypt(new byte[length], new byte[12], new byte[4], new byte[4], new byte[16]));
        Assert.Contains($"AES-256-GCM key must be 32 bytes, got {length}", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => _cipher.TryDecrypt(new byte[length], new byte[12], new byte[4], new byte[16], new byte[4]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(11)]
    [InlineData(16)]
    public void Encrypt_RejectsNonceOfWrongSize(int length)
    {
        var error = Assert.Throws<ArgumentException>(() => _cipher.Encrypt(new byte[32], new byte[length], new byte[4], new byte[4], new byte[16]));
        Assert.Contains($"AES-256-GCM nonce must be 12 bytes, got {length}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(12)]
    [InlineData(32)]
    public void Encrypt_RejectsTagOfWrongSize(int length)
    {
        var error = Assert.Throws<ArgumentException>(() => _cipher.Encrypt(new byte[32], new byte[12], new byte[4], new byte[4], new byte[length]));
        Assert.Contains($"AES-256-GCM tag must be 16 bytes, got {length}", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => _cipher.TryDecrypt(new byte[32], new byte[12], new byte[4], new byte[length], new byte[4]));
    }

    [Fact]
    public void Encrypt_RejectsOutputOfDifferentLength()
    {
        var error = Assert.Throws<ArgumentException>(() => _cipher.Encrypt(new byte[32], new byte[12], new byte[10], new byte[9], new byte[16]));
        Assert.Contains("ciphertext must be as long as the plaintext (10 bytes), got 9 bytes", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => _cipher.TryDecrypt(new byte[32], new byte[12], new byte[10], new byte[16], new byte[11]));
    }
}
