using Trellis.Core;
using Trellis.Sdk.Abi;

namespace Trellis.Sdk.Tests.Abi;

public class ContractAbiTests
{
    internal static ContractAbi Erc20 { get; } = ContractAbi.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Erc20.abi.json")));

    private static readonly Address Alice = Address.Parse("0x1111111111111111111111111111111111111111");
    private static readonly Address Bob = Address.Parse("0x2222222222222222222222222222222222222222");

    [Fact]
    public void Parse_ReadsFunctionsEventsAndConstructor()
    {
        Assert.Equal(9, Erc20.Functions.Count);
        Assert.Equal(2, Erc20.Events.Count);
        Assert.Equal("uint256", Assert.Single(Erc20.ConstructorInputs).Type.CanonicalName);
        AbiFunction transfer = Erc20.GetFunction("transfer");
        Assert.Equal("0xa9059cbb", Hex.Encode(transfer.Selector));
        Assert.False(transfer.IsReadOnly);
        Assert.True(Erc20.GetFunction("balanceOf(address)").IsReadOnly);
    }

    [Fact]
    public void Parse_BuildsTupleSignaturesFromComponents()
    {
        // The JSON of the ABI specification's "Handling tuple types" example: f(S memory, T memory, uint).
        const string json = """
            [{"name":"f","type":"function","inputs":[
              {"name":"s","type":"tuple","components":[
                {"name":"a","type":"uint256"},{"name":"b","type":"uint256[]"},
                {"name":"c","type":"tuple[]","components":[{"name":"x","type":"uint256"},{"name":"y","type":"uint256"}]}]},
              {"name":"t","type":"tuple","components":[{"name":"x","type":"uint256"},{"name":"y","type":"uint256"}]},
              {"name":"a","type":"uint256"}],"outputs":[]}]
            """;
        AbiFunction f = ContractAbi.Parse(json).GetFunction("f");
        Assert.Equal("f((uint256,uint256[],(uint256,uint256)[]),(uint256,uint256),uint256)", f.Signature);
        Assert.Equal(["a", "b", "c"], f.Inputs[0].Type.ComponentNames);
    }

    [Theory]
    [InlineData("{")]
    [InlineData("{}")]
    [InlineData("[1]")]
    [InlineData("[{\"type\":\"function\"}]")]
    [InlineData("[{\"type\":\"function\",\"name\":\"f\",\"inputs\":[{\"name\":\"x\"}]}]")]
    [InlineData("[{\"type\":\"function\",\"name\":\"f\",\"inputs\":[{\"type\":\"uint7\"}]}]")]
    [InlineData("[{\"type\":\"function\",\"name\":\"f\",\"inputs\":[{\"type\":\"tuple\"}]}]")]
    [InlineData("[{\"type\":\"function\",\"name\":\"f\",\"inputs\":{}}]")]
    [InlineData("[{\"type\":\"gadget\",\"name\":\"f\"}]")]
    [InlineData("[{\"type\":\"event\",\"name\":\"E\",\"inputs\":[{\"type\":\"uint8\",\"indexed\":true},{\"type\":\"uint8\",\"indexed\":true},{\"type\":\"uint8\",\"indexed\":true},{\"type\":\"uint8\",\"indexed\":true}]}]")]
    public void Parse_RejectsMalformedAbiJsonWithAbiException(string json)
    {
        Assert.Throws<AbiException>(() => ContractAbi.Parse(json));
    }

    [Fact]
    public void Parse_RejectsHostilelyDeepComponents()
    {
        string inner = "{\"type\":\"uint256\"}";
        for (int i = 0; i < 40; i++)
        {
            inner = "{\"type\":\"tuple\",\"components\":[" + inner + "]}";
        }

        Assert.Throws<AbiException>(() => ContractAbi.Parse("[{\"type\":\"function\",\"name\":\"f\",\"inputs\":[" + inner + "]}]"));
    }

    [Fact]
    public void GetFunction_NamesTheMissingMember()
    {
        var e = Assert.Throws<KeyNotFoundException>(() => Erc20.GetFunction("mint"));
        Assert.Contains("mint", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TransferLog_DecodesIndexedAddressesAndDataValue()
    {
        // A Transfer log as Ethereum nodes return it: topic 0, from and to left-padded, value in the data.
        Hash256[] topics =
        [
            Hash256.Parse("0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef"),
            Hash256.Parse("0x0000000000000000000000001111111111111111111111111111111111111111"),
            Hash256.Parse("0x0000000000000000000000002222222222222222222222222222222222222222"),
        ];
        byte[] data = Hex.Decode("0x00000000000000000000000000000000000000000000000000000000000003e8");
        AbiEvent transfer = Erc20.GetEvent("Transfer");
        Assert.True(transfer.Matches(topics));
        Assert.Same(transfer, Erc20.FindEvent(topics[0]));
        DecodedEvent decoded = transfer.DecodeLog(topics, data);
        Assert.Equal(Alice, decoded.Get<Address>("from"));
        Assert.Equal(Bob, decoded["to"]);
        Assert.Equal(new UInt256(1000), decoded["value"]);
    }

    [Fact]
    public void TransferLog_WithWrongTopicCountOrDirtyTopic_IsRefused()
    {
        AbiEvent transfer = Erc20.GetEvent("Transfer");
        Hash256 dirty = Hash256.Parse("0x0100000000000000000000001111111111111111111111111111111111111111");
        byte[] data = new byte[32];
        Assert.Throws<AbiException>(() => transfer.DecodeLog([transfer.Topic, dirty, dirty], data));
        Assert.Throws<AbiException>(() => transfer.DecodeLog([transfer.Topic], data));
        Assert.Throws<AbiException>(() => transfer.DecodeLog([Hash256.Zero, dirty, dirty], data));
        Assert.Throws<AbiException>(() => transfer.DecodeLog([transfer.Topic, Hash256.Zero, Hash256.Zero], new byte[31]));
    }

    [Fact]
    public void IndexedString_DecodesToItsHash_AndFilterTopicsMatch()
    {
        var evt = new AbiEvent("Named", [AbiParameter.Of("string", "name", indexed: true), AbiParameter.Of("uint8", "n")]);
        IReadOnlyList<Hash256?> filter = evt.EncodeTopicFilter("hello");
        Assert.Equal(2, filter.Count);
        Assert.Equal(Hash256.Parse("0x1c8aff950685c2ed4bc3174f3472287b56d9517b9c948127319a09a7a36deac8"), filter[1]);
        DecodedEvent decoded = evt.DecodeLog([evt.Topic, filter[1]!.Value], AbiEncoder.Encode(AbiType.Parse("uint8"), 5));
        Assert.Equal(filter[1], decoded["name"]);
        Assert.Equal(new UInt256(5), decoded["n"]);
    }

    [Fact]
    public void AnonymousEvent_HasNoTopicZero()
    {
        var evt = new AbiEvent("Anon", [AbiParameter.Of("uint256", "a", indexed: true)], anonymous: true);
        DecodedEvent decoded = evt.DecodeLog([Hash256.Parse("0x" + new string('0', 63) + "7")], []);
        Assert.Equal(new UInt256(7), decoded["a"]);
        Assert.False(evt.Matches([evt.Topic]));
    }

    [Fact]
    public void RevertReason_DecodesTheSolidityDocumentationErrorExample()
    {
        // Solidity documentation, "Panic via assert and Error via require": revert("Not enough Ether provided.").
        byte[] data = Hex.Decode("0x08c379a0"
            + "0000000000000000000000000000000000000000000000000000000000000020"
            + "000000000000000000000000000000000000000000000000000000000000001a"
            + "4e6f7420656e6f7567682045746865722070726f76696465642e000000000000");
        RevertReason reason = RevertReason.Decode(data);
        Assert.Equal(RevertReasonKind.Error, reason.Kind);
        Assert.Equal("Not enough Ether provided.", reason.Message);
        Assert.Equal("Error(\"Not enough Ether provided.\")", reason.ToString());
    }

    [Fact]
    public void RevertReason_DecodesPanicCustomEmptyAndGarbage()
    {
        byte[] panic = Hex.Decode("0x4e487b71" + "0000000000000000000000000000000000000000000000000000000000000011");
        RevertReason p = RevertReason.Decode(panic);
        Assert.Equal(RevertReasonKind.Panic, p.Kind);
        Assert.Equal(new UInt256(0x11), p.PanicCode);
        Assert.Equal("Panic(0x11: arithmetic overflow or underflow)", p.ToString());

        var custom = new AbiError("InsufficientBalance", [AbiParameter.Of("uint256", "available"), AbiParameter.Of("uint256", "required")]);
        RevertReason c = RevertReason.Decode(custom.Encode(3, 10), [custom]);
        Assert.Equal(RevertReasonKind.Custom, c.Kind);
        Assert.Equal("InsufficientBalance(3, 10)", c.ToString());

        Assert.Equal(RevertReasonKind.Empty, RevertReason.Decode([]).Kind);
        Assert.Equal(RevertReasonKind.Unknown, RevertReason.Decode(Hex.Decode("0x08c379a0ffff")).Kind);
        Assert.Equal(RevertReasonKind.Unknown, RevertReason.Decode(Hex.Decode("0xdeadbeef")).Kind);
    }

    [Fact]
    public void EncodeDeployment_AppendsConstructorArgumentsToBytecode()
    {
        byte[] creation = Erc20.EncodeDeployment(Hex.Decode("0x6080"), 1_000_000);
        Assert.Equal("0x6080" + "00000000000000000000000000000000000000000000000000000000000f4240", Hex.Encode(creation));
        Assert.Throws<AbiException>(() => Erc20.EncodeDeployment(Hex.Decode("0x6080")));
    }
}
