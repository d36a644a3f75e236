using System.Text;
using Trellis.Evm.Precompiles;

namespace Trellis.Evm.Tests.Precompiles;

public class Sha256PrecompileTests
{
    private readonly Sha256Precompile _precompile = new();

    // FIPS 180-2, appendix B, and the empty-string digest.
    [Theory]
    [InlineData("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")]
    public void Run_MatchesFipsVector(string message, string digest)
    {
        Assert.True(_precompile.TryRun(Encoding.ASCII.GetBytes(message), out var output));
        Assert.Equal(digest, Convert.ToHexStringLower(output));
    }

    [Fact]
    public void Run_MatchesFipsMillionAVector()
    {
        Assert.True(_precompile.TryRun(Enumerable.Repeat((byte)'a', 1_000_000).ToArray(), out var output));
        Assert.Equal("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", Convert.ToHexStringLower(output));
    }

    [Theory]
    [InlineData(0, 60)]
    [InlineData(1, 72)]
    [InlineData(32, 72)]
    [InlineData(33, 84)]
    [InlineData(1024, 60 + (12 * 32))]
    public void RequiredGas_IsSixtyPlusTwelvePerWord(int length, long gas) =>
        Assert.Equal(gas, _precompile.RequiredGas(new byte[length]));
}
