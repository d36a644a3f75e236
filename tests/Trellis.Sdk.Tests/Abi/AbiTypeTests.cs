using Trellis.Sdk.Abi;

namespace Trellis.Sdk.Tests.Abi;

public class AbiTypeTests
{
    [Theory]
    [InlineData("uint", "uint256", false, 32)]
    [InlineData("int", "int256", false, 32)]
    [InlineData("bytes32", "bytes32", false, 32)]
    [InlineData("uint8[3]", "uint8[3]", false, 96)]
    [InlineData("string[2]", "string[2]", true, 32)]
    [InlineData("(uint,bool)[2]", "(uint256,bool)[2]", false, 128)]
    [InlineData("(uint256,bytes)[][3]", "(uint256,bytes)[][3]", true, 32)]
    [InlineData("()", "()", false, 0)]
    [InlineData("function", "function", false, 32)]
    public void Parse_GivesCanonicalNameDynamismAndHeadSize(string name, string canonical, bool dynamic, int headSize)
    {
        AbiType type = AbiType.Parse(name);
        Assert.Equal(canonical, type.CanonicalName);
        Assert.Equal(dynamic, type.IsDynamic);
        Assert.Equal(headSize, type.HeadSize);
    }

    [Theory]
    [InlineData("uint7")]
    [InlineData("uint264")]
    [InlineData("uint08")]
    [InlineData("int0")]
    [InlineData("bytes0")]
    [InlineData("bytes33")]
    [InlineData("bytes01")]
    [InlineData("Uint256")]
    [InlineData("uint256 ")]
    [InlineData("(uint256")]
    [InlineData("(uint256,)")]
    [InlineData("uint256[")]
    [InlineData("uint256[x]")]
    [InlineData("uint256[-1]")]
    [InlineData("uint256[01]")]
    [InlineData("uint256[99999999999]")]
    [InlineData("fixed128x18")]
    [InlineData("tuple")]
    [InlineData("")]
    public void Parse_RejectsInvalidNames(string name)
    {
        var e = Assert.Throws<AbiException>(() => AbiType.Parse(name));
        Assert.False(string.IsNullOrEmpty(e.Message));
    }

    [Fact]
    public void Parse_RejectsHostileNesting()
    {
        string deep = new string('(', 10_000) + "uint256" + new string(')', 10_000);
        var e = Assert.Throws<AbiException>(() => AbiType.Parse(deep));
        Assert.Contains("nested deeper", e.Message, StringComparison.Ordinal);
        string arrays = "uint256" + string.Concat(Enumerable.Repeat("[]", 100));
        Assert.Throws<AbiException>(() => AbiType.Parse(arrays));
    }

    [Fact]
    public void Parse_RejectsStaticSizesThatOverflow()
    {
        Assert.Throws<AbiException>(() => AbiType.Parse("uint256[1000000][1000000]"));
    }
}
