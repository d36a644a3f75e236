using System.Text.Json.Nodes;
using Trellis.Cli.Network;

namespace Trellis.Cli.Tests.Network;

public sealed class NetworkDirectoryTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Dir => _temp.Combine("net");

    [Fact]
    public void OpenOrCreate_CreatesANewNetworkThenResumesTheSameOneUnchanged()
    {
        var request = new UpRequest { Directory = Dir, Consensus = "solo", BasePort = 23000 };
        var (_, created, _, isNew) = NetworkDirectory.OpenOrCreate(request);
        Assert.True(isNew);
        string genesis = File.ReadAllText(Path.Combine(Dir, "genesis.json"));
        string accounts = File.ReadAllText(Path.Combine(Dir, "accounts.json"));

        var (layout, resumed, chain, isNewAgain) = NetworkDirectory.OpenOrCreate(new UpRequest { Directory = Dir });

        Assert.False(isNewAgain);
        Assert.Equal(created.Nodes, resumed.Nodes);
        Assert.Equal(1337UL, chain.ChainId);
        Assert.Equal(Dir, layout.Directory);
        Assert.Equal(genesis, File.ReadAllText(Path.Combine(Dir, "genesis.json")));
        Assert.Equal(accounts, File.ReadAllText(Path.Combine(Dir, "accounts.json")));
    }

    [Fact]
    public void OpenOrCreate_ResumesWhenTheGivenOptionsMatchTheNetwork()
    {
        NetworkDirectory.OpenOrCreate(new UpRequest { Directory = Dir, Consensus = "solo", BasePort = 23100, ChainId = 77, BlockIntervalMs = 300 });

        var (_, manifest, _, created) = NetworkDirectory.OpenOrCreate(new UpRequest { Directory = Dir, Consensus = "solo", Crypto = "standard", BasePort = 23100, ChainId = 77, BlockIntervalMs = 300, Orgs = 9 });

        Assert.False(created);
        Assert.Equal(77UL, manifest.ChainId);
    }

    [Theory]
    [InlineData("consensus", "--consensus raft conflicts")]
    [InlineData("crypto", "--crypto national conflicts")]
    [InlineData("port", "--base-port 23201 conflicts")]
    [InlineData("chain", "--chain-id 5 conflicts")]
    [InlineData("interval", "--block-interval 999 conflicts")]
    [InlineData("gas", "--block-gas-limit 50000000 conflicts")]
    public void OpenOrCreate_RefusesAnOptionThatConflictsWithTheExistingSoloNetwork(string which, string message)
    {
        NetworkDirectory.OpenOrCreate(new UpRequest { Directory = Dir, Consensus = "solo", BasePort = 23200 });
        var request = which switch
        {
            "consensus" => new UpRequest { Directory = Dir, Consensus = "raft" },
            "crypto" => new UpRequest { Directory = Dir, Crypto = "national" },
            "port" => new UpRequest { Directory = Dir, BasePort = 23201 },
            "chain" => new UpRequest { Directory = Dir, ChainId = 5 },
            "gas" => new UpRequest { Directory = Dir, BlockGasLimit = 50_000_000 },
            _ => new UpRequest { Directory = Dir, BlockIntervalMs = 999 },
        };

        var e = Assert.Throws<CliException>(() => NetworkDirectory.OpenOrCreate(request));

        Assert.StartsWith($"'{Dir}' holds a solo network with ", e.Message, StringComparison.Ordinal);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenOrCreate_WritesTheBlockGasLimitIntoGenesis_AndResumesWithTheSameOne()
    {
        var (_, _, defaults, _) = NetworkDirectory.OpenOrCreate(new UpRequest { Directory = _temp.Combine("default"), Consensus = "solo", BasePort = 23500 });
        NetworkDirectory.OpenOrCreate(new UpRequest { Directory = Dir, Consensus = "solo", BasePort = 23600, BlockGasLimit = 250_000_000 });

        var (_, _, chain, created) = NetworkDirectory.OpenOrCreate(new UpRequest { Directory = Dir, BlockGasLimit = 250_000_000 });

        Assert.Equal(100_000_000UL, defaults.BlockGasLimit);
        Assert.False(created);
        Assert.Equal(250_000_000UL, chain.BlockGasLimit);
        Assert.Equal(250_000_000UL, JsonNode.Parse(File.ReadAllText(Path.Combine(Dir, "genesis.json")))!["blockGasLimit"]!.GetValue<ulong>());
    }

    [Theory]
    [InlineData(20_999UL)]
    [InlineData(1_000_000_001UL)]
    [InlineData(ulong.MaxValue)]
    public void OpenOrCreate_RefusesABlockGasLimitOutOfRange_AndWritesNothing(ulong gasLimit)
    {
        var e = Assert.Throws<CliException>(() => NetworkDirectory.OpenOrCreate(new UpRequest { Directory = Dir, Consensus = "solo", BasePort = 23700, BlockGasLimit = gasLimit }));

        Assert.Equal($"--block-gas-limit must be from 21000 (one transfer) to 1000000000, got {gasLimit}", e.Message);
        Assert.False(File.Exists(Path.Combine(Dir, "genesis.json")));
    }

    [Fact]
    public void OpenOrCreate_RefusesADifferentShapeForAnExistingMultiNodeNetwork()
    {
        // The conflict is found before any node file is read.
        NetworkGenerator.Create(Dir, new NetworkSpec { Orgs = 2, NodesPerOrg = 2, BasePort = 23300 });

        var orgs = Assert.Throws<CliException>(() => NetworkDirectory.OpenOrCreate(new UpRequest { Directory = Dir, Orgs = 4 }));
        var perOrg = Assert.Throws<CliException>(() => NetworkDirectory.OpenOrCreate(new UpRequest { Directory = Dir, NodesPerOrg = 1 }));

        Assert.Equal($"'{Dir}' holds a 4-node hotstuff network with 2 organisations; --orgs 4 conflicts (leave the option out to resume it, or pick another --dir)", orgs.Message);
        Assert.Contains("with 2 nodes per organisation; --nodes-per-org 1 conflicts", perOrg.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenOrCreate_NamesABrokenGenesis()
    {
        NetworkDirectory.OpenOrCreate(new UpRequest { Directory = Dir, Consensus = "solo", BasePort = 23400 });
        string genesis = Path.Combine(Dir, "genesis.json");
        File.WriteAllText(genesis, "{ \"chainId\": ");

        var e = Assert.Throws<CliException>(() => NetworkDirectory.OpenOrCreate(new UpRequest { Directory = Dir }));

        Assert.StartsWith($"'{genesis}' is broken: ", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void OpenOrCreate_NamesAMissingGenesis()
    {
        NetworkDirectory.OpenOrCreate(new UpRequest { Directory = Dir, Consensus = "solo", BasePort = 23450 });
        string genesis = Path.Combine(Dir, "genesis.json");
        File.Delete(genesis);

        var e = Assert.Throws<CliException>(() => NetworkDirectory.OpenOrCreate(new UpRequest { Directory = Dir }));

        Assert.Contains($"'{genesis}' does not exist", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenOrCreate_NamesTheFieldAndFileOfABrokenNodeConfig()
    {
        NetworkDirectory.OpenOrCreate(new UpRequest { Directory = Dir, Consensus = "solo", BasePort = 23500 });
        string file = Path.Combine(Dir, "nodes", "org1-node1", "node.json");
        JsonObject node = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
        node["rpcPort"] = -1;
        File.WriteAllText(file, node.ToJsonString());

        var e = Assert.Throws<CliException>(() => NetworkDirectory.OpenOrCreate(new UpRequest { Directory = Dir }));

        Assert.StartsWith("rpcPort: must be from 0 to 65535, got -1", e.Message, StringComparison.Ordinal);
        Assert.Contains(file, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenOrCreate_NamesAMissingNodeConfig()
    {
        NetworkDirectory.OpenOrCreate(new UpRequest { Directory = Dir, Consensus = "solo", BasePort = 23550 });
        string file = Path.Combine(Dir, "nodes", "org1-node1", "node.json");
        File.Delete(file);

        var e = Assert.Throws<CliException>(() => NetworkDirectory.OpenOrCreate(new UpRequest { Directory = Dir }));

        Assert.Contains(file, e.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenOrCreate_RefusesFilesThatDisagree()
    {
        NetworkDirectory.OpenOrCreate(new UpRequest { Directory = Dir, Consensus = "solo", BasePort = 23600 });
        string manifest = Path.Combine(Dir, "network.json");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("\"chainId\": 1337", "\"chainId\": 1338", StringComparison.Ordinal));

        var e = Assert.Throws<CliException>(() => NetworkDirectory.OpenOrCreate(new UpRequest { Directory = Dir }));

        Assert.Contains("has chain id 1337, but network.json says 1338; the files disagree", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenOrCreate_RefusesARpcPortThatDiffersBetweenNetworkJsonAndNodeJson()
    {
        NetworkDirectory.OpenOrCreate(new UpRequest { Directory = Dir, Consensus = "solo", BasePort = 23700 });
        string manifest = Path.Combine(Dir, "network.json");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("127.0.0.1:23700", "127.0.0.1:23701", StringComparison.Ordinal));

        var e = Assert.Throws<CliException>(() => NetworkDirectory.OpenOrCreate(new UpRequest { Directory = Dir }));

        Assert.Contains("serves JSON-RPC on port 23700, but network.json says org1-node1 is at http://127.0.0.1:23701", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenOrCreate_RefusesANetworkOfAnOlderTrellisUp()
    {
        Directory.CreateDirectory(Path.Combine(Dir, "node0"));
        File.WriteAllText(Path.Combine(Dir, "genesis.json"), "{}");
        File.WriteAllText(Path.Combine(Dir, "node0", "node.json"), "{}");

        var e = Assert.Throws<CliException>(() => NetworkDirectory.OpenOrCreate(new UpRequest { Directory = Dir }));

        Assert.Contains("made by an older trellis up", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadManifest_NamesAMissingDirectoryAndADirectoryWithoutANetwork()
    {
        var missing = Assert.Throws<CliException>(() => NetworkDirectory.LoadManifest(new NetworkLayout(Dir)));
        Directory.CreateDirectory(Dir);
        var empty = Assert.Throws<CliException>(() => NetworkDirectory.LoadManifest(new NetworkLayout(Dir)));

        Assert.StartsWith($"network directory '{Dir}' does not exist", missing.Message, StringComparison.Ordinal);
        Assert.Equal($"'{Dir}' holds no Trellis network: network.json is missing", empty.Message);
    }
}
