using System.Text;
using Trellis.Core;
using Trellis.Evm.Processing;
using Trellis.Evm.StateTests;

namespace Trellis.Evm.Tests.StateTests;

public class StateTestParserTests
{
    private static IReadOnlyList<StateTest> Parse(string json) => StateTestParser.Parse(Encoding.UTF8.GetBytes(json), "inline.json");

    [Fact]
    public void ParseFile_ReadsEveryFieldOfAFilledTest()
    {
        var tests = StateTestParser.ParseFile(StateTestPaths.Conformance("ethereum-tests", "GeneralStateTests", "stExample", "add11.json"));
        var test = Assert.Single(tests);
        Assert.Equal("add11", test.Name);
        Assert.Null(test.Error);

        var env = test.Environment!;
        Assert.Equal(Address.Parse("0x2adc25665018aa1fe0e6bc666dac8fc2697ff9ba"), env.Coinbase);
        Assert.Equal(1UL, env.Number);
        Assert.Equal(1000UL, env.Timestamp);
        Assert.Equal(0xff112233445566L, env.GasLimit);
        Assert.Equal(new UInt256(0x020000), env.PrevRandao);
        Assert.Equal(new UInt256(10), env.BaseFee);
        Assert.Equal(0UL, env.ExcessBlobGas);

        Assert.Equal(3, test.Pre.Count);
        var contract = test.Pre.Single(a => a.Address == Address.Parse("0x095e7baea6a6c7c4c2dfeb977efac326af552d87"));
        Assert.Equal(Hex.Decode("0x600160010160005500"), contract.Code);
        Assert.Equal(new UInt256(1_000_000_000_000_000_000), contract.Balance);

        var tx = test.Transaction!;
        // The sender comes from the secret key (secp256k1 + Keccak-256), and the fixture names the same address.
        Assert.Equal(Address.Parse("0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b"), tx.Sender);
        Assert.Equal(contract.Address, tx.To);
        Assert.Equal(new UInt256(10), tx.GasPrice);

        var c = Assert.Single(test.Cases);
        Assert.Equal((0, 0, 0), (c.DataIndex, c.GasIndex, c.ValueIndex));
        Assert.Equal(Hash256.Parse("0xe8010ce590f401c9d61fef8ab05bea9bcec24281b795e5868809bc4e515aa530"), c.ExpectedRoot);
        Assert.Null(c.ExpectException);

        Assert.True(tx.TryBuild(0, 0, 0, out var built, out var error), error);
        Assert.Equal(EvmTransaction.LegacyType, built!.Type);
        Assert.Equal(400_000L, built.GasLimit);
        Assert.Equal(new UInt256(100_000), built.Value);
    }

    [Fact]
    public void Parse_RejectsAFileThatIsNotJsonNamingIt()
    {
        var e = Assert.Throws<StateTestFormatException>(() => Parse("{\"a\": [1, 2"));
        Assert.Contains("inline.json", e.Message, StringComparison.Ordinal);
        Assert.Contains("not valid JSON", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RejectsATopLevelArray()
    {
        var e = Assert.Throws<StateTestFormatException>(() => Parse("[]"));
        Assert.Contains("JSON object of named tests", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseFile_NamesAMissingFile()
    {
        var e = Assert.Throws<FileNotFoundException>(() => StateTestParser.ParseFile("/no/such/dir/test.json"));
        Assert.Contains("/no/such/dir/test.json", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TestWithoutCancunPostStatesHasNoCases()
    {
        var test = Assert.Single(Parse("""
            { "onlyShanghai": { "env": {}, "pre": {}, "transaction": {},
              "post": { "Shanghai": [ { "hash": "0x00", "indexes": { "data": 0, "gas": 0, "value": 0 }, "logs": "0x00" } ] } } }
            """));
        Assert.Null(test.Error);
        Assert.Empty(test.Cases);
        Assert.Empty(new StateTestRunner().Run(test));
    }

    [Theory]
    [InlineData("\"env\": 5", "env must be a JSON object")]
    [InlineData("\"env\": { \"currentCoinbase\": \"0x12\" }", "env.currentCoinbase: expected a 20-byte 0x-hex address")]
    [InlineData("\"pre\": { \"0xzz\": {} }", "pre[0xzz]")]
    [InlineData("\"pre\": { \"0x095e7baea6a6c7c4c2dfeb977efac326af552d87\": { \"balance\": \"0x1g\" } }", "balance: bad hex quantity")]
    [InlineData("\"transaction\": { \"secretKey\": \"0x00\" }", "secretKey is not a valid secp256k1 private key")]
    [InlineData("\"transaction\": { \"sender\": \"0x095e7baea6a6c7c4c2dfeb977efac326af552d87\", \"nonce\": \"0x10000000000000000\", \"to\": \"\", \"data\": [], \"gasLimit\": [], \"value\": [] }", "transaction.nonce: quantity \"0x10000000000000000\" exceeds 64 bits")]
    public void Parse_AMalformedTestBecomesOneFailedCaseNamingTheField(string replacement, string expected)
    {
        // Swap one section of a valid test for a broken one.
        var section = replacement[..replacement.IndexOf(':', StringComparison.Ordinal)];
        var json = ReplaceSection(ValidTest(), section, replacement);
        var test = Assert.Single(Parse(json));
        Assert.NotNull(test.Error);
        Assert.Contains(expected, test.Error, StringComparison.Ordinal);

        var result = Assert.Single(new StateTestRunner().Run(test));
        Assert.False(result.Pass);
        Assert.False(result.Skipped);
        Assert.StartsWith("FAIL inline.json broken [d=-1 g=-1 v=-1] malformed test:", result.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_AMissingIndexIsAFailedCaseNotACrash()
    {
        var json = ReplaceSection(ValidTest(), "\"post\"", "\"post\": { \"Cancun\": [ { \"hash\": \"0x" + new string('0', 64) + "\", \"indexes\": { \"data\": 3, \"gas\": 0, \"value\": 0 }, \"logs\": \"0x" + new string('0', 64) + "\" } ] }");
        var test = Assert.Single(Parse(json));
        var result = Assert.Single(new StateTestRunner().Run(test));
        Assert.True(result.Failed);
        Assert.Contains("index 3 is outside transaction.data (which has 1 entries)", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryBuild_AValueBeyond256BitsIsAnInvalidTransaction()
    {
        var tx = Transaction(values: ["0x:bigint 0x10000000000000000000000000000000000000000000000000000000000000001"]);
        Assert.False(tx.TryBuild(0, 0, 0, out var built, out var error));
        Assert.Null(built);
        Assert.Contains("exceeds 256 bits", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryBuild_AGasLimitBeyondSigned64BitsIsAnInvalidTransaction()
    {
        var tx = Transaction(gasLimits: ["0x8000000000000000"]);
        Assert.False(tx.TryBuild(0, 0, 0, out _, out var error));
        Assert.Contains("exceeds 2^63 - 1", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryBuild_ChoosesTheTypeFromTheFieldsPresent()
    {
        var entry = new AccessListEntry(Address.Zero, [UInt256.One]);
        Assert.Equal(EvmTransaction.LegacyType, Build(Transaction()).Type);
        Assert.Equal(EvmTransaction.LegacyType, Build(Transaction() with { AccessLists = [null] }).Type);
        var withList = Build(Transaction() with { AccessLists = [[entry]] });
        Assert.Equal(EvmTransaction.AccessListType, withList.Type);
        Assert.Equal(entry, Assert.Single(withList.AccessList));
        var dynamic = Build(Transaction() with { GasPrice = null, MaxFeePerGas = 10, MaxPriorityFeePerGas = 2 });
        Assert.Equal(EvmTransaction.DynamicFeeType, dynamic.Type);
        Assert.Equal(new UInt256(10), dynamic.MaxFeePerGas);
        var blob = Build(Transaction() with { GasPrice = null, MaxFeePerGas = 10, MaxPriorityFeePerGas = 2, BlobVersionedHashes = [Hash256.Zero], MaxFeePerBlobGas = 3 });
        Assert.Equal(EvmTransaction.BlobType, blob.Type);
        Assert.Equal(new UInt256(3), blob.MaxFeePerBlobGas);
    }

    [Fact]
    public void ParseFile_ReadsNullAccessListsBlobHashesAndFeeCapsOfRealTests()
    {
        var blobTest = Assert.Single(StateTestParser.ParseFile(StateTestPaths.Conformance("ethereum-tests", "GeneralStateTests", "Cancun", "stEIP4844-blobtransactions", "blobhashListBounds6.json")));
        var tx = blobTest.Transaction!;
        Assert.Equal(6, tx.BlobVersionedHashes!.Count);
        Assert.Equal(new UInt256(10), tx.MaxFeePerBlobGas);
        Assert.Equal(new UInt256(2), tx.MaxPriorityFeePerGas);
        Assert.NotNull(tx.AccessLists![0]);
    }

    [Fact]
    public void ParseFile_ReadsTheWholeGeneralStateTestsSuite()
    {
        // The suite's README counts 8,110 Cancun cases; its 1,114 .json files hold them, 1,002 expecting a rejection.
        var files = StateTestRunner.FindFiles([StateTestPaths.Conformance("ethereum-tests", "GeneralStateTests")]);
        int cases = 0, exceptions = 0;
        var malformed = new List<string>();
        foreach (var file in files)
        {
            foreach (var test in StateTestParser.ParseFile(file))
            {
                if (test.Error is not null)
                {
                    malformed.Add($"{file} {test.Name}: {test.Error}");
                }

                cases += test.Cases.Count;
                exceptions += test.Cases.Count(c => c.ExpectException is not null);
            }
        }

        Assert.Empty(malformed);
        Assert.Equal(1114, files.Count);
        Assert.Equal(8110, cases);
        Assert.Equal(1002, exceptions);
    }

    private static EvmTransaction Build(StateTestTransaction tx)
    {
        Assert.True(tx.TryBuild(0, 0, 0, out var built, out var error), error);
        return built!;
    }

    private static StateTestTransaction Transaction(IReadOnlyList<string>? values = null, IReadOnlyList<string>? gasLimits = null) =>
        new(Address.Zero, Address.Zero, 0, ["0x"], gasLimits ?? ["0x5208"], values ?? ["0x01"], 10, null, null, null, null, null);

    private static string ValidTest() => """
        { "broken": {
          "env": { "currentBaseFee": "0x0a", "currentCoinbase": "0x2adc25665018aa1fe0e6bc666dac8fc2697ff9ba", "currentDifficulty": "0x020000", "currentExcessBlobGas": "0x00", "currentGasLimit": "0xff112233445566", "currentNumber": "0x01", "currentRandom": "0x0000000000000000000000000000000000000000000000000000000000020000", "currentTimestamp": "0x03e8" },
          "post": { "Cancun": [ { "hash": "0xe8010ce590f401c9d61fef8ab05bea9bcec24281b795e5868809bc4e515aa530", "indexes": { "data": 0, "gas": 0, "value": 0 }, "logs": "0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347" } ] },
          "pre": { "0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b": { "balance": "0x0de0b6b3a7640000", "code": "0x", "nonce": "0x00", "storage": {} } },
          "transaction": { "data": [ "0x" ], "gasLimit": [ "0x061a80" ], "gasPrice": "0x0a", "nonce": "0x00", "secretKey": "0x45a915e4d060149eb4365960e6a7a45f334393093061116b197e3240065ff2d8", "sender": "0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b", "to": "0x095e7baea6a6c7c4c2dfeb977efac326af552d87", "value": [ "0x0186a0" ] }
        } }
        """;

    /// <summary>Replaces the line of <paramref name="json"/> that starts with <paramref name="section"/> by <paramref name="replacement"/>.</summary>
    private static string ReplaceSection(string json, string section, string replacement)
    {
        var lines = json.Split('\n');
        int index = Array.FindIndex(lines, l => l.TrimStart().StartsWith(section, StringComparison.Ordinal));
        Assert.True(index >= 0, $"no section {section}");
        bool lastInObject = !lines[index].TrimEnd().EndsWith(',');
        lines[index] = "  " + replacement + (lastInObject ? "" : ",");
        return string.Join('\n', lines);
    }
}
