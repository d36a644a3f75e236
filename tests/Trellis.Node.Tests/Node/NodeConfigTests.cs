using System.Net;
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

            Assert.StartsWith("genesisFile: missing (in ", error.Message, StringComparison.Ordinal);
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

    [Fact]
    public void Parse_ReadsTheContractNodeJsonWithSigningKeyAndP2p()
    {
        NodeConfig config = Parse("""
            {
              "dataDir": "data",
              "genesisFile": "../../genesis.json",
              "nodeName": "org1-node1",
              "rpcHost": "127.0.0.1",
              "rpcPort": 8545,
              "logLevel": "information",
              "signingKeyFile": "signing.key",
              "p2p": {
                "listenHost": "127.0.0.1",
                "listenPort": 9545,
                "certificateFile": "tls.crt",
                "privateKeyFile": "tls.key",
                "peers": ["127.0.0.1:9546", "127.0.0.1:9547"]
              }
            }
            """);

        Assert.Equal("org1-node1", config.NodeName);
        Assert.Equal("http://127.0.0.1:8545", config.RpcUrl);
        Assert.Equal("/srv/genesis.json", config.GenesisFile);
        Assert.Equal("/srv/trellis/node0/signing.key", config.SigningKeyFile);
        Assert.NotNull(config.P2p);
        Assert.Equal("/srv/trellis/node0/tls.crt", config.P2p.CertificateFile);
        Assert.Equal("/srv/trellis/node0/tls.key", config.P2p.PrivateKeyFile);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 9545), config.P2p.ListenEndpoint);
        Assert.Equal([new IPEndPoint(IPAddress.Loopback, 9546), new IPEndPoint(IPAddress.Loopback, 9547)], config.P2p.PeerEndpoints);
    }

    [Fact]
    public void Parse_LeavesP2pAndSigningKeyOutWhenAbsentAndDefaultsTheListenHostAndPeers()
    {
        NodeConfig solo = Parse("""{ "dataDir": "d", "genesisFile": "g" }""");
        NodeConfig minimal = Parse("""{ "dataDir": "d", "genesisFile": "g", "p2p": { "listenPort": 0, "certificateFile": "c", "privateKeyFile": "k" } }""");

        Assert.Null(solo.P2p);
        Assert.Null(solo.SigningKeyFile);
        Assert.Equal("127.0.0.1", minimal.P2p!.ListenHost);
        Assert.Empty(minimal.P2p.Peers);
    }

    [Fact]
    public void ToJson_WritesSigningKeyAndP2pAndReadsBackToTheSameValues()
    {
        NodeConfig original = Parse("""
            { "dataDir": "d", "genesisFile": "../g.json", "nodeName": "n", "rpcPort": 0, "signingKeyFile": "keys/s.key",
              "p2p": { "listenHost": "::", "listenPort": 9000, "certificateFile": "c.crt", "privateKeyFile": "c.key", "peers": ["[::1]:9001", "node2.example.org:9002"] } }
            """);

        string json = original.ToJson(Base);
        NodeConfig again = Parse(json);

        Assert.Contains("\"signingKeyFile\": \"keys/s.key\"", json, StringComparison.Ordinal);
        Assert.Contains("\"rpcPort\": 0", json, StringComparison.Ordinal);
        Assert.Equal(original.SigningKeyFile, again.SigningKeyFile);
        Assert.Equal(original.RpcUrl, again.RpcUrl);
        Assert.Equal(original.P2p!.ListenHost, again.P2p!.ListenHost);
        Assert.Equal(original.P2p.ListenPort, again.P2p.ListenPort);
        Assert.Equal(original.P2p.CertificateFile, again.P2p.CertificateFile);
        Assert.Equal(original.P2p.PrivateKeyFile, again.P2p.PrivateKeyFile);
        Assert.Equal(original.P2p.Peers, again.P2p.Peers);
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, 9001), again.P2p.PeerEndpoints[0]);
        Assert.Equal(new DnsEndPoint("node2.example.org", 9002), again.P2p.PeerEndpoints[1]);
    }

    [Theory]
    [InlineData("""{ "signingKeyFile": 7 }""", "signingKeyFile: must be a string, got the number 7")]
    [InlineData("""{ "signingKeyFile": "" }""", "signingKeyFile: must be a non-empty string")]
    [InlineData("""{ "rpcHost": "a", "rpc": { "host": "b" } }""", "rpc.host: given twice")]
    [InlineData("""{ "rpcPort": 1, "rpc": { "port": 2 } }""", "rpc.port: given twice")]
    [InlineData("""{ "rpcPort": -1 }""", "rpcPort: must be from 0 to 65535, got -1")]
    [InlineData("""{ "p2p": "127.0.0.1:9545" }""", "p2p: must be a JSON object, got the string")]
    [InlineData("""{ "p2p": { "listenPort": 1, "certificateFile": "c", "privateKeyFile": "k", "listen": 2 } }""", "p2p.listen: unknown field")]
    [InlineData("""{ "p2p": { "listenPort": 1, "certificateFile": "c", "privateKeyFile": "k", "peers": [], "peers": [] } }""", "p2p.peers: duplicate field")]
    [InlineData("""{ "p2p": { "certificateFile": "c", "privateKeyFile": "k" } }""", "p2p.listenPort: missing")]
    [InlineData("""{ "p2p": { "listenPort": 1, "privateKeyFile": "k" } }""", "p2p.certificateFile: missing")]
    [InlineData("""{ "p2p": { "listenPort": 1, "certificateFile": "c" } }""", "p2p.privateKeyFile: missing")]
    [InlineData("""{ "p2p": { "listenPort": 65536, "certificateFile": "c", "privateKeyFile": "k" } }""", "p2p.listenPort: must be from 0 to 65535, got 65536")]
    [InlineData("""{ "p2p": { "listenPort": "9545", "certificateFile": "c", "privateKeyFile": "k" } }""", "p2p.listenPort: must be an integer")]
    [InlineData("""{ "p2p": { "listenHost": "example.org", "listenPort": 1, "certificateFile": "c", "privateKeyFile": "k" } }""", "p2p.listenHost: listen host \"example.org\" must be an IP address")]
    [InlineData("""{ "p2p": { "listenPort": 1, "certificateFile": 5, "privateKeyFile": "k" } }""", "p2p.certificateFile: must be a string")]
    [InlineData("""{ "p2p": { "listenPort": 1, "certificateFile": "c", "privateKeyFile": "k", "peers": "a:1" } }""", "p2p.peers: must be an array")]
    [InlineData("""{ "p2p": { "listenPort": 1, "certificateFile": "c", "privateKeyFile": "k", "peers": [1] } }""", "p2p.peers[0]: must be a string")]
    [InlineData("""{ "p2p": { "listenPort": 1, "certificateFile": "c", "privateKeyFile": "k", "peers": ["a:1", "b"] } }""", "p2p.peers[1]: peer address \"b\" must be host:port")]
    [InlineData("""{ "p2p": { "listenPort": 1, "certificateFile": "c", "privateKeyFile": "k", "peers": ["a:0"] } }""", "p2p.peers[0]: peer address \"a:0\" has port 0")]
    [InlineData("""{ "p2p": { "listenPort": 1, "certificateFile": "c", "privateKeyFile": "k", "peers": ["a:70000"] } }""", "has port 70000")]
    [InlineData("""{ "p2p": { "listenPort": 1, "certificateFile": "c", "privateKeyFile": "k", "peers": ["a:+80"] } }""", "has port \"+80\"")]
    [InlineData("""{ "p2p": { "listenPort": 1, "certificateFile": "c", "privateKeyFile": "k", "peers": ["::1:80"] } }""", "write an IPv6 address as [address]:port")]
    [InlineData("""{ "p2p": { "listenPort": 1, "certificateFile": "c", "privateKeyFile": "k", "peers": ["[nothost]:80"] } }""", "is not an IPv6 address")]
    [InlineData("""{ "p2p": { "listenPort": 1, "certificateFile": "c", "privateKeyFile": "k", "peers": ["bad_host!:80"] } }""", "is neither an IP address nor a DNS name")]
    [InlineData("""{ "p2p": { "listenPort": 1, "certificateFile": "c", "privateKeyFile": "k", "peers": ["a:1", "A:1"] } }""", "p2p.peers[1]: peer \"A:1\" is listed twice")]
    public void Parse_RefusesBadSigningKeyAndP2pNamingTheField(string fields, string expected)
    {
        string json = """{ "dataDir": "d", "genesisFile": "g", """ + fields.TrimStart('{');

        var error = Assert.Throws<ConfigException>(() => Parse(json));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RefusesAHugePeerListEntryWithoutCrashing()
    {
        string json = """{ "dataDir": "d", "genesisFile": "g", "p2p": { "listenPort": 1, "certificateFile": "c", "privateKeyFile": "k", "peers": [" """ + new string('a', 100_000) + """:1"] } }""";

        var error = Assert.Throws<ConfigException>(() => Parse(json));

        Assert.Contains("p2p.peers[0]", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("signingKeyFile")]
    [InlineData("p2p.certificateFile")]
    [InlineData("p2p.privateKeyFile")]
    public void Load_NamesAMissingKeyOrCertificateFile(string missing)
    {
        string directory = Path.Combine(Path.GetTempPath(), "trellis-cfg-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            foreach (string file in new[] { "s.key", "t.crt", "t.key" })
            {
                File.WriteAllText(Path.Combine(directory, file), "x");
            }

            string absent = missing switch { "signingKeyFile" => "s.key", "p2p.certificateFile" => "t.crt", _ => "t.key" };
            File.Delete(Path.Combine(directory, absent));
            string path = Path.Combine(directory, "node.json");
            File.WriteAllText(path, """{ "dataDir": "d", "genesisFile": "g", "signingKeyFile": "s.key", "p2p": { "listenPort": 0, "certificateFile": "t.crt", "privateKeyFile": "t.key" } }""");

            var error = Assert.Throws<ConfigException>(() => NodeConfig.Load(path));

            Assert.Equal(missing, error.Path);
            Assert.Contains(Path.Combine(directory, absent), error.Message, StringComparison.Ordinal);
            Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static NodeConfig Parse(string json) => NodeConfig.Parse(Encoding.UTF8.GetBytes(json), Base);
}
