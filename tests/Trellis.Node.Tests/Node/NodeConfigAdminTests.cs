using System.Text;
using Trellis.Ledger.Genesis;
using Trellis.Node.Tests.P2p;

namespace Trellis.Node.Tests.Node;

/// <summary>The <c>admin</c> section of node.json.</summary>
public sealed class NodeConfigAdminTests
{
    private const string Base = "/srv/trellis/node0";

    [Fact]
    public void NoAdminSection_MeansAdminDisabled()
    {
        NodeConfig config = Parse("""{ "dataDir": "d", "genesisFile": "g" }""");
        Assert.False(config.Admin.Enabled);
        Assert.False(config.Admin.AllowRemote);
        Assert.Null(config.Admin.ApiKeyFile);
        Assert.DoesNotContain("\"admin\"", config.ToJson(Base), StringComparison.Ordinal);
    }

    [Fact]
    public void AdminSection_IsReadWithTheKeyFileRelativeToTheConfiguration()
    {
        NodeConfig config = Parse("""{ "dataDir": "d", "genesisFile": "g", "admin": { "enabled": true, "apiKeyFile": "admin.key", "allowRemote": true } }""");
        Assert.True(config.Admin.Enabled);
        Assert.True(config.Admin.AllowRemote);
        Assert.Equal(Path.Combine(Base, "admin.key"), config.Admin.ApiKeyFile);

        NodeConfig again = Parse(config.ToJson(Base));
        Assert.Equal(config.Admin, again.Admin);
        Assert.Contains("\"apiKeyFile\": \"admin.key\"", config.ToJson(Base), StringComparison.Ordinal);
    }

    [Fact]
    public void DisabledSectionWithAKeyFile_IsKeptButOff()
    {
        NodeConfig config = Parse("""{ "dataDir": "d", "genesisFile": "g", "admin": { "enabled": false, "apiKeyFile": "admin.key" } }""");
        Assert.False(config.Admin.Enabled);
        Assert.Equal(config.Admin, Parse(config.ToJson(Base)).Admin);
    }

    [Theory]
    [InlineData("""{ "enabled": true }""", "admin.apiKeyFile", "missing")]
    [InlineData("""{ "enabled": true, "apiKeyFile": "" }""", "admin.apiKeyFile", "non-empty string")]
    [InlineData("""{ "enabled": true, "apiKeyFile": 5 }""", "admin.apiKeyFile", "must be a string")]
    [InlineData("""{ "enabled": "true", "apiKeyFile": "k" }""", "admin.enabled", "must be true or false")]
    [InlineData("""{ "enabled": 1, "apiKeyFile": "k" }""", "admin.enabled", "must be true or false")]
    [InlineData("""{ "allowRemote": null }""", "admin.allowRemote", "must be true or false")]
    [InlineData("""{ "enabled": true, "apiKey": "00" }""", "admin.apiKey", "unknown field")]
    [InlineData("""{ "enabled": true, "enabled": false, "apiKeyFile": "k" }""", "admin.enabled", "duplicate field")]
    [InlineData("""true""", "admin", "must be a JSON object")]
    [InlineData("""[]""", "admin", "must be a JSON object")]
    public void BadAdminSection_IsRefusedNamingTheField(string section, string path, string reason)
    {
        var error = Assert.Throws<ConfigException>(() => Parse($$"""{ "dataDir": "d", "genesisFile": "g", "admin": {{section}} }"""));
        Assert.Equal(path, error.Path);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_RefusesAnEnabledAdminSectionWhoseKeyFileIsMissing()
    {
        string directory = Directory.CreateTempSubdirectory("trellis-admincfg-").FullName;
        try
        {
            string path = Path.Combine(directory, "node.json");
            File.WriteAllText(path, """{ "dataDir": "d", "genesisFile": "g", "admin": { "enabled": true, "apiKeyFile": "admin.key" } }""");
            var error = Assert.Throws<ConfigException>(() => NodeConfig.Load(path));
            Assert.Equal("admin.apiKeyFile", error.Path);
            Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);

            // Disabled, a missing key file does not matter.
            File.WriteAllText(path, """{ "dataDir": "d", "genesisFile": "g", "admin": { "enabled": false, "apiKeyFile": "admin.key" } }""");
            Assert.False(NodeConfig.Load(path).Admin.Enabled);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("oversized")]
    [InlineData("short")]
    [InlineData("zero")]
    [InlineData("directory")]
    public async Task NodeStart_RefusesAnUnusableKeyFileWithoutQuotingIt(string kind)
    {
        await using var cluster = new P2pCluster(nodes: 1);
        string keyFile = Path.Combine(cluster.Directory, "admin.key");
        string secret = "abcdef0123456789";
        switch (kind)
        {
            case "oversized":
                File.WriteAllText(keyFile, string.Concat(Enumerable.Repeat(secret, 200)));
                break;
            case "short":
                File.WriteAllText(keyFile, secret);
                break;
            case "zero":
                File.WriteAllText(keyFile, new string('0', 64));
                break;
            default:
                Directory.CreateDirectory(keyFile);
                break;
        }

        NodeConfig config = cluster.ConfigFor(0, []);
        var withAdmin = new NodeConfig
        {
            DataDir = config.DataDir,
            GenesisFile = config.GenesisFile,
            NodeName = config.NodeName,
            RpcPort = 0,
            SigningKeyFile = config.SigningKeyFile,
            P2p = config.P2p,
            Admin = new AdminConfig { Enabled = true, ApiKeyFile = keyFile },
        };
        var error = await Assert.ThrowsAsync<NodeStartException>(() => TrellisNode.StartAsync(withAdmin, P2pCluster.StartOptions()));
        Assert.StartsWith("admin.apiKeyFile: ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, error.Message, StringComparison.Ordinal);
    }

    private static NodeConfig Parse(string json) => NodeConfig.Parse(Encoding.UTF8.GetBytes(json), Base);
}
