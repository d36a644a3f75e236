using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;
using Trellis.Crypto.National;

namespace Trellis.Crypto.Tests.National;

public sealed class Sm4GcmCipherTests
{
    private static readonly int[] s_lengths = [0, 1, 15, 16, 17, 64, 1000];

    private readonly Sm4GcmCipher _cipher = Sm4GcmCipher.Instance;

    public static TheoryData<int, int> LengthPairs()
    {
        var data = new TheoryData<int, int>();
        foreach (var plaintextLength in s_lengths)
        {
            foreach (var associatedLength in s_lengths)
            {
                data.Add(plaintextLength, associatedLength);
            }
        }

        return data;
    }

    [Fact]
    public void Properties_DescribeSm4Gcm()
    {
        Assert.Equal("SM4-GCM", _cipher.Name);
        Assert.Equal(16, _cipher.KeySize);
        Assert.Equal(12, _cipher.NonceSize);
        Assert.Equal(16, _cipher.TagSize);
    }

    // RFC 8998, appendix A.1 (SM4-GCM test vector).
    private static readonly byte[] s_rfcKey = Convert.FromHexString("0123456789ABCDEFFEDCBA9876543210");
    private static readonly byte[] s_rfcNonce = Convert.FromHexString("00001234567800000000ABCD");
    private static readonly byte[] s_rfcAssociatedData = Convert.FromHexString("FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2");
    private static readonly byte[] s_rfcPlaintext = Convert.FromHexString(
        "AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBCCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDD"
        + "EEEEEEEEEEEEEEEEFFFFFFFFFFFFFFFFEEEEEEEEEEEEEEEEAAAAAAAAAAAAAAAA");
    private static readonly byte[] s_rfcCiphertext = Convert.FromHexString(
        "17F399F08C67D5EE19D0DC9969C4BB7D5FD46FD3756489069157B282BB200735"
        + "D82710CA5C22F0CCFA7CBF93D496AC15A56834CBCF98C397B4024A2691233B8D");
    private static readonly byte[] s_rfcTag = Convert.FromHexString("83DE3541E4C2B58177E065A9BF7B62EC");

    [Fact]
    public void Encrypt_MatchesRfc8998Example()
    {
        var ciphertext = new byte[s_rfcPlaintext.Length];
        var tag = new byte[16];
        _cipher.Encrypt(s_rfcKey, s_rfcNonce, s_rfcPlaintext, ciphertext, tag, s_rfcAssociatedData);
        Assert.Equal(s_rfcCiphertext, ciphertext);
        Assert.Equal(s_rfcTag, tag);
    }

    [Fact]
    public void TryDecrypt_RecoversRfc8998Example()
    {
        var plaintext = new byte[s_rfcCiphertext.Length];
        Assert.True(_cipher.TryDecrypt(s_rfcKey, s_rfcNonce, s_rfcCiphertext, s_rfcTag, plaintext, s_rfcAssociatedData));
        Assert.Equal(s_rfcPlaintext, plaintext);
    }

    [Theory]
    [MemberData(nameof(LengthPairs))]
    public void Encrypt_MatchesBouncyCastleAndOpenSslSm4Ctr(int plaintextLength, int associatedLength)
    {
        var (key, nonce, plaintext, associatedData) = RandomInputs(plaintextLength, associatedLength, seed: (plaintextLength * 1009) + associatedLength);
        var ciphertext = new byte[plaintextLength];
        var tag = new byte[16];
        _cipher.Encrypt(key, nonce, plaintext, ciphertext, tag, associatedData);

        // BouncyCastle's GCM over its own SM4 engine is a fully independent implementation of the same construction.
        var sealedByBouncyCastle = BouncyCastleSeal(key, nonce, plaintext, associatedData);
        Assert.Equal(sealedByBouncyCastle[..plaintextLength], ciphertext);
        Assert.Equal(sealedByBouncyCastle[plaintextLength..], tag);

        // GCTR starts at inc32(J0) = nonce || 00000002; OpenSSL's SM4-CTR gives the same key stream while the low
        // 32 bits do not wrap, which they cannot within 1000 bytes.
        var initialCounter = new byte[16];
        nonce.CopyTo(initialCounter, 0);
        initialCounter[15] = 2;
        Assert.Equal(OpenSslSm4Gcm.EncryptCtr(key, initialCounter, plaintext), ciphertext);
    }

    [Theory]
    [MemberData(nameof(LengthPairs))]
    public void TryDecrypt_OpensWhatBouncyCastleSealed(int plaintextLength, int associatedLength)
    {
        var (key, nonce, plaintext, associatedData) = RandomInputs(plaintextLength, associatedLength, seed: (plaintextLength * 7) + associatedLength + 1);
        var sealedByBouncyCastle = BouncyCastleSeal(key, nonce, plaintext, associatedData);
        var decrypted = new byte[plaintextLength];
        Assert.True(_cipher.TryDecrypt(key, nonce, sealedByBouncyCastle.AsSpan(0, plaintextLength), sealedByBouncyCastle.AsSpan(plaintextLength), decrypted, associatedData));
        Assert.Equal(plaintext, decrypted);
    }

    [Theory]
    [InlineData(4095)]
    [InlineData(4096)]
    [InlineData(4097)]
    [InlineData(10_000)]
    public void Encrypt_MatchesBouncyCastleForLongMessages(int length)
    {
        var (key, nonce, plaintext, associatedData) = RandomInputs(length, 33, seed: length);
        var ciphertext = new byte[length];
        var tag = new byte[16];
        _cipher.Encrypt(key, nonce, plaintext, ciphertext, tag, associatedData);
        var sealedByBouncyCastle = BouncyCastleSeal(key, nonce, plaintext, associatedData);
        Assert.Equal(sealedByBouncyCastle[..length], ciphertext);
        Assert.Equal(sealedByBouncyCastle[length..], tag);

        var decrypted = new byte[length];
        Assert.True(_cipher.TryDecrypt(key, nonce, ciphertext, tag, decrypted, associatedData));
        Assert.Equal(plaintext, decrypted);
    }

    [Fact]
    public void Encrypt_WorksInPlace()
    {
        var buffer = (byte[])s_rfcPlaintext.Clone();
        var tag = new byte[16];
        _cipher.Encrypt(s_rfcKey, s_rfcNonce, buffer, buffer, tag, s_rfcAssociatedData);
        Assert.Equal(s_rfcCiphertext, buffer);
        Assert.Equal(s_rfcTag, tag);

        Assert.True(_cipher.TryDecrypt(s_rfcKey, s_rfcNonce, buffer, tag, buffer, s_rfcAssociatedData));
        Assert.Equal(s_rfcPlaintext, buffer);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(63)]
    public void TryDecrypt_RejectsTamperedCiphertextAndZeroesOutput(int position)
    {
        var ciphertext = (byte[])s_rfcCiphertext.Clone();
        ciphertext[position] ^= 0x01;
        AssertRejected(s_rfcKey, s_rfcNonce, ciphertext, s_rfcTag, s_rfcAssociatedData);
    }

    [Theory]
    [InlineData(0, 0x01)]
    [InlineData(7, 0x80)]
    [InlineData(15, 0x01)]
    public void TryDecrypt_RejectsTamperedTag(int position, byte flip)
    {
        var tag = (byte[])s_rfcTag.Clone();
        tag[position] ^= flip;
        AssertRejected(s_rfcKey, s_rfcNonce, s_rfcCiphertext, tag, s_rfcAssociatedData);
    }

    [Fact]
    public void TryDecrypt_RejectsTamperedAssociatedData()
    {
        var changed = (byte[])s_rfcAssociatedData.Clone();
        changed[^1] ^= 0x01;
        AssertRejected(s_rfcKey, s_rfcNonce, s_rfcCiphertext, s_rfcTag, changed);
        AssertRejected(s_rfcKey, s_rfcNonce, s_rfcCiphertext, s_rfcTag, s_rfcAssociatedData[..^1]);
        AssertRejected(s_rfcKey, s_rfcNonce, s_rfcCiphertext, s_rfcTag, [.. s_rfcAssociatedData, 0]);
        AssertRejected(s_rfcKey, s_rfcNonce, s_rfcCiphertext, s_rfcTag, []);
    }

    [Fact]
    public void TryDecrypt_RejectsWrongKeyOrNonce()
    {
        var key = (byte[])s_rfcKey.Clone();
        key[3] ^= 0x10;
        AssertRejected(key, s_rfcNonce, s_rfcCiphertext, s_rfcTag, s_rfcAssociatedData);
        var nonce = (byte[])s_rfcNonce.Clone();
        nonce[11] ^= 0x01;
        AssertRejected(s_rfcKey, nonce, s_rfcCiphertext, s_rfcTag, s_rfcAssociatedData);
    }

    [Fact]
    public void TryDecrypt_RejectsTruncatedCiphertext()
    {
        AssertRejected(s_rfcKey, s_rfcNonce, s_rfcCiphertext[..^1], s_rfcTag, s_rfcAssociatedData);
        AssertRejected(s_rfcKey, s_rfcNonce, [], s_rfcTag, s_rfcAssociatedData);
    }

    [Fact]
    public void TryDecrypt_RejectsEveryTamperedByteOfRandomMessages()
    {
        var (key, nonce, plaintext, associatedData) = RandomInputs(40, 17, seed: 99);
        var ciphertext = new byte[plaintext.Length];
        var tag = new byte[16];
        _cipher.Encrypt(key, nonce, plaintext, ciphertext, tag, associatedData);
        for (var i = 0; i < ciphertext.Length; i++)
        {
            ciphertext[i] ^= 0x40;
            AssertRejected(key, nonce, ciphertext, tag, associatedData);
            ciphertext[i] ^= 0x40;
        }

        for (var i = 0; i < associatedData.Length; i++)
        {
            associatedData[i] ^= 0x02;
            AssertRejected(key, nonce, ciphertext, tag, associatedData);
            associatedData[i] ^= 0x02;
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(15)]
    [InlineData(17)]
    [InlineData(32)]
    public void Encrypt_RejectsKeyOfWrongSize(int length)
    {
        var error = Assert.Throws<ArgumentException>(() => _cipher.Encrypt(new byte[length], new byte[12], new byte[4], new byte[4], new byte[16]));
        Assert.Contains($"SM4-GCM key must be 16 bytes, got {length}", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => _cipher.TryDecrypt(new byte[length], new byte[12], new byte[4], new byte[16], new byte[4]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    [InlineData(13)]
    [InlineData(16)]
    public void Encrypt_RejectsNonceOfWrongSize(int length)
    {
        var error = Assert.Throws<ArgumentException>(() => _cipher.Encrypt(new byte[16], new byte[length], new byte[4], new byte[4], new byte[16]));
        Assert.Contains($"SM4-GCM nonce must be 12 bytes, got {length}", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => _cipher.TryDecrypt(new byte[16], new byte[length], new byte[4], new byte[16], new byte[4]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(12)]
    [InlineData(15)]
    [InlineData(17)]
    public void Encrypt_RejectsTagOfWrongSize(int length)
    {
        var error = Assert.Throws<ArgumentException>(() => _cipher.Encrypt(new byte[16], new byte[12], new byte[4], new byte[4], new byte[length]));
        Assert.Contains($"SM4-GCM tag must be 16 bytes, got {length}", error.Message, StringComparison.Ordinal);
        var decryptError = Assert.Throws<ArgumentException>(() => _cipher.TryDecrypt(new byte[16], new byte[12], new byte[4], new byte[length], new byte[4]));
        Assert.Contains($"got {length}", decryptError.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(4, 3)]
    [InlineData(4, 5)]
    [InlineData(0, 1)]
    public void Encrypt_RejectsOutputOfDifferentLength(int inputLength, int outputLength)
    {
        var encrypt = Assert.Throws<ArgumentException>(() => _cipher.Encrypt(new byte[16], new byte[12], new byte[inputLength], new byte[outputLength], new byte[16]));
        Assert.Contains($"ciphertext must be as long as the plaintext ({inputLength} bytes), got {outputLength} bytes", encrypt.Message, StringComparison.Ordinal);
        var decrypt = Assert.Throws<ArgumentException>(() => _cipher.TryDecrypt(new byte[16], new byte[12], new byte[inputLength], new byte[16], new byte[outputLength]));
        Assert.Contains($"plaintext must be as long as the ciphertext ({inputLength} bytes), got {outputLength} bytes", decrypt.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Encrypt_RejectsPartiallyOverlappingBuffers()
    {
        var buffer = new byte[40];
        var error = Assert.Throws<ArgumentException>(() => _cipher.Encrypt(new byte[16], new byte[12], buffer.AsSpan(0, 32), buffer.AsSpan(1, 32), new byte[16]));
        Assert.Contains("overlaps", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => _cipher.TryDecrypt(new byte[16], new byte[12], buffer.AsSpan(8, 32), new byte[16], buffer.AsSpan(0, 32)));
    }

    private void AssertRejected(byte[] key, byte[] nonce, byte[] ciphertext, byte[] tag, byte[] associatedData)
    {
        var plaintext = new byte[ciphertext.Length];
        Array.Fill(plaintext, (byte)0xA5);
        Assert.False(_cipher.TryDecrypt(key, nonce, ciphertext, tag, plaintext, associatedData));
        Assert.All(plaintext, b => Assert.Equal(0, b));
    }

    private static (byte[] Key, byte[] Nonce, byte[] Plaintext, byte[] AssociatedData) RandomInputs(int plaintextLength, int associatedLength, int seed)
    {
        var random = new Random(seed);
        var key = new byte[16];
        var nonce = new byte[12];
        var plaintext = new byte[plaintextLength];
        var associatedData = new byte[associatedLength];
        random.NextBytes(key);
        random.NextBytes(nonce);
        random.NextBytes(plaintext);
        random.NextBytes(associatedData);
        return (key, nonce, plaintext, associatedData);
    }

    private static byte[] BouncyCastleSeal(byte[] key, byte[] nonce, byte[] plaintext, byte[] associatedData)
    {
        var gcm = new GcmBlockCipher(new SM4Engine());
        gcm.Init(true, new AeadParameters(new KeyParameter(key), 128, nonce, associatedData));
        var output = new byte[gcm.GetOutputSize(plaintext.Length)];
        var written = gcm.ProcessBytes(plaintext, 0, plaintext.Length, output, 0);
        gcm.DoFinal(output, written);
        return output;
    }
}
