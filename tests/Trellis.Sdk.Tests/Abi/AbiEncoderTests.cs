using System.Numerics;
using System.Text;
using Trellis.Core;
using Trellis.Sdk.Abi;

namespace Trellis.Sdk.Tests.Abi;

/// <summary>The worked examples of the Solidity ABI specification (docs/abi-spec.rst), byte for byte.</summary>
public class AbiEncoderTests
{
    private const string BazCall =
        "0xcdcd77c000000000000000000000000000000000000000000000000000000000000000450000000000000000000000000000000000000000000000000000000000000001";

    private const string BarCall =
        "0xfce353f661626300000000000000000000000000000000000000000000000000000000006465660000000000000000000000000000000000000000000000000000000000";

    private const string SamCall =
        "0xa5643bf20000000000000000000000000000000000000000000000000000000000000060000000000000000000000000000000000000000000000000000000000000000100000000000000000000000000000000000000000000000000000000000000a0000000000000000000000000000000000000000000000000000000000000000464617665000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000003000000000000000000000000000000000000000000000000000000000000000100000000000000000000000000000000000000000000000000000000000000020000000000000000000000000000000000000000000000000000000000000003";

    private const string FCall = "0x8be65246"
        + "0000000000000000000000000000000000000000000000000000000000000123"
        + "0000000000000000000000000000000000000000000000000000000000000080"
        + "3132333435363738393000000000000000000000000000000000000000000000"
        + "00000000000000000000000000000000000000000000000000000000000000e0"
        + "0000000000000000000000000000000000000000000000000000000000000002"
        + "0000000000000000000000000000000000000000000000000000000000000456"
        + "0000000000000000000000000000000000000000000000000000000000000789"
        + "000000000000000000000000000000000000000000000000000000000000000d"
        + "48656c6c6f2c20776f726c642100000000000000000000000000000000000000";

    private const string GCall = "0x2289b18c"
        + "0000000000000000000000000000000000000000000000000000000000000040"
        + "0000000000000000000000000000000000000000000000000000000000000140"
        + "0000000000000000000000000000000000000000000000000000000000000002"
        + "0000000000000000000000000000000000000000000000000000000000000040"
        + "00000000000000000000000000000000000000000000000000000000000000a0"
        + "0000000000000000000000000000000000000000000000000000000000000002"
        + "0000000000000000000000000000000000000000000000000000000000000001"
        + "0000000000000000000000000000000000000000000000000000000000000002"
        + "0000000000000000000000000000000000000000000000000000000000000001"
        + "0000000000000000000000000000000000000000000000000000000000000003"
        + "0000000000000000000000000000000000000000000000000000000000000003"
        + "0000000000000000000000000000000000000000000000000000000000000060"
        + "00000000000000000000000000000000000000000000000000000000000000a0"
        + "00000000000000000000000000000000000000000000000000000000000000e0"
        + "0000000000000000000000000000000000000000000000000000000000000003"
        + "6f6e650000000000000000000000000000000000000000000000000000000000"
        + "0000000000000000000000000000000000000000000000000000000000000003"
        + "74776f0000000000000000000000000000000000000000000000000000000000"
        + "0000000000000000000000000000000000000000000000000000000000000005"
        + "7468726565000000000000000000000000000000000000000000000000000000";

    [Fact]
    public void Baz_EncodesSpecificationExample()
    {
        var baz = AbiFunction.Parse("baz(uint32,bool)");
        Assert.Equal("0xcdcd77c0", Hex.Encode(baz.Selector));
        Assert.Equal(BazCall, Hex.Encode(baz.EncodeCall(69u, true)));
    }

    [Fact]
    public void Baz_ReturnValueFalse_IsOneZeroWord()
    {
        var baz = AbiFunction.Parse("baz(uint32,bool)", "(bool)");
        Assert.Equal(false, baz.DecodeOutput(new byte[32])[0]);
    }

    [Fact]
    public void Bar_EncodesSpecificationExample()
    {
        var bar = AbiFunction.Parse("bar(bytes3[2])");
        byte[] call = bar.EncodeCall([new object[] { "abc"u8.ToArray(), "def"u8.ToArray() }]);
        Assert.Equal(BarCall, Hex.Encode(call));
    }

    [Fact]
    public void Sam_EncodesSpecificationExample_WithUintAliasCanonicalised()
    {
        var sam = AbiFunction.Parse("sam(bytes,bool,uint[])");
        Assert.Equal("sam(bytes,bool,uint256[])", sam.Signature);
        byte[] call = sam.EncodeCall("dave"u8.ToArray(), true, new object[] { 1, 2, 3 });
        Assert.Equal(SamCall, Hex.Encode(call));
    }

    [Fact]
    public void F_EncodesSpecificationDynamicTypesExample()
    {
        var f = AbiFunction.Parse("f(uint,uint32[],bytes10,bytes)");
        byte[] call = f.EncodeCall(0x123, new object[] { 0x456, 0x789 }, "1234567890"u8.ToArray(), "Hello, world!"u8.ToArray());
        Assert.Equal(FCall, Hex.Encode(call));
    }

    [Fact]
    public void G_EncodesSpecificationNestedArraysExample()
    {
        var g = AbiFunction.Parse("g(uint[][],string[])");
        Assert.Equal("0x2289b18c", Hex.Encode(g.Selector));
        byte[] call = g.EncodeCall(
            new object[] { new object[] { 1, 2 }, new object[] { 3 } },
            new object[] { "one", "two", "three" });
        Assert.Equal(GCall, Hex.Encode(call));
    }

    [Fact]
    public void SpecificationExamples_DecodeBackToTheirValues()
    {
        object?[] sam = AbiFunction.Parse("sam(bytes,bool,uint[])").DecodeCall(Hex.Decode(SamCall));
        Assert.Equal("dave"u8.ToArray(), (byte[])sam[0]!);
        Assert.Equal(true, sam[1]);
        Assert.Equal(new object[] { new UInt256(1), new UInt256(2), new UInt256(3) }, (object[])sam[2]!);

        object?[] f = AbiFunction.Parse("f(uint,uint32[],bytes10,bytes)").DecodeCall(Hex.Decode(FCall));
        Assert.Equal(new UInt256(0x123), f[0]);
        Assert.Equal(new object[] { new UInt256(0x456), new UInt256(0x789) }, (object[])f[1]!);
        Assert.Equal("1234567890"u8.ToArray(), (byte[])f[2]!);
        Assert.Equal("Hello, world!", Encoding.ASCII.GetString((byte[])f[3]!));

        object?[] g = AbiFunction.Parse("g(uint[][],string[])").DecodeCall(Hex.Decode(GCall));
        var outer = (object[])g[0]!;
        Assert.Equal(new object[] { new UInt256(1), new UInt256(2) }, (object[])outer[0]);
        Assert.Equal(new object[] { new UInt256(3) }, (object[])outer[1]);
        Assert.Equal(new object[] { "one", "two", "three" }, (object[])g[1]!);

        object?[] bar = AbiFunction.Parse("bar(bytes3[2])").DecodeCall(Hex.Decode(BarCall));
        Assert.Equal("def"u8.ToArray(), (byte[])((object[])bar[0]!)[1]);
    }

    [Fact]
    public void PublishedErc20Selectors_Match()
    {
        // The ERC-20 selectors and event topics published in EIP-20 tooling and every block explorer.
        Assert.Equal("0xa9059cbb", Hex.Encode(AbiSignature.Selector("transfer(address,uint256)")));
        Assert.Equal("0x70a08231", Hex.Encode(AbiSignature.Selector("balanceOf(address)")));
        Assert.Equal("0x095ea7b3", Hex.Encode(AbiSignature.Selector("approve(address,uint256)")));
        Assert.Equal("0x23b872dd", Hex.Encode(AbiSignature.Selector("transferFrom(address,address,uint256)")));
        Assert.Equal("0x18160ddd", Hex.Encode(AbiSignature.Selector("totalSupply()")));
        Assert.Equal("0x08c379a0", Hex.Encode(AbiError.Error.Selector));
        Assert.Equal("0x4e487b71", Hex.Encode(AbiError.Panic.Selector));
        Assert.Equal(
            "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef",
            AbiSignature.Hash("Transfer(address,address,uint256)").ToString());
        Assert.Equal(
            "0x8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b925",
            AbiSignature.Hash("Approval(address,address,uint256)").ToString());
    }

    [Fact]
    public void NegativeIntegers_AreSignExtended()
    {
        byte[] minusOne = AbiEncoder.Encode(AbiType.Parse("int8"), -1);
        Assert.All(minusOne, b => Assert.Equal(0xff, b));
        byte[] min = AbiEncoder.Encode(AbiType.Parse("int16"), (short)-32768);
        Assert.Equal("0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff8000", Hex.Encode(min));
        byte[] int256Min = AbiEncoder.Encode(AbiType.Parse("int256"), -(BigInteger.One << 255));
        Assert.Equal("0x8000000000000000000000000000000000000000000000000000000000000000", Hex.Encode(int256Min));
    }

    [Fact]
    public void Tuples_AcceptValueTuplesAndEncodeDynamicMembersBehindOffsets()
    {
        AbiType type = AbiType.Parse("(uint256,string)");
        byte[] fromArray = AbiEncoder.Encode(type, new object[] { 7, "hi" });
        byte[] fromTuple = AbiEncoder.Encode(type, (7, "hi"));
        Assert.Equal(fromArray, fromTuple);
        // Outer offset 0x20 to the tuple; inside: 7, offset 0x40, length 2, "hi".
        Assert.Equal(
            "0x0000000000000000000000000000000000000000000000000000000000000020"
            + "0000000000000000000000000000000000000000000000000000000000000007"
            + "0000000000000000000000000000000000000000000000000000000000000040"
            + "0000000000000000000000000000000000000000000000000000000000000002"
            + "6869000000000000000000000000000000000000000000000000000000000000",
            Hex.Encode(fromArray));
    }

    [Theory]
    [InlineData("uint8", 256)]
    [InlineData("uint8", -1)]
    [InlineData("int8", 128)]
    [InlineData("int8", -129)]
    public void OutOfRangeIntegers_AreRefusedWithTheTypeAndValue(string type, int value)
    {
        var e = Assert.Throws<AbiException>(() => AbiEncoder.Encode(AbiType.Parse(type), value));
        Assert.Contains(type, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongValueShapes_AreRefusedClearly()
    {
        Assert.Throws<AbiException>(() => AbiEncoder.Encode(AbiType.Parse("bytes3"), new byte[4]));
        Assert.Throws<AbiException>(() => AbiEncoder.Encode(AbiType.Parse("uint256[2]"), new object[] { 1 }));
        Assert.Throws<AbiException>(() => AbiEncoder.Encode(AbiType.Parse("(uint256,bool)"), new object[] { 1 }));
        Assert.Throws<AbiException>(() => AbiEncoder.Encode(AbiType.Bool, 1));
        Assert.Throws<AbiException>(() => AbiEncoder.Encode(AbiType.String, null));
        Assert.Throws<AbiException>(() => AbiEncoder.Encode(AbiType.Address, "0x1234"));
        Assert.Throws<AbiException>(() => AbiFunction.Parse("baz(uint32,bool)").EncodeCall(1));
    }

    [Fact]
    public void IndexedTopics_HashDynamicValuesAndPadValueTypes()
    {
        // Keccak-256("") and Keccak-256("hello"), as published for Ethereum's Keccak-256.
        Assert.Equal("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470", AbiEncoder.EncodeTopic(AbiType.String, string.Empty).ToString());
        Assert.Equal("0x1c8aff950685c2ed4bc3174f3472287b56d9517b9c948127319a09a7a36deac8", AbiEncoder.EncodeTopic(AbiType.Bytes, "hello"u8.ToArray()).ToString());
        Assert.Equal("0x000000000000000000000000000000000000000000000000000000000000002a", AbiEncoder.EncodeTopic(AbiType.UInt256, 42).ToString());
        // An array topic hashes the concatenated padded elements without a length (ABI specification).
        byte[] words = new byte[64];
        words[31] = 1;
        words[63] = 2;
        Assert.Equal(Keccak256.Hash(words), AbiEncoder.EncodeTopic(AbiType.Parse("uint256[]"), new object[] { 1, 2 }));
    }
}
