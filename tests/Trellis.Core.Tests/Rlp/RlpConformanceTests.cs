using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using Trellis.Core.Rlp;

namespace Trellis.Core.Tests.Rlp;

/// <summary>The ethereum/tests RLPTests fixtures, one theory case per named test.</summary>
public class RlpConformanceTests
{
    public static TheoryData<string> ValidCases => Names("rlptest.json");

    public static TheoryData<string> InvalidCases => Names("invalidRLPTest.json");

    public static TheoryData<string> RandomCases => Names("RandomRLPTests", "example.json");

    [Fact]
    public void Fixtures_AreAllPresent()
    {
        Assert.Equal(28, ValidCases.Count);
        Assert.Equal(26, InvalidCases.Count);
        Assert.Single(RandomCases);
    }

    [Theory]
    [MemberData(nameof(ValidCases))]
    public void Valid_EncodingTheInputGivesTheExpectedBytes(string name)
    {
        JsonElement test = Load("rlptest.json").GetProperty(name);
        byte[] expected = Hex.Decode(test.GetProperty("out").GetString()!);

        var writer = new RlpWriter();
        Write(writer, test.GetProperty("in"));

        Assert.Equal(Hex.Encode(expected), Hex.Encode(writer.WrittenSpan));
    }

    [Theory]
    [MemberData(nameof(ValidCases))]
    public void Valid_DecodingTheOutputGivesTheInputAndReEncodesIdentically(string name)
    {
        JsonElement test = Load("rlptest.json").GetProperty(name);
        byte[] encoded = Hex.Decode(test.GetProperty("out").GetString()!);

        RlpItem decoded = RlpItem.Decode(encoded);

        Assert.Equal(ToTree(test.GetProperty("in")), decoded);
        Assert.Equal(Hex.Encode(encoded), Hex.Encode(decoded.Encode()));
    }

    [Theory]
    [MemberData(nameof(ValidCases))]
    public void Valid_IntegersReadBackAsTheirValue(string name)
    {
        JsonElement input = Load("rlptest.json").GetProperty(name).GetProperty("in");
        byte[] encoded = Hex.Decode(Load("rlptest.json").GetProperty(name).GetProperty("out").GetString()!);
        var reader = new RlpReader(encoded);
        if (input.ValueKind == JsonValueKind.Number)
        {
            Assert.Equal(input.GetUInt64(), reader.ReadULong());
        }
        else if (input.ValueKind == JsonValueKind.String && input.GetString()!.StartsWith('#'))
        {
            BigInteger expected = BigInteger.Parse(input.GetString()![1..], CultureInfo.InvariantCulture);
            ReadOnlySpan<byte> magnitude = reader.ReadIntegerBytes(64);
            Assert.Equal(expected, new BigInteger(magnitude, isUnsigned: true, isBigEndian: true));
        }
        else
        {
            reader.SkipItem();
        }

        reader.EnsureEnd();
    }

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void Invalid_DecodingThrowsRlpException(string name)
    {
        byte[] encoded = Hex.Decode(Load("invalidRLPTest.json").GetProperty(name).GetProperty("out").GetString()!);
        var ex = Assert.Throws<RlpException>(() => RlpItem.Decode(encoded));
        Assert.StartsWith("invalid RLP at position", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(RandomCases))]
    public void Random_DecodingAndReEncodingGivesTheSameBytes(string name)
    {
        byte[] encoded = Hex.Decode(Load("RandomRLPTests", "example.json").GetProperty(name).GetProperty("out").GetString()!);
        Assert.Equal(Hex.Encode(encoded), Hex.Encode(RlpItem.Decode(encoded).Encode()));
    }

    private static TheoryData<string> Names(params string[] file)
    {
        var names = new TheoryData<string>();
        foreach (JsonProperty test in Load(file).EnumerateObject())
        {
            names.Add(test.Name);
        }

        return names;
    }

    private static JsonElement Load(params string[] file)
    {
        string path = SharedPaths.Conformance(["ethereum-tests", "RLPTests", .. file]);
        using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
        return document.RootElement.Clone();
    }

    // Fixture inputs: numbers and "#decimal" strings are integers, other strings are their bytes, arrays are lists.
    private static void Write(RlpWriter writer, JsonElement input)
    {
        switch (input.ValueKind)
        {
            case JsonValueKind.Number:
                writer.WriteULong(input.GetUInt64());
                break;
            case JsonValueKind.String when input.GetString()!.StartsWith('#'):
                writer.WriteIntegerBytes(BigMagnitude(input.GetString()!));
                break;
            case JsonValueKind.String:
                writer.WriteBytes(Encoding.UTF8.GetBytes(input.GetString()!));
                break;
            case JsonValueKind.Array:
                int handle = writer.StartList();
                foreach (JsonElement item in input.EnumerateArray())
                {
                    Write(writer, item);
                }

                writer.EndList(handle);
                break;
            default:
                throw new InvalidOperationException($"unexpected fixture input {input}");
        }
    }

    private static RlpItem ToTree(JsonElement input) => input.ValueKind switch
    {
        JsonValueKind.Number => new RlpString(new BigInteger(input.GetUInt64()).ToByteArray(isUnsigned: true, isBigEndian: true).AsSpan().TrimStart((byte)0)),
        JsonValueKind.String when input.GetString()!.StartsWith('#') => new RlpString(BigMagnitude(input.GetString()!)),
        JsonValueKind.String => new RlpString(Encoding.UTF8.GetBytes(input.GetString()!)),
        JsonValueKind.Array => new RlpList(input.EnumerateArray().Select(ToTree).ToArray()),
        _ => throw new InvalidOperationException($"unexpected fixture input {input}"),
    };

    private static byte[] BigMagnitude(string text) =>
        BigInteger.Parse(text[1..], CultureInfo.InvariantCulture).ToByteArray(isUnsigned: true, isBigEndian: true);
}
