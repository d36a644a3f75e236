using System.Text;
using Trellis.Cli.Network;

namespace Trellis.Cli.Tests.Network;

public sealed class NetworkManifestTests : IDisposable
{
    private const string Valid = """
        {"version":1,"chainId":1337,"consensus":"hotstuff","crypto":"standard","basePort":8545,
         "nodes":[{"name":"org1-node1","org":"org1","role":"validator","rpc":"http://127.0.0.1:8545","p2p":"127.0.0.1:9545","dir":"nodes/org1-node1"},
                  {"name":"org2-node1","org":"org2","role":"validator","rpc":"http://127.0.0.1:8546","p2p":"127.0.0.1:9546","dir":"nodes/org2-node1"}]}
        """;

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Parse_ReadsTheContractExampleAndWritesItBackUnchanged()
    {
        NetworkManifest manifest = NetworkManifest.Parse(Encoding.UTF8.GetBytes(Valid));

        Assert.Equal(1337UL, manifest.ChainId);
        Assert.Equal("hotstuff", manifest.Consensus);
        Assert.Equal(2, manifest.OrgCount);
        Assert.Equal(8546, manifest.Nodes[1].RpcPort);
        Assert.Equal("127.0.0.1", manifest.Nodes[1].P2pHost);
        Assert.Equal(9546, manifest.Nodes[1].P2pPort);
        Assert.Equal("http://127.0.0.1:8546", manifest.Nodes[1].RpcText);
        NetworkManifest again = NetworkManifest.Parse(Encoding.UTF8.GetBytes(manifest.ToJson()));
        Assert.Equal(manifest.Nodes, again.Nodes);
    }

    [Fact]
    public void Parse_AcceptsAByteOrderMark()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Valid)];

        Assert.Equal(2, NetworkManifest.Parse(bytes).Nodes.Count);
    }

    [Theory]
    [InlineData("\"dir\":\"nodes/org1-node1\"", "\"dir\":\"../../etc\"", "nodes[0].dir: must be \"nodes/org1-node1\", got \"../../etc\"")]
    [InlineData("\"name\":\"org1-node1\",\"org\"", "\"name\":\"../x\",\"org\"", "nodes[0].name: \"../x\" must be 1 to 64 letters")]
    [InlineData("\"name\":\"org1-node1\",\"org\"", "\"name\":\".hidden\",\"org\"", "nodes[0].name: \".hidden\" must be")]
    [InlineData("\"org\":\"org1\"", "\"org\":\"org/1\"", "nodes[0].org: \"org/1\" must be")]
    [InlineData("org2-node1", "org1-node1", "nodes[1].name: \"org1-node1\" appears twice")]
    [InlineData("\"version\":1", "\"version\":2", "version: 2 is not supported")]
    [InlineData("\"version\":1,", "", "version: missing")]
    [InlineData("\"chainId\":1337", "\"chainId\":0", "chainId: must be an integer greater than 0, got the number 0")]
    [InlineData("\"chainId\":1337", "\"chainId\":\"1337\"", "chainId: must be an integer greater than 0, got the string \"1337\"")]
    [InlineData("\"consensus\":\"hotstuff\"", "\"consensus\":\"pbft\"", "consensus: \"pbft\" is not one of hotstuff, raft, solo")]
    [InlineData("\"crypto\":\"standard\"", "\"crypto\":\"rot13\"", "crypto: \"rot13\" is not one of standard, national")]
    [InlineData("\"basePort\":8545", "\"basePort\":70000", "basePort: must be an integer from 1 to 65535, got the number 70000")]
    [InlineData("\"rpc\":\"http://127.0.0.1:8545\"", "\"rpc\":\"ftp://127.0.0.1:8545\"", "nodes[0].rpc: \"ftp://127.0.0.1:8545\" is not an http://host:port URL")]
    [InlineData("\"rpc\":\"http://127.0.0.1:8545\"", "\"rpc\":\"not a url\"", "nodes[0].rpc: \"not a url\" is not an http://host:port URL")]
    [InlineData("\"p2p\":\"127.0.0.1:9545\"", "\"p2p\":\"127.0.0.1:99999\"", "nodes[0].p2p: \"127.0.0.1:99999\" is not host:port with a port from 1 to 65535")]
    [InlineData("\"p2p\":\"127.0.0.1:9545\"", "\"p2p\":\"nocolon\"", "nodes[0].p2p: \"nocolon\" is not host:port")]
    [InlineData("\"p2p\":\"127.0.0.1:9545\"", "\"p2p\":null", "nodes[0].p2p: a networked node needs a peer endpoint")]
    [InlineData("\"role\":\"validator\",\"rpc\":\"http://127.0.0.1:8545\"", "\"role\":\"king\",\"rpc\":\"http://127.0.0.1:8545\"", "nodes[0].role: \"king\" is not one of validator, observer")]
    [InlineData("\"basePort\":8545,", "\"basePort\":8545,\"extra\":1,", "network.extra: unknown field")]
    [InlineData("\"basePort\":8545,", "\"basePort\":8545,\"basePort\":8546,", "network.basePort: duplicate field")]
    [InlineData("\"consensus\":\"hotstuff\"", "\"consensus\":\"solo\"", "nodes: a solo network has exactly one node, got 2")]
    public void Parse_RefusesABrokenFieldNamingIt(string find, string replace, string message)
    {
        Assert.Contains(find, Valid, StringComparison.Ordinal);
        byte[] bytes = Encoding.UTF8.GetBytes(Valid.Replace(find, replace, StringComparison.Ordinal));

        var e = Assert.Throws<FormatException>(() => NetworkManifest.Parse(bytes));

        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "not valid JSON")]
    [InlineData("[]", "network: must be a JSON object, got an array")]
    [InlineData("{\"version\":1,\"chainId\":1,\"consensus\":\"raft\",\"crypto\":\"standard\",\"basePort\":1,\"nodes\":[]}", "nodes: must list 1 to 64 nodes, got 0")]
    [InlineData("{\"version\":1,\"chainId\":1,\"consensus\":\"raft\",\"crypto\":\"standard\",\"basePort\":1,\"nodes\":{}}", "nodes: must be an array, got an object")]
    [InlineData("{\"version\":1,\"chainId\":1,\"consensus\":\"raft\",\"crypto\":\"standard\",\"basePort\":1,\"nodes\":[7]}", "nodes[0]: must be a JSON object, got the number 7")]
    [InlineData("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]", "not valid JSON")]
    public void Parse_RefusesMalformedDocuments(string json, string message)
    {
        var e = Assert.Throws<FormatException>(() => NetworkManifest.Parse(Encoding.UTF8.GetBytes(json)));

        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NamesTheFileOfABrokenManifest()
    {
        string path = _temp.Combine("network.json");
        File.WriteAllText(path, "{\"version\":");

        var e = Assert.Throws<CliException>(() => NetworkManifest.Load(path));

        Assert.StartsWith($"'{path}' is broken: not valid JSON", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_RefusesAHugeFileWithoutReadingIt()
    {
        string path = _temp.Combine("network.json");
        using (var stream = new FileStream(path, FileMode.CreateNew))
        {
            stream.SetLength(NetworkManifest.MaxFileBytes + 1);
        }

        var e = Assert.Throws<CliException>(() => NetworkManifest.Load(path));

        Assert.Equal($"'{path}' is {NetworkManifest.MaxFileBytes + 1} bytes; the limit is 1048576 (1 MiB)", e.Message);
    }

    [Fact]
    public void Load_NamesAMissingFile()
    {
        string path = _temp.Combine("network.json");

        Assert.Equal($"'{path}' does not exist", Assert.Throws<CliException>(() => NetworkManifest.Load(path)).Message);
    }
}
