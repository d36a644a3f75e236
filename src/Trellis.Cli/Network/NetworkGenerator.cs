using System.Globalization;
using System.Text;
using System.Text.Json;
using Trellis.Core;
using Trellis.Crypto;
using Trellis.Ledger.Genesis;
using Trellis.Network.Certificates;
using Trellis.Node;
using Trellis.Node.JsonRpc;
using LedgerNodeConfig = Trellis.Ledger.Genesis.NodeConfig;
using NodeFileConfig = Trellis.Node.NodeConfig;

namespace Trellis.Cli.Network;

/// <summary>
/// Writes a new network directory (contracts2.md C): per organisation a CA and an admin key and certificate, per node
/// a ledger signing key on the suite's curve, a TLS certificate issued by its organisation's CA that carries the
/// signing address, an admin API key (admin.key, for the admin_* methods from loopback) and node.json; then genesis.json, accounts.json and network.json. Everything is generated in a
/// hidden sibling directory and moved into place at the end, so a failure never leaves half a network behind.
/// Private keys are written for the owner only (0600).
/// </summary>
internal static class NetworkGenerator
{
    /// <summary>10^24 wei (one million ether) per development account.</summary>
    public static readonly UInt256 AccountBalance = UInt256.Parse("1000000000000000000000000");

    /// <summary>
    /// The block gas limit of a new network: sized to the 200 ms interval. 30,000,000 (Ethereum's, for 12 s blocks)
    /// capped a 200 ms block at 1,428 transfers or about 500 ERC-20 transfers, so block size, not CPU, bounded
    /// throughput (docs/performance.md); 100,000,000 executes in well under the view timeout.
    /// </summary>
    public const ulong DefaultBlockGasLimit = 100_000_000;

    /// <summary>Most transactions per block of a new network.</summary>
    public const int MaxTransactionsPerBlock = 10_000;

    private const string WarningText =
        "The private keys in accounts.json (and every *.key file under orgs/ and nodes/) are stored in the clear and are\n" +
        "for DEVELOPMENT ONLY. Anyone who can read this directory can spend from these accounts and impersonate these\n" +
        "nodes. Never fund them on a chain that matters, and never reuse them outside this development network.\n";

    /// <summary>
    /// Creates the network described by <paramref name="spec"/> in <paramref name="directory"/>, which must not exist
    /// or be empty.
    /// </summary>
    /// <exception cref="CliException">The spec is invalid, or the directory is a file or not empty.</exception>
    public static NetworkManifest Create(string directory, NetworkSpec spec)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        string root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        if (File.Exists(root))
        {
            throw new CliException($"'{root}' is a file, not a directory");
        }

        if (Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any())
        {
            throw new CliException($"'{root}' is not empty and holds no Trellis network ({NetworkManifest.FileName} is missing); pick an empty or new directory");
        }

        string parent = Path.GetDirectoryName(root) ?? throw new CliException($"'{root}' cannot be a network directory (it has no parent)");
        Directory.CreateDirectory(parent);
        string staging = Path.Combine(parent, "." + Path.GetFileName(root) + ".creating-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            NetworkManifest manifest = Write(new NetworkLayout(staging), spec);
            if (Directory.Exists(root))
            {
                Directory.Delete(root);
            }

            Directory.Move(staging, root);
            return manifest;
        }
        catch
        {
            TryDelete(staging);
            throw;
        }
    }

    private static NetworkManifest Write(NetworkLayout layout, NetworkSpec spec)
    {
        ICryptoSuite suite = spec.Suite;
        CreatePrivateDirectory(layout.Directory);
        var members = new List<MemberConfig>(spec.OrgCount);
        var genesisNodes = new List<LedgerNodeConfig>(spec.NodeCount);
        var manifestNodes = new List<NetworkNode>(spec.NodeCount);
        var authorities = new List<CertificateAuthority>(spec.OrgCount);
        try
        {
            for (int k = 1; k <= spec.OrgCount; k++)
            {
                string org = "org" + k.ToString(CultureInfo.InvariantCulture);
                CertificateAuthority authority = CertificateAuthority.Create(org, suite);
                authorities.Add(authority);
                Address admin = WriteOrg(layout, suite, org, authority);

                // The admin key acts for the organisation in governance (docs/governance.md "Who acts for a member").
                members.Add(new MemberConfig { Name = org, CaCertificate = authority.ExportCertificatePem(), Admins = [admin] });
            }

            int perOrg = spec.IsSolo ? 1 : spec.NodesPerOrg;
            for (int k = 1; k <= spec.OrgCount; k++)
            {
                for (int m = 1; m <= perOrg; m++)
                {
                    int index = manifestNodes.Count;
                    string org = "org" + k.ToString(CultureInfo.InvariantCulture);
                    string name = org + "-node" + m.ToString(CultureInfo.InvariantCulture);
                    var rpc = new Uri($"http://{HostInUrl(spec.Host)}:{(spec.BasePort + index).ToString(CultureInfo.InvariantCulture)}");
                    string? p2p = spec.IsSolo ? null : $"{HostInUrl(spec.Host)}:{(spec.BasePort + 1000 + index).ToString(CultureInfo.InvariantCulture)}";
                    manifestNodes.Add(new NetworkNode(name, org, "validator", rpc, p2p, "nodes/" + name));
                    genesisNodes.Add(WriteNodeKeys(layout, suite, name, org, authorities[k - 1], withRoot: false));
                }
            }
        }
        finally
        {
            foreach (CertificateAuthority authority in authorities)
            {
                authority.Dispose();
            }
        }

        foreach (NetworkNode node in manifestNodes)
        {
            WriteNodeConfig(layout, spec, node, manifestNodes);
        }

        var alloc = new Dictionary<Address, GenesisAccount>(spec.AccountCount);
        var accounts = new List<(Address Address, PrivateKey Key)>(spec.AccountCount);
        for (int i = 0; i < spec.AccountCount; i++)
        {
            PrivateKey key = suite.GeneratePrivateKey();
            Address address = suite.ToAddress(suite.DerivePublicKey(key));
            accounts.Add((address, key));
            alloc[address] = new GenesisAccount { Balance = AccountBalance };
        }

        var chain = new ChainConfig
        {
            ChainId = spec.ChainId,
            Suite = suite,
            Consensus = new ConsensusConfig
            {
                Engine = spec.Consensus,
                BlockIntervalMs = spec.BlockIntervalMs,
                MaxTransactionsPerBlock = MaxTransactionsPerBlock,

                // A round that waits for a crashed leader costs one view timeout: long enough for four processes on
                // two busy cores to execute and vote, short enough that a stopped node costs seconds, not tens.
                ViewTimeoutMs = Math.Max(2_000, spec.BlockIntervalMs * 10),
            },
            BlockGasLimit = spec.BlockGasLimit,
            Alloc = alloc,
            Members = members,
            Nodes = genesisNodes,
        };

        WritePrivate(layout.AccountsFile, AccountsJson(accounts));
        WritePrivate(layout.WarningFile, WarningText);
        WritePrivate(layout.GenesisFile, chain.ToJson());
        var manifest = new NetworkManifest
        {
            ChainId = spec.ChainId,
            Consensus = spec.Consensus,
            Crypto = spec.Crypto,
            BasePort = spec.BasePort,
            Nodes = manifestNodes,
        };

        // Written last: its presence is what marks a complete network.
        WritePrivate(layout.ManifestFile, manifest.ToJson());
        return manifest;
    }

    private static Address WriteOrg(NetworkLayout layout, ICryptoSuite suite, string org, CertificateAuthority authority)
    {
        // ca.crt and ca.key (plus tls-ca.crt and tls-ca.key in the national suite: the P-256 TLS CA the SM2 root
        // certifies; see docs/identity.md), as `trellis ca init` writes them.
        string directory = layout.OrgDirectory(org);
        CreatePrivateDirectory(directory);
        authority.WriteTo(directory);

        // The admin acts for the organisation on the ledger (governance votes), so its key is on the suite's curve.
        PrivateKey adminKey = suite.GeneratePrivateKey();
        PublicKey adminPublic = suite.DerivePublicKey(adminKey);
        using AdminCertificate adminCertificate = authority.IssueAdminCertificate(org + "-admin", adminPublic);
        WritePrivate(Path.Combine(directory, "admin.crt"), adminCertificate.ExportCertificatePem());
        WritePrivate(Path.Combine(directory, "admin.key"), KeyEncoding.ExportPrivateKeyPem(suite.Curve, adminKey.Bytes, adminPublic.Bytes));
        return suite.ToAddress(adminPublic);
    }

    /// <summary>
    /// Adds an organisation's files to an existing network directory (orgs/&lt;org&gt;: CA, admin key and certificate,
    /// as <c>up</c> writes them) for <c>trellis org add</c>; the ledger learns of it only by a vote. Nothing is written
    /// when <c>orgs/&lt;org&gt;</c> already exists.
    /// </summary>
    /// <returns>The CA certificate's fingerprint and the admin account, the arguments of <c>proposeAddMember</c>.</returns>
    /// <exception cref="CliException">The name is unsafe or the organisation's directory exists.</exception>
    public static (Hash256 CaFingerprint, Address Admin) AppendOrg(NetworkLayout layout, ICryptoSuite suite, string org)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(suite);
        if (!NetworkManifest.IsSafeName(org))
        {
            throw new CliException($"organisation name \"{org}\" is not 1 to 64 of A-Z a-z 0-9 . _ - (not starting with a dot)");
        }

        string directory = layout.OrgDirectory(org);
        if (Directory.Exists(directory))
        {
            throw new CliException($"organisation {org} already has a directory '{directory}'; pick another name");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(directory)!);
        try
        {
            using CertificateAuthority authority = CertificateAuthority.Create(org, suite);
            Address admin = WriteOrg(layout, suite, org, authority);
            return (authority.Fingerprint, admin);
        }
        catch
        {
            TryDelete(directory);
            throw;
        }
    }

    /// <summary>
    /// Writes a new node of <paramref name="org"/> into an existing networked (hotstuff or raft) directory for
    /// <c>trellis node add</c>: signing key, TLS certificate from the organisation's CA under orgs/&lt;org&gt;, and
    /// node.json with every listed node as a peer. It takes the next port pair after the highest in use
    /// (basePort + i, basePort + 1000 + i), so removed nodes never make two nodes share a port. network.json is not
    /// changed here (<see cref="AppendToManifest"/> does that once the ledger admitted the node).
    /// </summary>
    /// <exception cref="CliException">A solo network, an organisation without a CA in the directory, or no free name.</exception>
    public static (NetworkNode Node, LedgerNodeConfig Entry) AppendNode(NetworkLayout layout, NetworkManifest manifest, ICryptoSuite suite, string org, string role)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(suite);
        if (manifest.Consensus == "solo" || manifest.Nodes.Count == 0 || manifest.Nodes[0].P2p is null)
        {
            throw new CliException($"'{layout.Directory}' holds a solo network, which has no peer network; nodes can be added to hotstuff and raft networks");
        }

        if (role is not ("validator" or "observer"))
        {
            throw new CliException($"node role must be validator or observer, got \"{role}\"");
        }

        string orgDirectory = layout.OrgDirectory(org);
        if (!File.Exists(Path.Combine(orgDirectory, "ca.key")))
        {
            throw new CliException($"organisation {org} has no CA in '{orgDirectory}' (ca.crt and ca.key); only organisations of this directory can add nodes");
        }

        int m = 1;
        string name;
        do
        {
            name = org + "-node" + (m++).ToString(CultureInfo.InvariantCulture);
        }
        while (Directory.Exists(layout.NodeDirectory(name)) || manifest.Nodes.Any(n => n.Name == name));

        if (!NetworkManifest.IsSafeName(name))
        {
            throw new CliException($"node name \"{name}\" is not a safe name; pick a shorter organisation name");
        }

        int index = 0;
        foreach (NetworkNode existing in manifest.Nodes)
        {
            index = Math.Max(index, existing.RpcPort - manifest.BasePort + 1);
        }

        NetworkNode first = manifest.Nodes[0];
        string host = first.RpcHost;
        var rpc = new Uri($"http://{HostInUrl(host)}:{(manifest.BasePort + index).ToString(CultureInfo.InvariantCulture)}");
        string p2p = $"{HostInUrl(first.P2pHost!)}:{(manifest.BasePort + 1000 + index).ToString(CultureInfo.InvariantCulture)}";
        var node = new NetworkNode(name, org, role, rpc, p2p, "nodes/" + name);
        try
        {
            LedgerNodeConfig entry;
            using (CertificateAuthority authority = CertificateAuthority.ReadFrom(orgDirectory))
            {
                entry = WriteNodeKeys(layout, suite, name, org, authority, withRoot: true);
            }

            var all = new List<NetworkNode>(manifest.Nodes) { node };
            var spec = new NetworkSpec { Consensus = manifest.Consensus, Crypto = manifest.Crypto, BasePort = manifest.BasePort, Host = host, ChainId = manifest.ChainId };
            WriteNodeConfig(layout, spec, node, all);
            return (node, new LedgerNodeConfig
            {
                Name = entry.Name,
                Org = entry.Org,
                Role = role == "observer" ? NodeRole.Observer : NodeRole.Validator,
                PublicKey = entry.PublicKey,
                Address = entry.Address,
                TlsCertificateFingerprint = entry.TlsCertificateFingerprint,
            });
        }
        catch
        {
            TryDelete(layout.NodeDirectory(name));
            throw;
        }
    }

    /// <summary>Rewrites network.json with <paramref name="nodes"/> (through a temporary file, so a reader never sees half of it).</summary>
    public static NetworkManifest ReplaceNodes(NetworkLayout layout, NetworkManifest manifest, IReadOnlyList<NetworkNode> nodes)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(manifest);
        NetworkManifest updated = manifest with { Nodes = nodes };
        string temporary = layout.ManifestFile + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        WritePrivate(temporary, updated.ToJson());
        File.Move(temporary, layout.ManifestFile, overwrite: true);
        return updated;
    }

    /// <summary>Appends <paramref name="node"/> to network.json.</summary>
    public static NetworkManifest AppendToManifest(NetworkLayout layout, NetworkManifest manifest, NetworkNode node)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return ReplaceNodes(layout, manifest, [.. manifest.Nodes, node]);
    }

    private static LedgerNodeConfig WriteNodeKeys(NetworkLayout layout, ICryptoSuite suite, string name, string org, CertificateAuthority authority, bool withRoot)
    {
        string directory = layout.NodeDirectory(name);
        CreatePrivateDirectory(directory);
        PrivateKey signingKey = suite.GeneratePrivateKey();
        PublicKey publicKey = suite.DerivePublicKey(signingKey);
        Address address = suite.ToAddress(publicKey);
        WritePrivate(Path.Combine(directory, "signing.key"), KeyEncoding.ExportPrivateKeyPem(suite.Curve, signingKey.Bytes, publicKey.Bytes));
        using NodeCertificate certificate = authority.IssueNodeCertificate(name, address);
        // With its TLS CA after it in the national suite, so that peers receive the chain up to the member root.
        // A node added after genesis (withRoot) also carries its organisation's root: genesis does not list that CA, so
        // the node checks its own certificate against it on start.
        WritePrivate(Path.Combine(directory, "tls.crt"), withRoot ? certificate.ExportChainPem() + authority.ExportCertificatePem() + "\n" : certificate.ExportChainPem());
        WritePrivate(Path.Combine(directory, "tls.key"), certificate.ExportPrivateKeyPem());
        return new LedgerNodeConfig
        {
            Name = name,
            Org = org,
            Role = NodeRole.Validator,
            PublicKey = publicKey,
            Address = address,
            TlsCertificateFingerprint = certificate.Fingerprint.ToArray(),
        };
    }

    private static void WriteNodeConfig(NetworkLayout layout, NetworkSpec spec, NetworkNode node, List<NetworkNode> all)
    {
        // The node's own writer (contracts2.md B): a networked node gets its signing key, its TLS identity and every
        // other node as a peer; a solo node needs none of them.
        string directory = layout.NodeDirectory(node.Name);
        P2pConfig? p2p = null;
        if (!spec.IsSolo)
        {
            var peers = new List<string>(all.Count - 1);
            foreach (NetworkNode other in all)
            {
                if (!ReferenceEquals(other, node))
                {
                    peers.Add(other.P2p!);
                }
            }

            p2p = new P2pConfig
            {
                ListenHost = node.P2pHost!,
                ListenPort = node.P2pPort,
                CertificateFile = Path.Combine(directory, "tls.crt"),
                PrivateKeyFile = Path.Combine(directory, "tls.key"),
                Peers = peers,

                // No memberCaDirectory: a node of a member admitted later sends its CA in its hello.
            };
        }

        string adminKey = Path.Combine(directory, "admin.key");
        AdminApiKey.CreateFile(adminKey);
        var config = new NodeFileConfig
        {
            DataDir = Path.Combine(directory, "data"),
            GenesisFile = layout.GenesisFile,
            NodeName = node.Name,
            RpcHost = spec.Host,
            RpcPort = node.RpcPort,
            SigningKeyFile = spec.IsSolo ? null : Path.Combine(directory, "signing.key"),
            P2p = p2p,

            // The operator's key to the admin_* methods (Authorization: Bearer <key>), from loopback only.
            Admin = new AdminConfig { Enabled = true, ApiKeyFile = adminKey, AllowRemote = false },
        };
        WritePrivate(layout.NodeConfigFile(node.Name), config.ToJson(directory));
    }

    private static string AccountsJson(List<(Address Address, PrivateKey Key)> accounts)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartArray();
            foreach ((Address address, PrivateKey key) in accounts)
            {
                writer.WriteStartObject();
                writer.WriteString("address", address.ToString());
                writer.WriteString("privateKey", key.ToHex());
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static string HostInUrl(string host) => host.Contains(':', StringComparison.Ordinal) ? "[" + host + "]" : host;

    private static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private static void WritePrivate(string path, string text)
    {
        // Created with 0600 from the start: a key must never be readable by others, not even for a moment.
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(path, options);
        byte[] bytes = new UTF8Encoding(false).GetBytes(text);
        stream.Write(bytes);
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a hidden staging directory left behind is harmless and named for what it is.
        }
    }
}
