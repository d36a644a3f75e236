using Trellis.Cli.Bench;
using Trellis.Crypto;

namespace Trellis.Cli.Tests.Bench;

public sealed class BenchTargetTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "trellis-bench-target-" + Guid.NewGuid().ToString("N"));

    public BenchTargetTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void NetworkJson_GivesEveryNodeItsRpcAndPidFileAndTheSuite()
    {
        ICryptoSuite national = CryptoSuites.National;
        PrivateKey key = national.GeneratePrivateKey();
        File.WriteAllText(Path.Combine(_directory, "network.json"), """
            {"version":1,"chainId":1337,"consensus":"hotstuff","crypto":"national","basePort":8545,
             "nodes":[{"name":"org1-node1","org":"org1","role":"validator","rpc":"http://127.0.0.1:8545","p2p":"127.0.0.1:9545","dir":"nodes/org1-node1"},
                      {"name":"org2-node1","org":"org2","role":"validator","rpc":"http://127.0.0.1:8546","p2p":"127.0.0.1:9546","dir":"nodes/org2-node1"}]}
            """);
        File.WriteAllText(Path.Combine(_directory, "accounts.json"), $$"""[{"address":"{{national.ToAddress(national.DerivePublicKey(key))}}","privateKey":"{{key.ToHex()}}"}]""");

        BenchTarget target = BenchTarget.Resolve(new BenchSettings { Directory = _directory, Transactions = 1 });
        Assert.Equal(["org1-node1", "org2-node1"], target.Nodes.Select(n => n.Name));
        Assert.Equal(new Uri("http://127.0.0.1:8546"), target.Nodes[1].Rpc);
        Assert.Equal(Path.Combine(_directory, "nodes", "org2-node1", "node.pid"), target.Nodes[1].PidFile);
        Assert.Equal("national", target.Suite.Name);
        Assert.Equal("hotstuff", target.Consensus);
        Assert.Equal(key, Assert.Single(target.Keys));
    }

    [Fact]
    public void RpcOverride_KeepsTheNameOfAKnownNode()
    {
        File.WriteAllText(Path.Combine(_directory, "network.json"), """{"nodes":[{"name":"a","rpc":"http://127.0.0.1:8545","dir":"nodes/a"},{"name":"b","rpc":"http://127.0.0.1:8546","dir":"nodes/b"}]}""");
        File.WriteAllText(Path.Combine(_directory, "accounts.json"), "[\"0x" + new string('2', 64) + "\"]");
        BenchTarget target = BenchTarget.Resolve(new BenchSettings { Directory = _directory, RpcUrls = [new Uri("http://127.0.0.1:8546"), new Uri("http://127.0.0.1:9999")], Transactions = 1 });
        Assert.Equal(["b", "127.0.0.1:9999"], target.Nodes.Select(n => n.Name));
        Assert.NotNull(target.Nodes[0].PidFile);
        Assert.Null(target.Nodes[1].PidFile);
    }

    [Fact]
    public void AccountAddresses_TellTheSuiteWhenNothingElseDoes()
    {
        ICryptoSuite national = CryptoSuites.National;
        PrivateKey key = national.GeneratePrivateKey();
        string keys = Path.Combine(_directory, "keys.json");
        File.WriteAllText(keys, $$"""[{"address":"{{national.ToAddress(national.DerivePublicKey(key))}}","privateKey":"{{key.ToHex()}}"}]""");
        BenchTarget target = BenchTarget.Resolve(new BenchSettings { RpcUrls = [new Uri("http://127.0.0.1:1")], KeysFile = keys, Transactions = 1 });
        Assert.Equal("national", target.Suite.Name);
        Assert.Equal("account addresses", target.SuiteSource);
    }

    [Fact]
    public void KeyThatDoesNotMatchItsAddress_IsAnError()
    {
        string keys = Path.Combine(_directory, "keys.json");
        File.WriteAllText(keys, """[{"address":"0x00000000000000000000000000000000000000aa","privateKey":"0x1111111111111111111111111111111111111111111111111111111111111111"}]""");
        var error = Assert.Throws<CliException>(() => BenchTarget.Resolve(new BenchSettings { RpcUrls = [new Uri("http://127.0.0.1:1")], KeysFile = keys, Transactions = 1, Crypto = "standard" }));
        Assert.Contains("does not belong to address", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SoloLayout_ReadsNode0AndTheGenesisPoolSize()
    {
        Trellis.Node.DevelopmentChain.CreateOrOpen(_directory, new Trellis.Node.DevelopmentChainOptions { RpcPort = 18999, AccountCount = 3 });
        BenchTarget target = BenchTarget.Resolve(new BenchSettings { Directory = _directory, Transactions = 1 });
        BenchNode node = Assert.Single(target.Nodes);
        Assert.Equal(new Uri("http://127.0.0.1:18999"), node.Rpc);
        Assert.Equal(Path.Combine(_directory, "node0", "node.pid"), node.PidFile);
        Assert.Equal(10_000, target.PoolMaxCount);
        Assert.Equal("solo", target.Consensus);
        Assert.Equal(3, target.Keys.Count);
        Assert.Equal("genesis.json", target.SuiteSource);
    }
}
