using System.Globalization;
using Trellis.Cli.Network;
using Trellis.Cli.Tests.Network;
using Trellis.Crypto;
using Trellis.Ledger.Genesis;
using NodeFileConfig = Trellis.Node.NodeConfig;

namespace Trellis.Cli.Tests.Governance;

/// <summary><c>trellis gov</c>, <c>org add</c> and <c>node add/remove</c>: usage errors, the directory helpers, and a running solo network.</summary>
public sealed class GovCommandsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private string Dir => _temp.Combine("net");

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("frobnicate", "unknown proposal kind \"frobnicate\"; kinds: add-member, remove-member")]
    [InlineData("remove-node", "gov propose remove-node takes SIGNING_ADDRESS, got 0 values")]
    [InlineData("remove-node 0x12", "SIGNING_ADDRESS \"0x12\" is not a 0x-prefixed 20-byte hex address")]
    [InlineData("set-threshold 2 x", "DENOMINATOR \"x\" is not a whole number")]
    [InlineData("set-permissioned yes", "gov propose set-permissioned takes true or false, got \"yes\"")]
    [InlineData("grant-rights 0x1111111111111111111111111111111111111111 fly", "right \"fly\" is not transact, deploy or admin")]
    [InlineData("set-node-role 0x1111111111111111111111111111111111111111 boss", "node role \"boss\" is not validator or observer")]
    [InlineData("approve-upgrade 0x1111111111111111111111111111111111111111 0x1234", "CODE_HASH \"0x1234\" is not a 0x-prefixed 32-byte hex value")]
    public void Propose_RefusesMalformedValuesInOneLineBeforeTouchingTheNetwork(string values, string expected)
    {
        string[] args = ["gov", "propose", .. values.Split(' '), "--org", "org1", "--dir", Dir];
        var (code, _, error) = CliRunner.Run(args);

        Assert.Equal(1, code);
        Assert.StartsWith("error: " + expected, error.Trim(), StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public void GovList_NamesAMissingDirectory()
    {
        var (code, _, error) = CliRunner.Run("gov", "list", "--dir", Dir);

        Assert.Equal(1, code);
        Assert.Equal($"error: network directory '{Dir}' does not exist (trellis up --dir creates one)", error.Trim());
    }

    [Fact]
    public void OrgAddAndNodeAdd_SayTheNetworkIsNotRunning()
    {
        NetworkGenerator.Create(Dir, new NetworkSpec { Orgs = 2, BasePort = PortProbeTests.FreePort() });

        foreach (string[] args in new[] { new[] { "org", "add", "org3" }, ["node", "add", "--org", "org1"], ["node", "remove", "org1-node1"], ["gov", "vote", "1", "--org", "org1"] })
        {
            var (code, _, error) = CliRunner.Run([.. args, "--dir", Dir]);
            Assert.Equal(1, code);
            Assert.Equal($"error: the network in {Dir} is not running: none of its 2 nodes answers JSON-RPC ('trellis up --dir {Dir}' starts it)", error.Trim());
        }

        Assert.False(Directory.Exists(Path.Combine(Dir, "orgs", "org3")));
    }

    [Fact]
    public void Up_WritesEachOrganisationsAdminAccountIntoGenesis()
    {
        NetworkGenerator.Create(Dir, new NetworkSpec { Orgs = 3, BasePort = PortProbeTests.FreePort() });
        ChainConfig chain = ChainConfig.Load(Path.Combine(Dir, "genesis.json"));

        Assert.Equal(3, chain.Members.Count);
        foreach (MemberConfig member in chain.Members)
        {
            (CurveKind curve, byte[] key) = KeyEncoding.ImportPrivateKeyPem(File.ReadAllText(Path.Combine(Dir, "orgs", member.Name, "admin.key")));
            Assert.Equal(CurveKind.Secp256k1, curve);
            ICryptoSuite suite = CryptoSuites.Standard;
            Assert.Equal([suite.ToAddress(suite.DerivePublicKey(suite.ImportPrivateKey(key)))], member.Admins);
        }
    }

    [Fact]
    public void AppendNode_TakesTheNextPortPairAndPeersWithEveryNode()
    {
        int basePort = PortProbeTests.FreePort() % 20_000 + 20_000;
        NetworkGenerator.Create(Dir, new NetworkSpec { Orgs = 2, BasePort = basePort });
        var layout = new NetworkLayout(Dir);
        NetworkManifest manifest = NetworkManifest.Load(layout.ManifestFile);
        ICryptoSuite suite = CryptoSuites.Standard;

        (NetworkNode node, Trellis.Ledger.Genesis.NodeConfig entry) = NetworkGenerator.AppendNode(layout, manifest, suite, "org2", "observer");

        Assert.Equal("org2-node2", node.Name);
        Assert.Equal(basePort + 2, node.RpcPort);
        Assert.Equal(basePort + 1002, node.P2pPort);
        NodeFileConfig config = NodeFileConfig.Load(layout.NodeConfigFile(node.Name));
        Assert.Equal(basePort + 2, config.RpcPort);
        Assert.Equal(["127.0.0.1:" + (basePort + 1000), "127.0.0.1:" + (basePort + 1001)], config.P2p!.Peers);
        (_, byte[] key) = KeyEncoding.ImportPrivateKeyPem(File.ReadAllText(Path.Combine(layout.NodeDirectory(node.Name), "signing.key")));
        Assert.Equal(entry.Address, suite.ToAddress(suite.DerivePublicKey(suite.ImportPrivateKey(key))));
        Assert.Equal(NodeRole.Observer, entry.Role);

        // network.json changes only when the ledger admitted the node; then the directory still opens.
        Assert.Equal(2, NetworkManifest.Load(layout.ManifestFile).Nodes.Count);
        NetworkGenerator.AppendToManifest(layout, manifest, node);
        Assert.Equal(3, NetworkDirectory.Open(layout).Manifest.Nodes.Count);
        var unknown = Assert.Throws<CliException>(() => NetworkGenerator.AppendNode(layout, manifest, suite, "org9", "validator"));
        Assert.Contains("organisation org9 has no CA", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnARunningSoloNetwork_OrgAddPassesAndGovShowsAndRefusesWithTheReason()
    {
        int port = PortProbeTests.FreePort();
        var (upCode, _, upError) = CliRunner.Run("up", "--consensus", "solo", "--detach", "--dir", Dir, "--base-port", port.ToString(CultureInfo.InvariantCulture));
        Assert.True(upCode == 0, upError);
        try
        {
            var (code, output, error) = CliRunner.Run("org", "add", "org2", "--vote-all", "--dir", Dir);
            Assert.True(code == 0, error);
            Assert.Contains("org1 proposes adding org2: proposal 1 is executed", output, StringComparison.Ordinal);
            Assert.Contains("org2 is a member (proposal 1 executed", output, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(Dir, "orgs", "org2", "admin.key")));

            (code, output, error) = CliRunner.Run("gov", "list", "--dir", Dir);
            Assert.True(code == 0, error);
            Assert.Matches(@"\s1\s+add-member\s+executed\s", output);

            // Two members now: org1's proposal is short of the threshold and stays open until org2 votes.
            (code, output, error) = CliRunner.Run("gov", "propose", "set-chain-config", "blockIntervalMs", "300", "--org", "org1", "--dir", Dir);
            Assert.True(code == 0, error);
            Assert.Contains("proposal 2 (set-chain-config) is open, yes 1 no 0 of 2", output, StringComparison.Ordinal);
            (code, output, _) = CliRunner.Run("gov", "show", "2", "--dir", Dir);
            Assert.Equal(0, code);
            Assert.Contains("status     open", output, StringComparison.Ordinal);
            Assert.Matches(@"org2\s+-", output);
            (code, output, error) = CliRunner.Run("gov", "vote", "2", "--org", "org2", "--dir", Dir);
            Assert.True(code == 0, error);
            Assert.Contains("org2 votes yes: proposal 2 (set-chain-config) is executed", output, StringComparison.Ordinal);

            (code, _, error) = CliRunner.Run("gov", "vote", "2", "--org", "org2", "--dir", Dir);
            Assert.Equal(1, code);
            Assert.StartsWith("error: reverted: proposal 2 is executed", error.Trim(), StringComparison.Ordinal);
            (code, _, error) = CliRunner.Run("gov", "propose", "set-chain-config", "blockGasLimit", "100", "--org", "org1", "--dir", Dir);
            Assert.Equal(1, code);
            Assert.Equal("error: reverted: blockGasLimit 100 is not between 21000 and 9223372036854775807", error.Trim());
            (code, _, error) = CliRunner.Run("gov", "vote", "2", "--org", "org7", "--dir", Dir);
            Assert.Equal(1, code);
            Assert.StartsWith("error: unknown organisation 'org7'", error.Trim(), StringComparison.Ordinal);
            (code, _, error) = CliRunner.Run("gov", "show", "9", "--dir", Dir);
            Assert.Equal(1, code);
            Assert.Equal("error: there is no proposal 9 (proposals run from 1 to 2)", error.Trim());
            (code, _, error) = CliRunner.Run("node", "add", "--org", "org1", "--dir", Dir);
            Assert.Equal(1, code);
            Assert.Contains("holds a solo network, which has no peer network", error, StringComparison.Ordinal);
        }
        finally
        {
            CliRunner.Run("down", "--dir", Dir);
        }

        await Task.CompletedTask;
    }
}
