using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Trellis.Cli.Network;
using Trellis.Core;
using Trellis.Crypto;
using Trellis.Ledger.Genesis;

namespace Trellis.Cli.Tests.Network;

public sealed class NetworkGeneratorTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Create_WritesTheDirectoryLayoutOfAFourOrgNetwork()
    {
        string dir = _temp.Combine("net");

        NetworkManifest manifest = NetworkGenerator.Create(dir, new NetworkSpec { BasePort = 20000 });

        string[] expected =
        [
            "network.json", "genesis.json", "accounts.json", "ACCOUNTS-ARE-DEVELOPMENT-ONLY.txt",
            "orgs/org1/ca.crt", "orgs/org1/ca.key", "orgs/org1/admin.crt", "orgs/org1/admin.key",
            "orgs/org4/ca.crt", "orgs/org4/ca.key", "orgs/org4/admin.crt", "orgs/org4/admin.key",
            "nodes/org1-node1/node.json", "nodes/org1-node1/signing.key", "nodes/org1-node1/tls.crt", "nodes/org1-node1/tls.key",
            "nodes/org4-node1/node.json", "nodes/org4-node1/signing.key", "nodes/org4-node1/tls.crt", "nodes/org4-node1/tls.key",
        ];
        foreach (string file in expected)
        {
            Assert.True(File.Exists(Path.Combine(dir, file)), $"{file} is missing");
        }

        Assert.Equal(["org1-node1", "org2-node1", "org3-node1", "org4-node1"], manifest.Nodes.Select(n => n.Name));
        Assert.Equal(4, manifest.OrgCount);

        // Nothing is left of the staging directory beside the network.
        Assert.Equal([dir], Directory.GetFileSystemEntries(_temp.Path));
    }

    [Fact]
    public void Create_NamesNodesByOrganisationAndGivesNodeIThePortsBasePlusIAndBasePlusThousandPlusI()
    {
        string dir = _temp.Combine("net");

        NetworkManifest manifest = NetworkGenerator.Create(dir, new NetworkSpec { Orgs = 2, NodesPerOrg = 2, Consensus = "raft", BasePort = 21000 });

        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "network.json")));
        JsonElement root = json.RootElement;
        Assert.Equal(1, root.GetProperty("version").GetInt32());
        Assert.Equal(1337UL, root.GetProperty("chainId").GetUInt64());
        Assert.Equal("raft", root.GetProperty("consensus").GetString());
        Assert.Equal("standard", root.GetProperty("crypto").GetString());
        Assert.Equal(21000, root.GetProperty("basePort").GetInt32());
        string[] names = ["org1-node1", "org1-node2", "org2-node1", "org2-node2"];
        JsonElement[] nodes = [.. root.GetProperty("nodes").EnumerateArray()];
        Assert.Equal(4, nodes.Length);
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(names[i], nodes[i].GetProperty("name").GetString());
            Assert.Equal(names[i][..4], nodes[i].GetProperty("org").GetString());
            Assert.Equal("validator", nodes[i].GetProperty("role").GetString());
            Assert.Equal($"http://127.0.0.1:{21000 + i}", nodes[i].GetProperty("rpc").GetString());
            Assert.Equal($"127.0.0.1:{22000 + i}", nodes[i].GetProperty("p2p").GetString());
            Assert.Equal("nodes/" + names[i], nodes[i].GetProperty("dir").GetString());

            using JsonDocument node = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "nodes", names[i], "node.json")));
            JsonElement config = node.RootElement;
            Assert.Equal("data", config.GetProperty("dataDir").GetString());
            Assert.Equal(Path.Combine("..", "..", "genesis.json"), config.GetProperty("genesisFile").GetString());
            Assert.Equal(names[i], config.GetProperty("nodeName").GetString());
            Assert.Equal("127.0.0.1", config.GetProperty("rpcHost").GetString());
            Assert.Equal(21000 + i, config.GetProperty("rpcPort").GetInt32());
            Assert.Equal("signing.key", config.GetProperty("signingKeyFile").GetString());
            JsonElement p2p = config.GetProperty("p2p");
            Assert.Equal("127.0.0.1", p2p.GetProperty("listenHost").GetString());
            Assert.Equal(22000 + i, p2p.GetProperty("listenPort").GetInt32());
            Assert.Equal("tls.crt", p2p.GetProperty("certificateFile").GetString());
            Assert.Equal("tls.key", p2p.GetProperty("privateKeyFile").GetString());
            string[] peers = [.. p2p.GetProperty("peers").EnumerateArray().Select(p => p.GetString()!)];
            string[] others = [.. Enumerable.Range(0, 4).Where(j => j != i).Select(j => $"127.0.0.1:{22000 + j}")];
            Assert.Equal(others, peers);
        }

        Assert.Equal(manifest, NetworkManifest.Load(Path.Combine(dir, "network.json")), new ManifestComparer());

        // And the node reads it as written.
        Trellis.Node.NodeConfig parsed = Trellis.Node.NodeConfig.Load(Path.Combine(dir, "nodes", "org2-node1", "node.json"));
        Assert.Equal(21002, parsed.RpcPort);
        Assert.Equal(22002, parsed.P2p!.ListenPort);
        Assert.Equal(Path.Combine(dir, "nodes", "org2-node1", "signing.key"), parsed.SigningKeyFile);
        Assert.Equal(Path.Combine(dir, "nodes", "org2-node1", "tls.crt"), parsed.P2p.CertificateFile);
        Assert.Equal(["127.0.0.1:22000", "127.0.0.1:22001", "127.0.0.1:22003"], parsed.P2p.Peers);
    }

    [Fact]
    public void Create_WritesAGenesisThatLoadsWithEveryMemberCaAndEveryNodeKeyAndFingerprint()
    {
        string dir = _temp.Combine("net");
        NetworkGenerator.Create(dir, new NetworkSpec { Orgs = 3, BasePort = 20100, ChainId = 4242, BlockIntervalMs = 350 });

        ChainConfig chain = ChainConfig.Load(Path.Combine(dir, "genesis.json"));

        Assert.Equal(4242UL, chain.ChainId);
        Assert.Equal("hotstuff", chain.Consensus.Engine);
        Assert.Equal(350, chain.Consensus.BlockIntervalMs);
        Assert.Equal("standard", chain.Suite.Name);
        Assert.Equal(["org1", "org2", "org3"], chain.Members.Select(m => m.Name));
        for (int k = 1; k <= 3; k++)
        {
            Assert.Equal(File.ReadAllText(Path.Combine(dir, "orgs", $"org{k}", "ca.crt")).Trim(), chain.Members[k - 1].CaCertificate!.Trim());
        }

        Assert.Equal(3, chain.Nodes.Count);
        foreach (Trellis.Ledger.Genesis.NodeConfig node in chain.Nodes)
        {
            string nodeDir = Path.Combine(dir, "nodes", node.Name);
            Assert.Equal(NodeRole.Validator, node.Role);
            Assert.Equal(node.Name[..4], node.Org);

            // The fingerprint is SHA-256 of the certificate's DER, recomputed here from the PEM file.
            byte[] der = PemDer(File.ReadAllText(Path.Combine(nodeDir, "tls.crt")));
            Assert.Equal(SHA256.HashData(der), node.TlsCertificateFingerprint!.Value.ToArray());

            // The genesis key is the one in signing.key.
            (CurveKind curve, byte[] privateKey) = KeyEncoding.ImportPrivateKeyPem(File.ReadAllText(Path.Combine(nodeDir, "signing.key")));
            Assert.Equal(CurveKind.Secp256k1, curve);
            Assert.Equal(node.PublicKey, chain.Suite.DerivePublicKey(chain.Suite.ImportPrivateKey(privateKey)));
        }
    }

    [Fact]
    public void Create_SigningKeyAddressIsKeccakOfThePublicPointOpenSslReadsFromTheKeyFile()
    {
        string dir = _temp.Combine("net");
        NetworkGenerator.Create(dir, new NetworkSpec { Orgs = 1, BasePort = 20200 });
        ChainConfig chain = ChainConfig.Load(Path.Combine(dir, "genesis.json"));

        byte[] spki = OpenSsl.Bytes(null, "pkey", "-in", Path.Combine(dir, "nodes", "org1-node1", "signing.key"), "-pubout", "-outform", "DER");
        byte[] point = spki[^64..];

        // OpenSSL 3.0 here has no Keccak-256 digest; the suite's Keccak is checked against published vectors elsewhere.
        byte[] hash = Keccak(point);

        Assert.Equal(new Address(hash.AsSpan(12)), chain.Nodes[0].Address);
    }

    [Fact]
    public void Create_NationalSuiteSigningKeyIsSm2AndItsAddressIsTheSm3OneOpenSslDerives()
    {
        string dir = _temp.Combine("net");
        NetworkGenerator.Create(dir, new NetworkSpec { Orgs = 1, Crypto = "national", BasePort = 20300 });
        ChainConfig chain = ChainConfig.Load(Path.Combine(dir, "genesis.json"));
        Assert.Equal("national", chain.Suite.Name);
        string keyFile = Path.Combine(dir, "nodes", "org1-node1", "signing.key");
        Assert.Equal(CurveKind.Sm2, KeyEncoding.ImportPrivateKeyPem(File.ReadAllText(keyFile)).Curve);

        byte[] spki = OpenSsl.Bytes(null, "pkey", "-in", keyFile, "-pubout", "-outform", "DER");
        byte[] hash = OpenSsl.Bytes(spki[^64..], "dgst", "-sm3", "-binary");

        Assert.Equal(new Address(hash.AsSpan(12)), chain.Nodes[0].Address);

        // The development accounts are national-suite accounts too.
        using JsonDocument accounts = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "accounts.json")));
        JsonElement first = accounts.RootElement[0];
        PrivateKey key = CryptoSuites.National.ImportPrivateKey(Hex.Decode(first.GetProperty("privateKey").GetString()!));
        Assert.Equal(Address.Parse(first.GetProperty("address").GetString()!), CryptoSuites.National.ToAddress(CryptoSuites.National.DerivePublicKey(key)));
    }

    [Fact]
    public void Create_TlsCertificatesVerifyAgainstTheirOrganisationCaWithOpenSslAndCarryTheSigningAddress()
    {
        string dir = _temp.Combine("net");
        NetworkGenerator.Create(dir, new NetworkSpec { Orgs = 2, BasePort = 20400 });
        ChainConfig chain = ChainConfig.Load(Path.Combine(dir, "genesis.json"));

        foreach (Trellis.Ledger.Genesis.NodeConfig node in chain.Nodes)
        {
            string certificate = Path.Combine(dir, "nodes", node.Name, "tls.crt");
            string ownCa = Path.Combine(dir, "orgs", node.Org, "ca.crt");
            string otherCa = Path.Combine(dir, "orgs", node.Org == "org1" ? "org2" : "org1", "ca.crt");

            Assert.Contains(": OK", OpenSsl.Text("verify", "-CAfile", ownCa, "-purpose", "sslserver", certificate), StringComparison.Ordinal);
            Assert.Contains(": OK", OpenSsl.Text("verify", "-CAfile", ownCa, "-purpose", "sslclient", certificate), StringComparison.Ordinal);
            Assert.NotEqual(0, OpenSsl.Run(null, "verify", "-CAfile", otherCa, certificate).ExitCode);

            string text = OpenSsl.Text("x509", "-in", certificate, "-noout", "-subject", "-ext", "subjectAltName");
            Assert.Contains("URI:urn:trellis:address:0x" + node.Address.ToLowerHex().Replace("0x", string.Empty, StringComparison.Ordinal), text, StringComparison.Ordinal);
            Assert.Contains("CN=" + node.Name, text.Replace(" = ", "=", StringComparison.Ordinal), StringComparison.Ordinal);

            // The TLS key is P-256 and belongs to the certificate.
            string key = Path.Combine(dir, "nodes", node.Name, "tls.key");
            Assert.Contains("prime256v1", OpenSsl.Text("pkey", "-in", key, "-noout", "-text"), StringComparison.Ordinal);
            Assert.Equal(OpenSsl.Text("pkey", "-in", key, "-pubout"), OpenSsl.Text("x509", "-in", certificate, "-noout", "-pubkey"));
        }
    }

    [Fact]
    public void Create_OrganisationCaIsSelfSignedAndIssuesTheAdminCertificate()
    {
        string dir = _temp.Combine("net");
        NetworkGenerator.Create(dir, new NetworkSpec { Orgs = 1, BasePort = 20500 });
        string ca = Path.Combine(dir, "orgs", "org1", "ca.crt");

        Assert.Contains(": OK", OpenSsl.Text("verify", "-CAfile", ca, ca), StringComparison.Ordinal);
        Assert.Contains("CA:TRUE", OpenSsl.Text("x509", "-in", ca, "-noout", "-ext", "basicConstraints"), StringComparison.Ordinal);
        Assert.Equal(OpenSsl.Text("pkey", "-in", Path.Combine(dir, "orgs", "org1", "ca.key"), "-pubout"), OpenSsl.Text("x509", "-in", ca, "-noout", "-pubkey"));
        Assert.Contains(": OK", OpenSsl.Text("verify", "-CAfile", ca, Path.Combine(dir, "orgs", "org1", "admin.crt")), StringComparison.Ordinal);

        // The admin key is a ledger key on the suite's curve, and the certificate carries its address.
        (CurveKind curve, byte[] adminKey) = KeyEncoding.ImportPrivateKeyPem(File.ReadAllText(Path.Combine(dir, "orgs", "org1", "admin.key")));
        Assert.Equal(CurveKind.Secp256k1, curve);
        Address admin = CryptoSuites.Standard.ToAddress(CryptoSuites.Standard.DerivePublicKey(CryptoSuites.Standard.ImportPrivateKey(adminKey)));
        string adminText = OpenSsl.Text("x509", "-in", Path.Combine(dir, "orgs", "org1", "admin.crt"), "-noout", "-subject", "-ext", "subjectAltName");
        Assert.Contains("urn:trellis:address:" + admin.ToLowerHex(), adminText, StringComparison.Ordinal);
        Assert.Contains("OU=admin", adminText.Replace(" = ", "=", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void Create_NationalOrganisationHasAnSm2RootCertifyingAP256TlsCaThatIssuesTheNodeCertificates()
    {
        string dir = _temp.Combine("net");
        NetworkGenerator.Create(dir, new NetworkSpec { Orgs = 2, Crypto = "national", BasePort = 20550 });
        string org = Path.Combine(dir, "orgs", "org1");
        string node = Path.Combine(dir, "nodes", "org1-node1", "tls.crt");

        // OpenSSL's own reading: an SM2 root, the TLS CA it signed (SM3withSM2), the node under the TLS CA.
        Assert.Contains("SM2", OpenSsl.Text("x509", "-in", Path.Combine(org, "ca.crt"), "-noout", "-text"), StringComparison.Ordinal);
        Assert.Contains(": OK", OpenSsl.Text("verify", "-vfyopt", "distid:1234567812345678", "-CAfile", Path.Combine(org, "ca.crt"), Path.Combine(org, "tls-ca.crt")), StringComparison.Ordinal);
        Assert.Contains(": OK", OpenSsl.Text("verify", "-partial_chain", "-CAfile", Path.Combine(org, "tls-ca.crt"), "-purpose", "sslserver", node), StringComparison.Ordinal);
        Assert.Contains(": OK", OpenSsl.Text("verify", "-vfyopt", "distid:1234567812345678", "-CAfile", Path.Combine(org, "ca.crt"), Path.Combine(org, "admin.crt")), StringComparison.Ordinal);
        Assert.NotEqual(0, OpenSsl.Run(null, "verify", "-partial_chain", "-CAfile", Path.Combine(dir, "orgs", "org2", "tls-ca.crt"), node).ExitCode);

        // tls.crt carries the TLS CA after the node certificate, so peers get the chain up to the SM2 root.
        Assert.Equal(2, File.ReadAllText(node).Split("-----BEGIN CERTIFICATE-----").Length - 1);
        Assert.Equal(File.ReadAllText(Path.Combine(org, "ca.crt")).Trim(), ChainConfig.Load(Path.Combine(dir, "genesis.json")).Members[0].CaCertificate!.Trim());
    }

    [Fact]
    public void Create_FundsOneHundredDevelopmentAccountsWhoseKeysMatchTheirAddresses()
    {
        string dir = _temp.Combine("net");
        NetworkGenerator.Create(dir, new NetworkSpec { Orgs = 1, BasePort = 20600 });
        ChainConfig chain = ChainConfig.Load(Path.Combine(dir, "genesis.json"));

        using JsonDocument accounts = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "accounts.json")));
        Assert.Equal(100, accounts.RootElement.GetArrayLength());
        int checkedWithOpenSsl = 0;
        foreach (JsonElement account in accounts.RootElement.EnumerateArray())
        {
            Address address = Address.Parse(account.GetProperty("address").GetString()!);
            Assert.Equal(UInt256.Parse("1000000000000000000000000"), chain.Alloc[address].Balance);
            if (checkedWithOpenSsl++ < 3)
            {
                // Address = last 20 bytes of Keccak-256 over x || y.
                byte[] key = Hex.Decode(account.GetProperty("privateKey").GetString()!);
                byte[] point = CryptoSuites.Standard.DerivePublicKey(CryptoSuites.Standard.ImportPrivateKey(key)).Bytes.ToArray();
                Assert.Equal(address, new Address(Keccak(point).AsSpan(12)));
            }
        }

        Assert.Equal(100, chain.Alloc.Count);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Create_WritesEveryKeyConfigurationAndAccountForTheOwnerOnly()
    {
        string dir = _temp.Combine("net");
        NetworkGenerator.Create(dir, new NetworkSpec { Orgs = 1, BasePort = 20700 });

        foreach (string file in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories))
        {
            // Certificates are public; everything else (keys, configuration, accounts) is the owner's alone.
            UnixFileMode mode = File.GetUnixFileMode(file);
            if (file.EndsWith(".crt", StringComparison.Ordinal))
            {
                Assert.Equal(UnixFileMode.None, mode & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite));
            }
            else
            {
                Assert.True(mode == (UnixFileMode.UserRead | UnixFileMode.UserWrite), $"{file} has mode {mode}");
            }
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(dir, "orgs", "org1")));
    }

    [Fact]
    public void Create_SoloHasOneNodeWithoutPeersWhateverOrgsSaysAndItsNodeJsonLoads()
    {
        string dir = _temp.Combine("net");

        NetworkManifest manifest = NetworkGenerator.Create(dir, new NetworkSpec { Consensus = "solo", Orgs = 7, NodesPerOrg = 3, BasePort = 20800 });

        NetworkNode node = Assert.Single(manifest.Nodes);
        Assert.Equal("org1-node1", node.Name);
        Assert.Null(node.P2p);
        Trellis.Node.NodeConfig config = Trellis.Node.NodeConfig.Load(Path.Combine(dir, "nodes", "org1-node1", "node.json"));
        Assert.Equal(20800, config.RpcPort);
        Assert.Equal(Path.Combine(dir, "nodes", "org1-node1", "data"), config.DataDir);
        Assert.Equal(Path.Combine(dir, "genesis.json"), config.GenesisFile);
        Assert.Equal("org1-node1", config.NodeName);
        Assert.Equal("solo", ChainConfig.Load(config.GenesisFile).Consensus.Engine);
    }

    [Fact]
    public void Create_RefusesADirectoryThatIsNotEmptyAndLeavesItAsItWas()
    {
        string dir = _temp.Combine("busy");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "notes.txt"), "mine");

        var e = Assert.Throws<CliException>(() => NetworkGenerator.Create(dir, new NetworkSpec()));

        Assert.Contains("is not empty", e.Message, StringComparison.Ordinal);
        Assert.Equal([Path.Combine(dir, "notes.txt")], Directory.GetFileSystemEntries(dir));
        Assert.Single(Directory.GetFileSystemEntries(_temp.Path));
    }

    [Fact]
    public void Create_RefusesAFileAndUsesAnEmptyDirectory()
    {
        string file = _temp.Combine("file");
        File.WriteAllText(file, "x");
        Assert.Contains("is a file", Assert.Throws<CliException>(() => NetworkGenerator.Create(file, new NetworkSpec())).Message, StringComparison.Ordinal);

        string empty = _temp.Combine("empty");
        Directory.CreateDirectory(empty);
        NetworkGenerator.Create(empty, new NetworkSpec { Orgs = 1, BasePort = 20900 });
        Assert.True(File.Exists(Path.Combine(empty, "network.json")));
    }

    [Theory]
    [InlineData(0, 1, 8545, "--orgs must be from 1 to 64, got 0")]
    [InlineData(1, 0, 8545, "--nodes-per-org must be from 1 to 64, got 0")]
    [InlineData(9, 8, 8545, "--orgs 9 × --nodes-per-org 8 = 72 nodes; the limit on one machine is 64")]
    [InlineData(4, 1, 64535, "--base-port 64535 does not fit")]
    [InlineData(4, 1, 0, "--base-port 0 does not fit")]
    public void Create_RefusesABadSpecNamingTheOptionAndWritesNothing(int orgs, int perOrg, int basePort, string message)
    {
        string dir = _temp.Combine("net");

        var e = Assert.Throws<CliException>(() => NetworkGenerator.Create(dir, new NetworkSpec { Orgs = orgs, NodesPerOrg = perOrg, BasePort = basePort }));

        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir));
    }

    private static byte[] PemDer(string pem)
    {
        string body = pem.Replace("-----BEGIN CERTIFICATE-----", string.Empty, StringComparison.Ordinal)
            .Replace("-----END CERTIFICATE-----", string.Empty, StringComparison.Ordinal);
        return Convert.FromBase64String(string.Concat(body.Where(c => !char.IsWhiteSpace(c))));
    }

    private static byte[] Keccak(byte[] data) => CryptoSuites.Standard.Hash(data).ToArray();

    private sealed class ManifestComparer : IEqualityComparer<NetworkManifest>
    {
        public bool Equals(NetworkManifest? x, NetworkManifest? y) =>
            x!.ChainId == y!.ChainId && x.Consensus == y.Consensus && x.Crypto == y.Crypto && x.BasePort == y.BasePort && x.Nodes.SequenceEqual(y.Nodes);

        public int GetHashCode(NetworkManifest obj) => obj.ChainId.GetHashCode();
    }
}
