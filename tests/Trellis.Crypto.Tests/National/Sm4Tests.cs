using System.Text.Json;
using System.Text.RegularExpressions;
using Trellis.Crypto.National;

namespace Trellis.Crypto.Tests.National;

public sealed partial class Sm4Tests
{
    /// <summary>The SM4 examples of GB/T 32907-2016 from ../shared/vectors/sm.json, with their repetition counts.</summary>
    public static TheoryData<string, string, string, int> StandardVectors()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(SharedPaths.Vectors("sm.json")));
        var data = new TheoryData<string, string, string, int>();
        foreach (var vector in document.RootElement.GetProperty("sm4").EnumerateArray())
        {
            var mode = vector.GetProperty("mode").GetString()!;
            var repeat = RepeatCount().Match(mode);
            var iterations = repeat.Success ? int.Parse(repeat.Groups[1].Value.Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture) : 1;
            data.Add(
                vector.GetProperty("key").GetString()!,
                vector.GetProperty("plaintext").GetString()!,
                vector.GetProperty("ciphertext").GetString()!,
                iterations);
        }

        return data;
    }

    [Fact]
    public void StandardVectors_IncludeTheMillionIterationExample()
    {
        var data = StandardVectors();
        Assert.Equal(2, data.Count);
        Assert.Contains(data, row => (int)row[3] == 1_000_000);
    }

    [Theory]
    [MemberData(nameof(StandardVectors))]
    public void EncryptBlock_MatchesStandardVector(string keyHex, string plaintextHex, string ciphertextHex, int iterations)
    {
        var sm4 = new Sm4(Convert.FromHexString(keyHex));
        var block = Convert.FromHexString(plaintextHex);
        for (var i = 0; i < iterations; i++)
        {
            sm4.EncryptBlock(block, block);
        }

        Assert.Equal(ciphertextHex, Convert.ToHexStringLower(block));
    }

    [Theory]
    [MemberData(nameof(StandardVectors))]
    public void DecryptBlock_InvertsStandardVector(string keyHex, string plaintextHex, string ciphertextHex, int iterations)
    {
        var sm4 = new Sm4(Convert.FromHexString(keyHex));
        var block = Convert.FromHexString(ciphertextHex);
        for (var i = 0; i < iterations; i++)
        {
            sm4.DecryptBlock(block, block);
        }

        Assert.Equal(plaintextHex, Convert.ToHexStringLower(block));
    }

    [Fact]
    public void EncryptBlock_MatchesOpenSslEcbOnRandomKeysAndBlocks()
    {
        var random = new Random(32907);
        for (var trial = 0; trial < 4; trial++)
        {
            var key = new byte[16];
            var plaintext = new byte[16 * 64];
            random.NextBytes(key);
            random.NextBytes(plaintext);

            var expected = OpenSslProcess.Run(plaintext, "enc", "-sm4-ecb", "-nopad", "-K", Convert.ToHexString(key));

            var sm4 = new Sm4(key);
            var actual = new byte[plaintext.Length];
            var decrypted = new byte[plaintext.Length];
            for (var offset = 0; offset < plaintext.Length; offset += 16)
            {
                sm4.EncryptBlock(plaintext.AsSpan(offset, 16), actual.AsSpan(offset, 16));
                sm4.DecryptBlock(expected.AsSpan(offset, 16), decrypted.AsSpan(offset, 16));
            }

            Assert.Equal(expected, actual);
            Assert.Equal(plaintext, decrypted);
        }
    }

    [Fact]
    public void DecryptBlock_InvertsEncryptBlockForRandomKeysAndBlocks()
    {
        var random = new Random(7);
        var key = new byte[16];
        var block = new byte[16];
        var encrypted = new byte[16];
        var decrypted = new byte[16];
        for (var trial = 0; trial < 1000; trial++)
        {
            random.NextBytes(key);
            random.NextBytes(block);
            var sm4 = new Sm4(key);
            sm4.EncryptBlock(block, encrypted);
            sm4.DecryptBlock(encrypted, decrypted);
            Assert.Equal(block, decrypted);
            Assert.NotEqual(block, encrypted);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(17)]
    [InlineData(32)]
    public void Constructor_RejectsKeyOfWrongLength(int length)
    {
        var error = Assert.Throws<ArgumentException>(() => new Sm4(new byte[length]));
        Assert.Equal("key", error.ParamName);
        Assert.Contains($"must be 16 bytes, got {length}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 16)]
    [InlineData(15, 16)]
    [InlineData(17, 16)]
    [InlineData(16, 0)]
    [InlineData(16, 15)]
    [InlineData(16, 32)]
    public void Blocks_RejectBuffersThatAreNotOneBlock(int inputLength, int outputLength)
    {
        var sm4 = new Sm4(new byte[16]);
        var encrypt = Assert.Throws<ArgumentException>(() => sm4.EncryptBlock(new byte[inputLength], new byte[outputLength]));
        var decrypt = Assert.Throws<ArgumentException>(() => sm4.DecryptBlock(new byte[inputLength], new byte[outputLength]));
        var wrong = inputLength != 16 ? inputLength : outputLength;
        Assert.Contains($"must be 16 bytes, got {wrong}", encrypt.Message, StringComparison.Ordinal);
        Assert.Contains($"must be 16 bytes, got {wrong}", decrypt.Message, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"([\d,]+) times")]
    private static partial Regex RepeatCount();
}
