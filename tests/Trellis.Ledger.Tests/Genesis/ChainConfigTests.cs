using System.Text.Json.Nodes;
using Trellis.Core;
using Trellis.Crypto;
using Trellis.Ledger.Genesis;

namespace Trellis.Ledger.Tests.Genesis;

public sealed class ChainConfigTests
{
    internal const string ValidJson = """
        {
          "chainId": 1337,
          "cryptoSuite": "standard",
          "consensus": { "engine": "hotstuff", "blockIntervalMs": 500, "maxTransactionsPerBlock": 2000 },
          "blockGasLimit": 30000000,
          "txPool": { "maxCount": 5000, "maxBytes": 33554432 },
          "alloc": {
            "0x1000000000000000000000000000000000000001": { "balance": "1000000000000000000000" },
            "0x2000000000000000000000000000000000000002": {
              "balance": "0x10", "nonce": 3, "code": "0x6000",
              "storage": { "0x01": "0x2a", "2": "7" }
            }
          },
          "members": [ { "name": "bank-a" }, { "name": "bank-b" } ],
          "nodes": [
            { "name": "a1", "org": "bank-a", "role": "validator", "address": "0x00000000000000000000000000000000000000a1",
              "tlsCertificateFingerprint": "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89" },
            { "name": "b1", "org": "bank-b", "role": "observer", "address": "0x00000000000000000000000000000000000000b1" }
          ],
          "timestamp": 1700000000
        }
        """;

    [Fact]
    public void Load_ReadsEveryFieldOfAValidFile()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, ValidJson);
            ChainConfig config = ChainConfig.Load(path);

            Assert.Equal(1337UL, config.ChainId);
            Assert.Equal("standard", config.Suite.Name);
            Assert.Equal("hotstuff", config.Consensus.Engine);
            Assert.Equal(500, config.Consensus.BlockIntervalMs);
            Assert.Equal(2000, config.Consensus.MaxTransactionsPerBlock);
            Assert.Equal(2000, config.Consensus.ViewTimeoutMs);
            Assert.Equal(30_000_000UL, config.BlockGasLimit);
            Assert.Equal(5000, config.TxPool.MaxCount);
            Assert.Equal(33_554_432L, config.TxPool.MaxBytes);
            Assert.Equal(131072, config.TxPool.MaxTxBytes);
            GenesisAccount rich = config.Alloc[Address.Parse("0x1000000000000000000000000000000000000001")];
            Assert.Equal(UInt256.Parse("1000000000000000000000"), rich.Balance);
            GenesisAccount contract = config.Alloc[Address.Parse("0x2000000000000000000000000000000000000002")];
            Assert.Equal(new UInt256(16), contract.Balance);
            Assert.Equal(3UL, contract.Nonce);
            Assert.Equal(new byte[] { 0x60, 0x00 }, contract.Code.ToArray());
            Assert.Equal(new UInt256(42), contract.Storage[UInt256.One]);
            Assert.Equal(new UInt256(7), contract.Storage[new UInt256(2)]);
            Assert.Equal(["bank-a", "bank-b"], config.Members.Select(m => m.Name));
            Assert.Equal(NodeRole.Validator, config.Nodes[0].Role);
            Assert.Equal(NodeRole.Observer, config.Nodes[1].Role);
            Assert.Equal(0xab, config.Nodes[0].TlsCertificateFingerprint!.Value.Span[0]);
            Assert.Equal(1_700_000_000UL, config.Timestamp);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_AcceptsAFileStartingWithAUtf8ByteOrderMark()
    {
        string path = Path.GetTempFileName();
        try
        {
            // Windows editors save UTF-8 with a byte-order mark; it carries no meaning and must not be an error.
            File.WriteAllText(path, ValidJson, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
            Assert.Equal(0xEF, File.ReadAllBytes(path)[0]);
            Assert.Equal(1337UL, ChainConfig.Load(path).ChainId);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ToJson_RoundTrips()
    {
        ChainConfig config = ChainConfig.Parse(ValidJson);
        string written = config.ToJson();
        ChainConfig reread = ChainConfig.Parse(written);

        Assert.Equal(written, reread.ToJson());
        Assert.Equal(config.Alloc.Count, reread.Alloc.Count);
        Assert.Equal(config.Nodes[1].Address, reread.Nodes[1].Address);
    }

    [Fact]
    public void Parse_NodePublicKeyGivesItsAddressInTheChainsSuite()
    {
        foreach (ICryptoSuite suite in new[] { CryptoSuites.Standard, CryptoSuites.National })
        {
            PublicKey key = suite.DerivePublicKey(suite.GeneratePrivateKey());
            JsonObject json = Valid();
            json["cryptoSuite"] = suite.Name;
            json["nodes"]![0] = new JsonObject { ["name"] = "k", ["org"] = "bank-a", ["role"] = "validator", ["publicKey"] = key.ToHex() };

            ChainConfig config = ChainConfig.Parse(json.ToJsonString());

            Assert.Equal(suite.ToAddress(key), config.Nodes[0].Address);
        }
    }

    [Theory]
    [InlineData("chainId", "chainId: missing")]
    [InlineData("cryptoSuite", "cryptoSuite: missing")]
    [InlineData("consensus", "consensus: missing")]
    [InlineData("blockGasLimit", "blockGasLimit: missing")]
    [InlineData("members", "members: missing")]
    [InlineData("nodes", "nodes: missing")]
    public void Parse_NamesAMissingRequiredField(string field, string message)
    {
        JsonObject json = Valid();
        json.Remove(field);
        Assert.Equal(message, Reject(json).Message);
    }

    [Theory]
    [InlineData("chainId", "0", "chainId: must be greater than 0")]
    [InlineData("chainId", "-1", "chainId: is not a decimal or 0x-hex integer")]
    [InlineData("chainId", "1.5", "chainId: is not a decimal or 0x-hex integer")]
    [InlineData("chainId", "18446744073709551616", "chainId: is not a decimal or 0x-hex integer from 0 to 2^64 - 1")]
    [InlineData("chainId", "\"0x539\"", null)]
    [InlineData("chainId", "true", "chainId: is not a decimal")]
    [InlineData("cryptoSuite", "\"sm\"", "cryptoSuite: 'sm' is not one of standard, national")]
    [InlineData("cryptoSuite", "1", "cryptoSuite: must be a string, not the number 1")]
    [InlineData("blockGasLimit", "20999", "blockGasLimit: 20999 is below 21000")]
    [InlineData("consensus", "[]", "consensus: must be an object, not an array")]
    [InlineData("consensus", "{\"engine\":\"pbft\"}", "consensus.engine: 'pbft' is not one of solo, raft, hotstuff")]
    [InlineData("consensus", "{}", "consensus.engine: missing")]
    [InlineData("consensus", "{\"engine\":\"solo\",\"blockIntervalMs\":0}", "consensus.blockIntervalMs: 0 is not between 1")]
    [InlineData("consensus", "{\"engine\":\"solo\",\"extra\":1}", "consensus.extra: unknown field")]
    [InlineData("txPool", "{\"maxTxBytes\":200000,\"maxBytes\":100000}", "txPool.maxBytes: 100000 is smaller than txPool.maxTxBytes 200000")]
    [InlineData("txPool", "{\"maxCount\":-5}", "txPool.maxCount: is not a decimal")]
    [InlineData("alloc", "{\"0x12\":{\"balance\":\"1\"}}", "alloc.0x12: '0x12' is not a 0x-prefixed 20-byte hex address")]
    [InlineData("alloc", "{\"0x1000000000000000000000000000000000000001\":{\"balance\":\"12x\"}}", "alloc.0x1000000000000000000000000000000000000001: 'balance' is not a decimal or 0x-hex integer")]
    [InlineData("alloc", "{\"0x1000000000000000000000000000000000000001\":{}}", "alloc.0x1000000000000000000000000000000000000001.balance: missing")]
    [InlineData("alloc", "{\"0x1000000000000000000000000000000000000001\":{\"balance\":\"1\",\"code\":\"6000\"}}", "alloc.0x1000000000000000000000000000000000000001.code: is not 0x-prefixed hex bytes (missing 0x)")]
    [InlineData("alloc", "{\"0x1000000000000000000000000000000000000001\":{\"balance\":\"1\",\"code\":\"0x600\"}}", "alloc.0x1000000000000000000000000000000000000001.code: is not 0x-prefixed hex bytes: hex string has odd length")]
    [InlineData("alloc", "{\"0x1000000000000000000000000000000000000001\":{\"balance\":\"1\",\"storage\":{\"zz\":\"1\"}}}", "alloc.0x1000000000000000000000000000000000000001.storage.zz: slot 'zz' is not")]
    [InlineData("alloc", "{\"0x1000000000000000000000000000000000000001\":{\"balance\":\"1\",\"nonce\":\"18446744073709551615\"}}", "alloc.0x1000000000000000000000000000000000000001.nonce: 2^64 - 1 is not a usable nonce")]
    [InlineData("members", "[]", "members: at least one member organisation is required")]
    [InlineData("members", "[{\"name\":\"a\"},{\"name\":\"a\"}]", "members[1].name: duplicate member name 'a'")]
    [InlineData("members", "[{\"name\":\"bank-a\",\"caCertificate\":\"hello\"}]", "members[0].caCertificate: is not a PEM certificate")]
    [InlineData("members", "[{\"name\":\"\"}]", "members[0].name: '' must be 1 to 64 characters")]
    [InlineData("nodes", "[]", "nodes: at least one node with role 'validator' is required")]
    [InlineData("nodes", "[{\"name\":\"n\",\"org\":\"bank-a\",\"role\":\"leader\",\"address\":\"0x00000000000000000000000000000000000000a1\"}]", "nodes[0].role: 'leader' is not one of validator, observer")]
    [InlineData("nodes", "[{\"name\":\"n\",\"org\":\"bank-z\",\"role\":\"validator\",\"address\":\"0x00000000000000000000000000000000000000a1\"}]", "nodes[0].org: 'bank-z' is not one of the members (bank-a, bank-b)")]
    [InlineData("nodes", "[{\"name\":\"n\",\"org\":\"bank-a\",\"role\":\"validator\"}]", "nodes[0]: missing: give 'publicKey' or 'address'")]
    [InlineData("nodes", "[{\"name\":\"n\",\"org\":\"bank-a\",\"role\":\"validator\",\"publicKey\":\"0x01\"}]", "nodes[0].publicKey: is not a 64-byte public key")]
    [InlineData("nodes", "[{\"name\":\"n\",\"org\":\"bank-a\",\"role\":\"validator\",\"address\":\"0x00000000000000000000000000000000000000a1\",\"tlsCertificateFingerprint\":\"abcd\"}]", "nodes[0].tlsCertificateFingerprint: is not a SHA-256 fingerprint")]
    [InlineData("nodes", "[{\"name\":\"n\",\"org\":\"bank-a\",\"role\":\"observer\",\"address\":\"0x00000000000000000000000000000000000000a1\"}]", "nodes: at least one node with role 'validator' is required")]
    [InlineData("nodes", "[{\"name\":\"n\",\"org\":\"bank-a\",\"role\":\"validator\",\"address\":\"0x00000000000000000000000000000000000000a1\"},{\"name\":\"m\",\"org\":\"bank-a\",\"role\":\"validator\",\"address\":\"0x00000000000000000000000000000000000000a1\"}]", "nodes[1].address: duplicate node address")]
    [InlineData("timestamp", "\"soon\"", "timestamp: is not a decimal")]
    [InlineData("chainID", "1", "chainID: unknown field")]
    public void Parse_NamesTheInvalidFieldAndTheReason(string field, string json, string? messageStart)
    {
        JsonObject config = Valid();
        config[field] = JsonNode.Parse(json);
        if (messageStart is null)
        {
            Assert.Equal(1337UL, ChainConfig.Parse(config.ToJsonString()).ChainId);
            return;
        }

        Assert.StartsWith(messageStart, Reject(config).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RejectsNodePublicKeyWhoseAddressContradictsTheGivenAddress()
    {
        PublicKey key = CryptoSuites.Standard.DerivePublicKey(CryptoSuites.Standard.GeneratePrivateKey());
        JsonObject json = Valid();
        json["nodes"]![0]!["publicKey"] = key.ToHex();

        Assert.StartsWith("nodes[0].address: 0x00000000000000000000000000000000000000a1 does not match", Reject(json).Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Parse_RejectsNationalSuiteKeyOffTheSm2Curve()
    {
        PublicKey secp = CryptoSuites.Standard.DerivePublicKey(CryptoSuites.Standard.GeneratePrivateKey());
        JsonObject json = Valid();
        json["cryptoSuite"] = "national";
        json["nodes"]![0] = new JsonObject { ["name"] = "k", ["org"] = "bank-a", ["role"] = "validator", ["publicKey"] = secp.ToHex() };

        Assert.StartsWith("nodes[0].publicKey: is not a 64-byte public key (x || y) on the national suite's curve", Reject(json).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RejectsDuplicateAllocAddressesDifferingOnlyInCase()
    {
        string json = ValidJson.Replace(
            "\"0x1000000000000000000000000000000000000001\": { \"balance\": \"1000000000000000000000\" },",
            "\"0x00000000000000000000000000000000000000aa\": { \"balance\": \"1\" }, \"0x00000000000000000000000000000000000000AA\": { \"balance\": \"2\" },",
            StringComparison.Ordinal);

        ConfigException error = Assert.Throws<ConfigException>(() => ChainConfig.Parse(json));

        Assert.Equal("alloc.0x00000000000000000000000000000000000000AA", error.Path);
        Assert.Contains("duplicate address: already given as '0x00000000000000000000000000000000000000aa'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RejectsDuplicateFields()
    {
        string json = ValidJson.Replace("\"chainId\": 1337,", "\"chainId\": 1337, \"chainId\": 5,", StringComparison.Ordinal);
        Assert.Equal("chainId: duplicate field", Assert.Throws<ConfigException>(() => ChainConfig.Parse(json)).Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("[1, 2]")]
    [InlineData("{\"chainId\": 1,}")]
    [InlineData("// comment\n{}")]
    [InlineData("null")]
    public void Parse_RejectsMalformedJson(string json)
    {
        ConfigException error = Assert.Throws<ConfigException>(() => ChainConfig.Parse(json));
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void Parse_RejectsDeepNestingWithoutCrashing()
    {
        string json = new string('[', 100_000) + new string(']', 100_000);
        Assert.StartsWith("not valid JSON", Assert.Throws<ConfigException>(() => ChainConfig.Parse(json)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_RefusesAFileOver16MiB()
    {
        string path = Path.GetTempFileName();
        try
        {
            using (FileStream stream = File.Create(path))
            {
                stream.SetLength(ChainConfig.MaxFileBytes + 1);
            }

            ConfigException error = Assert.Throws<ConfigException>(() => ChainConfig.Load(path));
            Assert.Contains("the limit is 16777216 (16 MiB)", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_NamesAMissingFile()
    {
        string path = Path.Combine(Path.GetTempPath(), "trellis-no-such-genesis.json");
        Assert.Contains("does not exist", Assert.Throws<ConfigException>(() => ChainConfig.Load(path)).Message, StringComparison.Ordinal);
    }

    internal static JsonObject Valid() => JsonNode.Parse(ValidJson)!.AsObject();

    private static ConfigException Reject(JsonObject json) =>
        Assert.Throws<ConfigException>(() => ChainConfig.Parse(json.ToJsonString()));
}
