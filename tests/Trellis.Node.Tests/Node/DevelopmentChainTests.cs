using System.Numerics;
using System.Text.Json;
using Trellis.Core;
using Trellis.Crypto;
using Trellis.Ledger.Genesis;

namespace Trellis.Node.Tests.Node;

public sealed class DevelopmentChainTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "trellis-dev-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void CreateOrOpen_WritesAOneNodeSoloChainWithAHundredFundedAccounts()
    {
        DevelopmentChainLayout layout = DevelopmentChain.CreateOrOpen(_directory, new DevelopmentChainOptions());

        Assert.True(layout.Created);
        ChainConfig chain = ChainConfig.Load(layout.GenesisFile);
        Assert.Equal(1337UL, chain.ChainId);
        Assert.Equal("standard", chain.Suite.Name);
        Assert.Equal("solo", chain.Consensus.Engine);
        Assert.Equal(30_000_000UL, chain.BlockGasLimit);
        Assert.Equal(200, chain.Consensus.BlockIntervalMs);
        Assert.Equal(NodeRole.Validator, Assert.Single(chain.Nodes).Role);

        using JsonDocument accounts = JsonDocument.Parse(File.ReadAllText(layout.AccountsFile));
        Assert.Equal(JsonValueKind.Array, accounts.RootElement.ValueKind);
        Assert.Equal(100, accounts.RootElement.GetArrayLength());
        var tenToThe24 = UInt256.FromBigInteger(BigInteger.Pow(10, 24));
        var seen = new HashSet<Address>();
        foreach (JsonElement account in accounts.RootElement.EnumerateArray())
        {
            Assert.Equal(["address", "privateKey"], account.EnumerateObject().Select(p => p.Name));
            string addressText = account.GetProperty("address").GetString()!;
            string keyText = account.GetProperty("privateKey").GetString()!;
            Assert.Matches("^0x[0-9a-fA-F]{40}$", addressText);
            Assert.Matches("^0x[0-9a-f]{64}$", keyText);
            Address address = Address.Parse(addressText);
            PrivateKey key = CryptoSuites.Standard.ImportPrivateKey(Hex.Decode(keyText));
            Assert.Equal(address, CryptoSuites.Standard.ToAddress(CryptoSuites.Standard.DerivePublicKey(key)));
            Assert.Equal(tenToThe24, chain.Alloc[address].Balance);
            Assert.True(seen.Add(address));
        }

        Assert.Contains("DEVELOPMENT ONLY", File.ReadAllText(layout.WarningFile), StringComparison.Ordinal);
        NodeConfig node = NodeConfig.Load(layout.NodeConfigFile);
        Assert.Equal(Path.Combine(layout.NodeDirectory, "data"), node.DataDir);
        Assert.Equal(layout.GenesisFile, node.GenesisFile);
        Assert.Equal("http://127.0.0.1:8545", node.RpcUrl);
        Assert.Equal(chain.Nodes[0].Name, node.NodeName);
    }

    [Fact]
    public void CreateOrOpen_ResumesAnExistingNetworkWithoutRewritingIt()
    {
        DevelopmentChainLayout first = DevelopmentChain.CreateOrOpen(_directory, new DevelopmentChainOptions());
        string genesis = File.ReadAllText(first.GenesisFile);
        string accounts = File.ReadAllText(first.AccountsFile);

        DevelopmentChainLayout second = DevelopmentChain.CreateOrOpen(_directory, new DevelopmentChainOptions { ChainId = 99, RpcPort = 1 });

        Assert.False(second.Created);
        Assert.Equal(genesis, File.ReadAllText(second.GenesisFile));
        Assert.Equal(accounts, File.ReadAllText(second.AccountsFile));
    }

    [Fact]
    public void CreateOrOpen_HonoursTheOptionsOfANewNetwork()
    {
        var options = new DevelopmentChainOptions { ChainId = 4242, Suite = CryptoSuites.National, AccountCount = 3, RpcPort = 9999, BlockIntervalMs = 50 };

        DevelopmentChainLayout layout = DevelopmentChain.CreateOrOpen(_directory, options);

        ChainConfig chain = ChainConfig.Load(layout.GenesisFile);
        Assert.Equal(4242UL, chain.ChainId);
        Assert.Equal("national", chain.Suite.Name);
        Assert.Equal(3, chain.Alloc.Count);
        Assert.Equal(50, chain.Consensus.BlockIntervalMs);
        Assert.Equal(9999, NodeConfig.Load(layout.NodeConfigFile).RpcPort);
    }

    [Fact]
    public void CreateOrOpen_RefusesADirectoryWithPartOfANetwork()
    {
        DevelopmentChainLayout layout = DevelopmentChain.CreateOrOpen(_directory, new DevelopmentChainOptions { AccountCount = 1 });
        File.Delete(layout.NodeConfigFile);

        var error = Assert.Throws<ConfigException>(() => DevelopmentChain.CreateOrOpen(_directory, new DevelopmentChainOptions()));

        Assert.Contains("node.json' is missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateOrOpen_RefusesANonEmptyDirectoryThatIsNotANetwork()
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllText(Path.Combine(_directory, "thesis.tex"), "precious");

        var error = Assert.Throws<ConfigException>(() => DevelopmentChain.CreateOrOpen(_directory, new DevelopmentChainOptions()));

        Assert.Contains("is not empty", error.Message, StringComparison.Ordinal);
        Assert.Equal("precious", File.ReadAllText(Path.Combine(_directory, "thesis.tex")));
    }

    [Fact]
    public void CreateOrOpen_RefusesAFileInPlaceOfTheDirectory()
    {
        File.WriteAllText(_directory, "x");
        try
        {
            var error = Assert.Throws<ConfigException>(() => DevelopmentChain.CreateOrOpen(_directory, new DevelopmentChainOptions()));

            Assert.Contains("is a file", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(_directory);
        }
    }

    [Theory]
    [InlineData(0UL, 1, 200, "chainId")]
    [InlineData(1UL, -1, 200, "accounts")]
    [InlineData(1UL, 1, 0, "blockIntervalMs")]
    public void Options_NameTheFirstBadValue(ulong chainId, int accounts, int interval, string field)
    {
        var options = new DevelopmentChainOptions { ChainId = chainId, AccountCount = accounts, BlockIntervalMs = interval };

        Assert.StartsWith(field + ":", Assert.Throws<ConfigException>(options.Validate).Message, StringComparison.Ordinal);
    }
}
