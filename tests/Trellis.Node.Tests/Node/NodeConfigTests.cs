using System.Text;
using Microsoft.Extensions.Logging;
using Trellis.Ledger.Genesis;

namespace Trellis.Node.Tests.Node;

public sealed class NodeConfigTests
{
    private const string Base = "/srv/trellis/node0";

    [Fact]
    public void Parse_ResolvesPathsAgainstTheConfigDirectoryAndDefaultsTheRest()
    {
        NodeConfig config = Parse("""{ "dataDir": "data", "genesisFile": "../genesis.json" }""");

        Assert.Equal("/srv/trellis/node0/data", config.DataDir);
        Assert.Equal("/srv/trellis/genesis.json", config.GenesisFile);
        Assert.Equal("/srv/trellis/node0/data/chain.db", config.DatabasePath);
        Assert.Equal("http://127.0.0.1:8545", config.RpcUrl);
        Assert.Equal(LogLevel.Information, config.LogLevel);
        Assert.Null(config.NodeName);
        Assert.Equal(5 * 1024 * 1024, config.Rpc.MaxRequestBodyBytes);
    }

    [Fact]
    public void Parse_ReadsEveryField()
    {
        NodeConfig config = Parse("""
            { "dataDir": "/var/lib/t", "genesisFile": "/etc/t/genesis.json", "nodeName": "a1", "logLevel": "Warning",
              "rpc": { "host": "0.0.0.0", "port": 9545, "maxRequestBodyBytes": 1000, "maxBatchSize": 7, "maxJsonDepth": 9,
                       "rateLimitPerSecond": 12.5, "rateLimitBurst": 30, "webSocketSendQueueCapacity": 11 } }
            """);

        Assert.Equal("/var/lib/t", config.DataDir);
        Assert.Equal("a1", config.NodeName);
        Assert.Equal(LogLevel.Warning, config.LogLevel);
        Assert.Equal("http://0.0.0.0:9545", config.RpcUrl);
        Assert.Equal(1000, config.Rpc.MaxRequestBodyBytes);
        Assert.Equal(7, config.Rpc.MaxBatchSize);
        Assert.Equal(9, config.Rpc.MaxJsonDepth);
        Assert.Equal(12.5, config.Rpc.RateLimitPerSecond);
        Assert.Equal(30, config.Rpc.RateLimitBurst);
        Assert.Equal(11, config.Rpc.WebSocketSendQueueCapacity);
    }

    [Fact]
    public void ToJson_ReadsBackToTheSameValues()
    {
        NodeConfig original = Parse("""{ "dataDir": "d", "genesisFile": "g.json", "nodeName": "n", "rpc": { "port": 0, "maxBatchSize": 3 }, "logLevel": "debug" }""");

        NodeConfig again = Parse(original.ToJson(Base));

        Assert.Equal(original.DataDir, again.DataDir);
        Assert.Equal(original.GenesisFile, again.GenesisFile);
        Assert.Equal(original.NodeName, again.NodeName);
        Assert.Equal(original.RpcUrl, again.RpcUrl);
        Assert.Equal(original.Rpc, again.Rpc);
        Assert.Equal(original.LogLevel, again.LogLevel);
        Assert.Contains("\"dataDir\": \"d\"", original.ToJson(Base), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "genesisFile": "g" }""", "dataDir: missing")]
    [InlineData("""{ "dataDir": "d" }""", "genesisFile: missing")]
    [InlineData("""{ "dataDir": "d", "genesisFile": "g", "datadir": "x" }""", "datadir: unknown field")]
    [InlineData("""{ "dataDir": "d", "dataDir": "e", "genesisFile": "g" }""", "dataDir: duplicate field")]
    [InlineData("""{ "dataDir": 5, "genesisFile": "g" }""", "dataDir: must be a string, got the number 5")]
    [InlineData("""{ "dataDir": "", "genesisFile": "g" }""", "dataDir: must be a non-empty string")]
    [InlineData("""{ "dataDir": "d", "genesisFile": "g", "rpc": { "port": 70000 } }""", "rpc.port: must be from 0 to 65535, got 70000")]
    [InlineData("""{ "dataDir": "d", "genesisFile": "g", "rpc": { "port": "8545" } }""", "rpc.port: must be an integer from 0 to 65535, got the string \"8545\"")]
    [InlineData("""{ "dataDir": "d", "genesisFile": "g", "rpc": { "port": 1.5 } }""", "rpc.port: must be an integer")]
    [InlineData("""{ "dataDir": "d", "genesisFile": "g", "rpc": { "maxBatchSize": 0 } }""", "rpc.maxBatchSize: must be from 1 to")]
    [InlineData("""{ "dataDir": "d", "genesisFile": "g", "rpc": { "rateLimitPerSecond": "fast" } }""", "rpc.rateLimitPerSecond: must be a number")]
    [InlineData("""{ "dataDir": "d", "genesisFile": "g", "rpc": { "tls": true } }""", "rpc.tls: unknown field")]
    [InlineData("""{ "dataDir": "d", "genesisFile": "g", "rpc": [] }""", "rpc: must be a JSON object, got an array")]
    [InlineData("""{ "dataDir": "d", "genesisFile": "g", "logLevel": "loud" }""", "logLevel: 'loud' is not one of trace, debug")]
    [InlineData("""[1, 2]""", "must be a JSON object, got an array")]
    [InlineData("""{ "dataDir": "d", """, "not valid JSON")]
    [InlineData("", "not valid JSON")]
    public void Parse_RefusesBadInputNamingTheFieldAndTheRule(string json, string expected)
    {
        var error = Assert.Throws<ConfigException>(() => Parse(json));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RefusesDeeplyNestedJsonWithoutCrashing()
    {
        string json = """{ "dataDir": "d", "genesisFile": "g", "rpc": """ + new string('[', 5000) + new string(']', 5000) + "}";

        Assert.Throws<ConfigException>(() => Parse(json));
    }

    [Fact]
    public void Load_NamesAMissingFile()
    {
        string path = Path.Combine(Path.GetTempPath(), "trellis-missing-" + Guid.NewGuid().ToString("N"), "node.json");

        var error = Assert.Throws<ConfigException>(() => NodeConfig.Load(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NamesTheFileInAParseError()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, """{ "dataDir": "d" }""");

            var error = Assert.Throws<ConfigException>(() => NodeConfig.Load(path));

            Assert.Contains("genesisFile: missing", error.Message, StringComparison.Ordinal);
            Assert.Contains(path, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_RefusesAFileOverOneMebibyte()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, new string(' ', NodeConfig.MaxFileBytes + 1));

            var error = Assert.Throws<ConfigException>(() => NodeConfig.Load(path));

            Assert.Contains("the limit is 1048576", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static NodeConfig Parse(string json) => NodeConfig.Parse(Encoding.UTF8.GetBytes(json), Base);
}
