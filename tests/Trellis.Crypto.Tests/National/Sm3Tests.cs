using System.Text;
using System.Text.Json;
using Trellis.Crypto.National;

namespace Trellis.Crypto.Tests.National;

public class Sm3Tests
{
    public static TheoryData<string, string> StandardVectors()
    {
        var data = new TheoryData<string, string>();
        using var document = JsonDocument.Parse(File.ReadAllText(SharedPaths.Vectors("sm.json")));
        foreach (var vector in document.RootElement.GetProperty("sm3").EnumerateArray())
        {
            data.Add(vector.GetProperty("message_ascii").GetString()!, vector.GetProperty("digest").GetString()!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(StandardVectors))]
    public void Hash_MatchesStandardExample(string message, string digestHex)
    {
        Assert.Equal(digestHex, Convert.ToHexStringLower(Sm3.Hash(Encoding.ASCII.GetBytes(message))));
    }

    [Theory]
    [MemberData(nameof(StandardVectors))]
    public void Hasher_MatchesStandardExample_WhenFedByteByByte(string message, string digestHex)
    {
        var hasher = new Sm3Hasher();
        foreach (var b in Encoding.ASCII.GetBytes(message))
        {
            hasher.Update([b]);
        }

        var digest = new byte[32];
        hasher.Finish(digest);
        Assert.Equal(digestHex, Convert.ToHexStringLower(digest));
    }

    [Fact]
    public void Hash_MatchesOpenSsl_OnManyLengthsAroundBlockBoundaries()
    {
        int[] fixedLengths = [0, 1, 3, 31, 32, 55, 56, 57, 63, 64, 65, 111, 119, 120, 127, 128, 129, 191, 192, 193, 511, 512, 1000];
        var random = new Random(20161);
        var lengths = fixedLengths.Concat(Enumerable.Range(0, 30).Select(_ => random.Next(0, 1001))).ToArray();
        using var openssl = new OpenSslSm2Process();
        var inputs = new List<byte[]>();
        var paths = new List<string>();
        for (var i = 0; i < lengths.Length; i++)
        {
            var data = new byte[lengths[i]];
            random.NextBytes(data);
            inputs.Add(data);
            paths.Add(openssl.WriteFile($"input{i}.bin", data));
        }

        var output = OpenSslSm2Process.RunChecked(["dgst", "-sm3", "-r", .. paths]);
        var expected = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(' ', 2)[0]).ToArray();
        Assert.Equal(lengths.Length, expected.Length);

        var hasher = new Sm3Hasher();
        var digest = new byte[32];
        for (var i = 0; i < lengths.Length; i++)
        {
            Assert.Equal(expected[i], Convert.ToHexStringLower(Sm3.Hash(inputs[i])));

            // The same input in uneven chunks through one reused hasher.
            var data = inputs[i].AsSpan();
            while (!data.IsEmpty)
            {
                var take = Math.Min(data.Length, random.Next(1, 100));
                hasher.Update(data[..take]);
                data = data[take..];
            }

            hasher.Finish(digest);
            Assert.Equal(expected[i], Convert.ToHexStringLower(digest));
        }
    }

    [Fact]
    public void Hasher_Reset_DiscardsEarlierData()
    {
        var hasher = new Sm3Hasher();
        hasher.Update("garbage"u8);
        hasher.Reset();
        hasher.Update("abc"u8);
        var digest = new byte[32];
        hasher.Finish(digest);
        Assert.Equal("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0", Convert.ToHexStringLower(digest));
    }

    [Fact]
    public void Hash_RejectsShortOutputBuffer()
    {
        var error = Assert.Throws<ArgumentException>(() => Sm3.Hash("abc"u8, new byte[31]));
        Assert.Contains("31", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new Sm3Hasher().Finish(new byte[16]));
    }
}
