using System.Runtime.InteropServices;
using System.Text;
using Trellis.Evm.Precompiles;

namespace Trellis.Evm.Tests.Precompiles;

public partial class Ripemd160PrecompileTests
{
    private readonly Ripemd160Precompile _precompile = new();

    // The test vectors published with the RIPEMD-160 paper (Dobbertin, Bosselaers, Preneel).
    [Theory]
    [InlineData("", "9c1185a5c5e9fc54612808977ee8f548b2258d31")]
    [InlineData("a", "0bdc9d2d256b3ee9daae347be6f4dc835a467ffe")]
    [InlineData("abc", "8eb208f7e05d987a9b044a8e98c6b087f15a0bfc")]
    [InlineData("message digest", "5d0689ef49d2fae572b881b123a85ffa21595f36")]
    [InlineData("abcdefghijklmnopqrstuvwxyz", "f71c27109c692c1b56bbdceb5b9d2865b3708dbc")]
    [InlineData("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "12a053384a9c0c88e405a06c27dcf49ada62eb2b")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "b0e20b6e3116640286ed3a87a5713079b21f5189")]
    [InlineData("12345678901234567890123456789012345678901234567890123456789012345678901234567890", "9b752e45573d4b39f4dbd3323cab82bf63326bfb")]
    public void Run_MatchesPaperVectorLeftPaddedTo32Bytes(string message, string digest)
    {
        Assert.True(_precompile.TryRun(Encoding.ASCII.GetBytes(message), out var output));
        Assert.Equal(new string('0', 24) + digest, Convert.ToHexStringLower(output));
    }

    [Fact]
    public void Hash_MatchesPaperMillionAVector()
    {
        var digest = Ripemd160.HashData(Enumerable.Repeat((byte)'a', 1_000_000).ToArray());
        Assert.Equal("52783243c1697bdbe16d37f97f68f08325dc1528", Convert.ToHexStringLower(digest));
    }

    [Fact]
    public void Hash_AgreesWithOpenSslAcrossPaddingBoundaries()
    {
        var random = new Random(160);
        for (var length = 0; length <= 300; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);
            Assert.Equal(OpenSslRipemd160(data), Ripemd160.HashData(data));
        }
    }

    [Theory]
    [InlineData(0, 600)]
    [InlineData(1, 720)]
    [InlineData(32, 720)]
    [InlineData(33, 840)]
    public void RequiredGas_IsSixHundredPlus120PerWord(int length, long gas) =>
        Assert.Equal(gas, _precompile.RequiredGas(new byte[length]));

    private static byte[] OpenSslRipemd160(byte[] data)
    {
        var digestType = EVP_get_digestbyname("RIPEMD160");
        Assert.NotEqual(IntPtr.Zero, digestType);
        var digest = new byte[64];
        uint size = 0;
        Assert.Equal(1, EVP_Digest(data, (nuint)data.Length, digest, ref size, digestType, IntPtr.Zero));
        return digest[..(int)size];
    }

    [LibraryImport("libcrypto.so.3", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr EVP_get_digestbyname(string name);

    [LibraryImport("libcrypto.so.3")]
    private static partial int EVP_Digest(byte[] data, nuint count, byte[] digest, ref uint size, IntPtr type, IntPtr engine);
}
