using System.Globalization;
using System.Numerics;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Trellis.Core;
using Trellis.Node.JsonRpc;

namespace Trellis.Node.Tests.JsonRpc;

public class JsonRpcValueTests
{
    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    private static string Error(Action read)
    {
        var e = Assert.Throws<JsonRpcException>(read);
        Assert.Equal(JsonRpcErrorCodes.InvalidParams, e.Code);
        return e.Message;
    }

    [Theory]
    [InlineData("\"0x0\"", 0UL)]
    [InlineData("\"0x1\"", 1UL)]
    [InlineData("\"0x41\"", 65UL)]
    [InlineData("\"0x400\"", 1024UL)]
    [InlineData("\"0xffffffffffffffff\"", ulong.MaxValue)]
    [InlineData("\"0XaBc\"", 0xabcUL)]
    public void ReadUInt64_AcceptsEip1474Quantities(string json, ulong expected) =>
        Assert.Equal(expected, JsonRpcValue.ReadUInt64(Json(json), "p"));

    // The examples of invalid quantities are those listed in EIP-1474 and the JSON-RPC spec.
    [Theory]
    [InlineData("\"0x\"", "no digits after 0x")]
    [InlineData("\"0x0400\"", "leading zero digits are not allowed")]
    [InlineData("\"0x00\"", "leading zero digits are not allowed")]
    [InlineData("\"ff\"", "missing 0x prefix")]
    [InlineData("\"0xfg\"", "'g' at position 3 is not a hex digit")]
    [InlineData("\"0x10000000000000000\"", "at most 64 bits")]
    [InlineData("1024", "expected a hex quantity, got 1024")]
    [InlineData("null", "expected a hex quantity, got null")]
    [InlineData("true", "expected a hex quantity, got true")]
    public void ReadUInt64_RejectsWithTheRule(string json, string message) =>
        Assert.Contains(message, Error(() => JsonRpcValue.ReadUInt64(Json(json), "params[0]")), StringComparison.Ordinal);

    [Fact]
    public void ReadUInt256_AgreesWithBigIntegerOnEveryWidth()
    {
        Gen<BigInteger> values = from bytes in Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), 32)
                                 from shift in Gen.Choose(0, 256)
                                 select new BigInteger(bytes, isUnsigned: true, isBigEndian: true) >> shift;
        Prop.ForAll(values.ToArbitrary(), value =>
        {
            string hex = value.IsZero ? "0" : value.ToString("x", CultureInfo.InvariantCulture).TrimStart('0');
            UInt256 parsed = JsonRpcValue.ReadUInt256(Json($"\"0x{hex}\""), "p");
            return parsed.ToBigInteger() == value;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void ReadUInt256_AcceptsTheLargestAndRejectsOneMoreDigit()
    {
        string max = "0x" + new string('f', 64);
        Assert.Equal(UInt256.MaxValue, JsonRpcValue.ReadUInt256(Json($"\"{max}\""), "p"));
        Assert.Contains("at most 256 bits", Error(() => JsonRpcValue.ReadUInt256(Json($"\"0x1{new string('0', 64)}\""), "p")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"0x\"", 0)]
    [InlineData("\"0x00\"", 1)]
    [InlineData("\"0x0102ff\"", 3)]
    public void ReadData_AcceptsEvenHex(string json, int length) =>
        Assert.Equal(length, JsonRpcValue.ReadData(Json(json), "p").Length);

    [Theory]
    [InlineData("\"0x123\"", "odd length")]
    [InlineData("\"1234\"", "missing 0x prefix")]
    [InlineData("\"0xzz\"", "non-hex character 'z'")]
    [InlineData("[1,2]", "expected hex data, got [1,2]")]
    public void ReadData_RejectsWithTheRule(string json, string message) =>
        Assert.Contains(message, Error(() => JsonRpcValue.ReadData(Json(json), "p")), StringComparison.Ordinal);

    [Fact]
    public void ReadAddress_AcceptsAnyCaseAndRejectsWrongLengthWithTheBriefsMessage()
    {
        Address lower = JsonRpcValue.ReadAddress(Json("\"0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed\""), "params[0]");
        Address mixed = JsonRpcValue.ReadAddress(Json("\"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed\""), "params[0]");
        Assert.Equal(lower, mixed);
        Assert.Equal("params[0]: expected a 20-byte address, got \"0x12\"", Error(() => JsonRpcValue.ReadAddress(Json("\"0x12\""), "params[0]")));
    }

    [Fact]
    public void ReadHash_RejectsAddressLength() =>
        Assert.Contains("expected a 32-byte hash", Error(() => JsonRpcValue.ReadHash(Json("\"0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed\""), "p")), StringComparison.Ordinal);

    [Theory]
    [InlineData("\"latest\"", BlockTag.Latest)]
    [InlineData("\"earliest\"", BlockTag.Earliest)]
    [InlineData("\"pending\"", BlockTag.Pending)]
    [InlineData("\"safe\"", BlockTag.Safe)]
    [InlineData("\"finalized\"", BlockTag.Finalized)]
    [InlineData("\"0x10\"", BlockTag.Number)]
    [InlineData("{\"blockNumber\":\"0x10\"}", BlockTag.Number)]
    [InlineData("{\"blockHash\":\"0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347\"}", BlockTag.Hash)]
    public void ReadBlockParameter_AcceptsTagsNumbersAndEip1898(string json, BlockTag tag)
    {
        BlockParameter block = JsonRpcValue.ReadBlockParameter(Json(json), "p");
        Assert.Equal(tag, block.Tag);
        if (tag == BlockTag.Number)
        {
            Assert.Equal(16UL, block.Number);
        }
    }

    [Fact]
    public void ReadBlockParameter_ReadsRequireCanonical()
    {
        BlockParameter block = JsonRpcValue.ReadBlockParameter(
            Json("{\"blockHash\":\"0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347\",\"requireCanonical\":true}"), "p");
        Assert.True(block.RequireCanonical);
        Assert.Equal(RpcBlockHashes.EmptyUncles, block.Hash);
    }

    [Theory]
    [InlineData("\"Latest\"", "expected a block number or one of latest")]
    [InlineData("\"0x010\"", "leading zero")]
    [InlineData("16", "expected a block number, tag or EIP-1898 block object, got 16")]
    [InlineData("{}", "exactly one of blockHash and blockNumber")]
    [InlineData("{\"blockNumber\":\"0x1\",\"blockHash\":\"0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347\"}", "exactly one")]
    [InlineData("{\"blockHash\":\"0x12\"}", "p.blockHash: expected a 32-byte hash")]
    [InlineData("{\"blockNumber\":{\"blockNumber\":\"0x1\"}}", "p.blockNumber: expected a block number or tag")]
    public void ReadBlockParameter_RejectsWithThePath(string json, string message) =>
        Assert.Contains(message, Error(() => JsonRpcValue.ReadBlockParameter(Json(json), "p")), StringComparison.Ordinal);

    [Fact]
    public void ReadBlockParameter_WithoutHashAllowed_RejectsObjects() =>
        Assert.Contains("expected a block number or tag", Error(() => JsonRpcValue.ReadBlockParameter(Json("{\"blockNumber\":\"0x1\"}"), "p", allowHash: false)), StringComparison.Ordinal);

    [Fact]
    public void Params_TrailingNullsCountAsOmitted()
    {
        var p = new JsonRpcParams(Json("[\"0x1\", null, null]"));
        p.RequireCount(1, 1);
        Assert.False(p.Has(1));
        Assert.Equal(BlockParameter.Latest, p.GetBlockParameter(1, BlockParameter.Latest));
        Assert.True(p.GetBoolean(2, true));
        Assert.Contains("params[1]: missing required parameter", Error(() => p.GetUInt64(1)), StringComparison.Ordinal);
    }

    [Fact]
    public void Quote_CutsLongValues()
    {
        string message = Error(() => JsonRpcValue.ReadAddress(Json($"\"0x{new string('a', 500)}\""), "p"));
        Assert.True(message.Length < 200, message);
        Assert.Contains("...", message, StringComparison.Ordinal);
    }

    private static class RpcBlockHashes
    {
        public static readonly Hash256 EmptyUncles = Hash256.Parse("0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347");
    }
}
