using System.Text;
using Trellis.Ledger.Genesis;

namespace Trellis.Node.Tests.Node;

/// <summary><c>p2p.memberCaDirectory</c> in node.json: optional, relative to the file, written back as it was read.</summary>
public sealed class NodeConfigMemberCaTests
{
    private const string Json = """
        {"dataDir":"data","genesisFile":"../../genesis.json","nodeName":"org5-node1","signingKeyFile":"signing.key",
         "p2p":{"listenPort":9549,"certificateFile":"tls.crt","privateKeyFile":"tls.key","memberCaDirectory":"../../orgs"}}
        """;

    [Fact]
    public void Parse_ResolvesMemberCaDirectoryAgainstTheConfigurationDirectory_AndToJsonWritesItBack()
    {
        string baseDirectory = Path.Combine(Path.GetTempPath(), "net", "nodes", "org5-node1");

        NodeConfig config = NodeConfig.Parse(Encoding.UTF8.GetBytes(Json), baseDirectory);
        NodeConfig again = NodeConfig.Parse(Encoding.UTF8.GetBytes(config.ToJson(baseDirectory)), baseDirectory);

        Assert.Equal(Path.Combine(Path.GetTempPath(), "net", "orgs"), config.P2p!.MemberCaDirectory);
        Assert.Equal(config.P2p.MemberCaDirectory, again.P2p!.MemberCaDirectory);
    }

    [Fact]
    public void Parse_WithoutMemberCaDirectory_LeavesItUnsetAndRefusesAnEmptyOne()
    {
        string baseDirectory = Path.GetTempPath();
        string without = Json.Replace(",\"memberCaDirectory\":\"../../orgs\"", string.Empty, StringComparison.Ordinal);
        string empty = Json.Replace("../../orgs", string.Empty, StringComparison.Ordinal);

        Assert.Null(NodeConfig.Parse(Encoding.UTF8.GetBytes(without), baseDirectory).P2p!.MemberCaDirectory);
        var error = Assert.Throws<ConfigException>(() => NodeConfig.Parse(Encoding.UTF8.GetBytes(empty), baseDirectory));
        Assert.Contains("p2p.memberCaDirectory", error.Message, StringComparison.Ordinal);
    }
}
