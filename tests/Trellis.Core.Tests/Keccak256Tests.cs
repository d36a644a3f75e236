using System.Diagnostics;
using System.Text;

namespace Trellis.Core.Tests;

public class Keccak256Tests
{
    // Published Keccak-256 digests (original Keccak padding, as used by Ethereum).
    [Theory]
    [InlineData("", "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")]
    [InlineData("abc", "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45")]
    [InlineData("The quick brown fox jumps over the lazy dog", "4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15")]
    [InlineData("The quick brown fox jumps over the lazy dog.", "578951e24efd62a3d63a86f7cd19aaa53c898fe287d2552133220370240b572d")]
    public void Hash_MatchesPublishedVectorsForText(string text, string expected)
    {
        Assert.Equal("0x" + expected, Keccak256.Hash(Encoding.ASCII.GetBytes(text)).ToString());
    }

    [Fact]
    public void Hash_MatchesPublishedVectorFor200BytesOfA3()
    {
        // The 1600-bit 0xa3 message from the Keccak team's test vectors (also two full blocks plus a tail here).
        byte[] input = Enumerable.Repeat((byte)0xa3, 200).ToArray();
        Assert.Equal(
            "0x3a57666b048777f2c953dc4456f45a2588e1cb6f2da760122d530ac2ce607d4a",
            Keccak256.Hash(input).ToString());
    }

    [Fact]
    public void Hash_IsNotSha3_256()
    {
        // SHA3-256("") = a7ffc6f8...; Keccak-256 pads with 0x01, not 0x06, so it must differ.
        Assert.NotEqual(
            "0xa7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a",
            Keccak256.Hash([]).ToString());
    }

    [Fact]
    public void Hash_SpanOverloadWritesTheSameDigest()
    {
        byte[] input = Encoding.ASCII.GetBytes("abc");
        Span<byte> output = stackalloc byte[40];
        output.Fill(0xee);
        Keccak256.Hash(input, output);
        Assert.Equal(Keccak256.Hash(input).ToArray(), output[..32].ToArray());
        Assert.True(output[32..].ToArray().All(b => b == 0xee));
    }

    [Fact]
    public void Hash_RejectsShortOutput()
    {
        var ex = Assert.Throws<ArgumentException>(() => Keccak256.Hash([1, 2, 3], new byte[31]));
        Assert.Contains("31", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Hash_MatchesBouncyCastleKeccakForRandomInputsOfEveryLengthUpTo1000()
    {
        // Every length 0..1000 covers the rate boundaries (135/136/137, 271/272/273, ...) and multi-block inputs.
        var random = new Random(20240601);
        var reference = new Org.BouncyCastle.Crypto.Digests.KeccakDigest(256);
        var expected = new byte[32];
        for (int length = 0; length <= 1000; length++)
        {
            byte[] input = new byte[length];
            random.NextBytes(input);
            reference.BlockUpdate(input, 0, input.Length);
            reference.DoFinal(expected, 0);
            Assert.True(
                expected.AsSpan().SequenceEqual(Keccak256.Hash(input).Bytes),
                $"length {length}: BouncyCastle {Convert.ToHexStringLower(expected)}, ours {Keccak256.Hash(input)}");
        }
    }

    [Fact]
    public void Sponge_MatchesOpenSslSha3_256ForRandomInputsOfEveryLengthUpTo1000()
    {
        // The installed OpenSSL (3.0) has no KECCAK-256, but SHA3-256 is the same permutation and rate with padding
        // 0x06 instead of 0x01: this checks the permutation, absorption and squeezing against OpenSSL itself.
        var random = new Random(20240602);
        string dir = Directory.CreateTempSubdirectory("trellis-keccak-").FullName;
        try
        {
            var inputs = new byte[1001][];
            var files = new string[inputs.Length];
            for (int length = 0; length < inputs.Length; length++)
            {
                inputs[length] = new byte[length];
                random.NextBytes(inputs[length]);
                files[length] = Path.Combine(dir, $"{length:D4}.bin");
                File.WriteAllBytes(files[length], inputs[length]);
            }

            string[] expected = RunOpenSslDigest("-sha3-256", files);
            var ours = new byte[32];
            for (int length = 0; length < inputs.Length; length++)
            {
                Keccak256.HashWithPadding(inputs[length], ours, 0x06);
                Assert.True(
                    expected[length] == Convert.ToHexStringLower(ours),
                    $"length {length}: openssl {expected[length]}, ours {Convert.ToHexStringLower(ours)}");
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData(new[] { 0 })]
    [InlineData(new[] { 1, 1, 1 })]
    [InlineData(new[] { 135, 1 })]
    [InlineData(new[] { 136 })]
    [InlineData(new[] { 1, 136, 135, 137 })]
    [InlineData(new[] { 100, 100, 100, 100, 100, 100, 100 })]
    [InlineData(new[] { 0, 500, 0, 3 })]
    public void Hasher_MatchesOneShotHashForAnySplitOfTheInput(int[] pieces)
    {
        var random = new Random(pieces.Sum());
        byte[] input = new byte[pieces.Sum()];
        random.NextBytes(input);
        var hasher = new Keccak256Hasher();
        int offset = 0;
        foreach (int piece in pieces)
        {
            hasher.Update(input.AsSpan(offset, piece));
            offset += piece;
        }

        Assert.Equal(Keccak256.Hash(input), hasher.Finish());
    }

    [Fact]
    public void Hasher_StartsAfreshAfterFinishAndReset()
    {
        var hasher = new Keccak256Hasher();
        hasher.Update(Encoding.ASCII.GetBytes("garbage"));
        hasher.Reset();
        hasher.Update(Encoding.ASCII.GetBytes("abc"));
        Assert.Equal("0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45", hasher.Finish().ToString());
        Assert.Equal("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470", hasher.Finish().ToString());
    }

    private static string[] RunOpenSslDigest(string digest, string[] files) =>
        TryRunOpenSslDigest(digest, files) ?? throw new InvalidOperationException($"openssl dgst {digest} is not available");

    private static string[]? TryRunOpenSslDigest(string digest, string[] files)
    {
        var start = new ProcessStartInfo("openssl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { "dgst", digest, "-r" })
        {
            start.ArgumentList.Add(arg);
        }

        foreach (string file in files)
        {
            start.ArgumentList.Add(file);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            Assert.Contains("Unknown option or message digest", stderr.Result, StringComparison.Ordinal);
            return null;
        }

        // "-r" prints "<hex> *<file>" per line, in argument order.
        string[] lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(files.Length, lines.Length);
        return lines.Select(line => line[..64]).ToArray();
    }
}
