using Trellis.Evm.Precompiles;

namespace Trellis.Evm.Tests.Precompiles;

public class ModExpPrecompileTests
{
    private const string Vectors = "modexp_eip2565.json";
    private readonly ModExpPrecompile _precompile = new();

    public static TheoryData<string> VectorNames => PrecompileVector.Names(Vectors);

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void Run_MatchesGoEthereumVector(string name) => PrecompileVector.AssertPasses(_precompile, Vectors, name);

    [Fact]
    public void Run_ComputesSmallPowerWithDeclaredLengths()
    {
        // 3^5 mod 7 = 243 mod 7 = 5, modulus length 2 so the result is left-padded to 2 bytes.
        var input = Header(1, 1, 2).Concat(new byte[] { 3, 5, 0, 7 }).ToArray();
        Assert.True(_precompile.TryRun(input, out var output));
        Assert.Equal(new byte[] { 0, 5 }, output);
        Assert.Equal(200, _precompile.RequiredGas(input));
    }

    [Fact]
    public void Run_PadsMissingExponentBytesWithZeros()
    {
        // exp_len 2 but only one exponent byte (0x01) present and no modulus bytes: the exponent is 0x0100 and the
        // modulus is zero, so the output is mod_len zero bytes.
        var input = Header(1, 2, 3).Concat(new byte[] { 3, 1 }).ToArray();
        Assert.True(_precompile.TryRun(input, out var output));
        Assert.Equal(new byte[3], output);
    }

    [Fact]
    public void Run_PadsMissingExponentBytesBeforeModulus()
    {
        // base 3, exponent 0x0100 = 256, modulus 1000 (0x03e8): 3^256 mod 1000 = 521 (Python: pow(3, 256, 1000)).
        var input = Header(1, 2, 2).Concat(new byte[] { 3, 1, 0, 0x03, 0xe8 }).ToArray();
        Assert.True(_precompile.TryRun(input, out var output));
        Assert.Equal(new byte[] { 0x02, 0x09 }, output);
    }

    [Fact]
    public void Run_ExponentZeroGivesOneAndModulusOneGivesZero()
    {
        Assert.True(_precompile.TryRun(Header(1, 1, 1).Concat(new byte[] { 5, 0, 7 }).ToArray(), out var one));
        Assert.Equal(new byte[] { 1 }, one);
        Assert.True(_precompile.TryRun(Header(1, 1, 1).Concat(new byte[] { 5, 0, 1 }).ToArray(), out var zero));
        Assert.Equal(new byte[] { 0 }, zero);
    }

    [Fact]
    public void Run_EmptyInputReturnsEmptyOutput()
    {
        Assert.True(_precompile.TryRun([], out var output));
        Assert.Empty(output);
        Assert.Equal(200, _precompile.RequiredGas([]));
    }

    [Fact]
    public void HugeExponentLengthWithEmptyBaseAndModulusCostsTheMinimumAndReturnsNothing()
    {
        var input = Header(0, 0, 0);
        input.AsSpan(32, 32).Fill(0xff);
        Assert.Equal(200, _precompile.RequiredGas(input));
        Assert.True(_precompile.TryRun(input, out var output));
        Assert.Empty(output);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(32)]
    [InlineData(64)]
    public void HugeDeclaredLengthsSaturateGasAndFailWithoutAllocating(int offset)
    {
        var input = Header(1, 1, 1);
        input.AsSpan(offset, 32).Fill(0xff);
        Assert.Equal(long.MaxValue, _precompile.RequiredGas(input));

        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.False(_precompile.TryRun(input, out var output));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 10_000);
        Assert.Empty(output);
    }

    [Fact]
    public void RequiredGas_SaturatesWhenProductOverflowsButLengthsFitIn64Bits()
    {
        // mod_len 2^40 bytes: (2^37)^2 words squared already exceeds 2^63.
        var input = Header(0, 1, 1UL << 40);
        Assert.Equal(long.MaxValue, _precompile.RequiredGas(input));
    }

    [Theory]
    [InlineData(0x00, 1365)]
    [InlineData(0x01, 1365)]
    [InlineData(0x80, 2725)]
    public void RequiredGas_LongExponentCountsEightPerExtraByteAndTheHeadBits(byte headFirstByte, long gas)
    {
        // base_len = mod_len = 32 (16 words squared... 4 words: 4^2 = 16), exp_len 64:
        // iterations = 8 * (64 - 32) + max(bitlen(head) - 1, 0); gas = 16 * iterations / 3.
        var input = Header(32, 64, 32).Concat(new byte[32 + 64 + 32]).ToArray();
        input[96 + 32] = headFirstByte;
        if (headFirstByte == 0x01)
        {
            input[96 + 32] = 0;
            input[96 + 32 + 31] = 1;
        }

        Assert.Equal(gas, _precompile.RequiredGas(input));
    }

    [Fact]
    public void RequiredGas_ReadsExponentHeadBeyondInputAsZero()
    {
        // base_len larger than the input: the exponent head is all padding, iterations = max(0, 1).
        var input = Header(1000, 1, 1);
        Assert.Equal(Math.Max(200, 125 * 125 / 3), _precompile.RequiredGas(input));
    }

    private static byte[] Header(ulong baseLength, ulong exponentLength, ulong modulusLength)
    {
        var header = new byte[96];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(header.AsSpan(24), baseLength);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(header.AsSpan(56), exponentLength);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(header.AsSpan(88), modulusLength);
        return header;
    }
}
