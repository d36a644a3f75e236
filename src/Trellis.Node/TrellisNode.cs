using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Trellis.Consensus;
using Trellis.Consensus.Solo;
using Trellis.Core;
using Trellis.Crypto;
using Trellis.Ledger.Blocks;
using Trellis.Ledger.Execution;
using Trellis.Ledger.Genesis;
using Trellis.Ledger.Governance;
using Trellis.Ledger.Pool;
using Trellis.Ledger.Storage;
using Trellis.Network;
using Trellis.Network.Admission;
using Trellis.Network.Certificates;
using Trellis.Node.Engines;
using Trellis.Node.JsonRpc;
using Trellis.Node.P2p;
using Trellis.Node.Rpc;
using Trellis.State;
using Trellis.State.Storage;
using LedgerNodeConfig = Trellis.Ledger.Genesis.NodeConfig;

namespace Trellis.Node;

/// <summary>
/// One running node: its SQLite store (<c>DATA/chain.db</c>) with the chain from genesis, the transaction pool,
/// the consensus engine (solo, or a networked engine by name from a <see cref="NetworkedEngineRegistry"/>), the peer
/// network for networked engines, and the JSON-RPC server. <see cref="StartAsync(NodeConfig, ILoggerFactory?, CancellationToken)"/>
/// brings it up; disposing shuts it down cleanly (RPC first, so nothing new arrives; block sync; the engine after its
/// block in progress; the peer network; then the store).
/// </summary>
public sealed partial class TrellisNode : IAsyncDisposable
{
    /// <summary>The node's copy of the chain configuration inside the data directory.</summary>
    public const string GenesisCopyFileName = "genesis.json";

    private readonly ILogger _logger;
    private readonly SqliteStore _store;
    private readonly EthBackend _backend;
    private readonly EthRpcService _rpc;
    private readonly JsonRpcHost _host;
    private readonly PeerNetwork? _network;
    private readonly NodeCertificate? _certificate;
    private int _disposed;

    private TrellisNode(NodeParts parts, JsonRpcHost host, ILogger logger)
    {
        Config = parts.Config;
        Chain = parts.Chain;
        Name = parts.Self.Name;
        _store = parts.Store;
        Blocks = parts.Blocks!;
        Pool = parts.Pool!;
        Engine = parts.Engine!;
        _backend = parts.Backend!;
        _rpc = parts.Rpc!;
        _network = parts.Network;
        _certificate = parts.Certificate;
        _host = host;
        _logger = logger;
    }

    /// <summary>The node's configuration.</summary>
    public NodeConfig Config { get; }

    /// <summary>The chain's configuration.</summary>
    public ChainConfig Chain { get; }

    /// <summary>The node's name (its entry in the genesis node list, or in the registry for a node added later).</summary>
    public string Name { get; }

    /// <summary>The committed chain.</summary>
    public BlockStore Blocks { get; }

    /// <summary>Pending transactions.</summary>
    public TxPool Pool { get; }

    /// <summary>The consensus engine.</summary>
    public IConsensusEngine Engine { get; }

    /// <summary>The peer network (gossip, announcements, block sync), or null for a node without one (solo).</summary>
    public PeerNetwork? Network => _network;

    /// <summary>The bound JSON-RPC address (HTTP; the same port serves WebSocket).</summary>
    public Uri RpcAddress => _host.Address;

    /// <summary>The bound peer-network address, or null without a peer network.</summary>
    public System.Net.IPEndPoint? P2pEndpoint => _network?.Host.LocalEndpoint;

    /// <summary>Completes when the engine stops; faulted if it failed (the node should then be shut down).</summary>
    public Task Completion => Engine.Completion;

    /// <summary>What <c>trellis_status</c> reports now.</summary>
    public NodeStatus Status => new(
        Name,
        Blocks.Head?.Height ?? 0,
        Engine is INetworkedConsensusEngine networked ? networked.Role : "solo",
        _network?.PeerCount ?? 0,
        Chain.Consensus.Engine,
        Chain.ChainId,
        NodeStatus.IsSyncing(_network?.IsSyncing ?? false, Blocks.Head?.Height ?? 0, _network?.Synchronizer.HighestKnownHeight ?? 0));

    /// <summary>
    /// Opens the store (creating the genesis block on first start), starts the engine and serves JSON-RPC; for a
    /// networked engine also loads the signing key and TLS identity and joins the peer network.
    /// </summary>
    /// <exception cref="NodeStartException">The configuration, genesis file, key or certificate files, data directory,
    /// RPC port or peer port cannot be used, or the engine is not available; the message names it.</exception>
    public static Task<TrellisNode> StartAsync(NodeConfig config, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default) =>
        StartAsync(config, new NodeStartOptions(), loggerFactory, cancellationToken);

    /// <summary>Starts a node as <see cref="StartAsync(NodeConfig, ILoggerFactory?, CancellationToken)"/> does, with the given engines and tuning.</summary>
    /// <exception cref="NodeStartException">As the other overload.</exception>
    public static async Task<TrellisNode> StartAsync(NodeConfig config, NodeStartOptions options, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(options);
        // admin_setLogLevel turns this switch; every logger the node creates asks it.
        var logLevels = new LogLevelSwitch(config.LogLevel);
        loggerFactory = logLevels.Wrap(loggerFactory ?? NullLoggerFactory.Instance);
        ILogger logger = loggerFactory.CreateLogger<TrellisNode>();
        AdminAccess adminAccess = NodeAdminOperations.LoadAccess(config, logger);

        ChainConfig chain = LoadChain(config);
        string engineName = chain.Consensus.Engine;
        bool networked = !string.Equals(engineName, "solo", StringComparison.Ordinal);
        NetworkedEngineFactory? factory = null;
        if (networked)
        {
            if (!options.Engines.TryGet(engineName, out factory))
            {
                IReadOnlyList<string> available = options.Engines.Names;
                throw new NodeStartException(
                    $"consensus engine '{engineName}' in {config.GenesisFile} is not available in this build (available: solo{(available.Count > 0 ? ", " + string.Join(", ", available) : string.Empty)})");
            }

            if (config.P2p is null)
            {
                throw new NodeStartException($"consensus engine '{engineName}' needs a peer network, but the node configuration has no p2p section");
            }
        }
        else if (config.P2p is not null)
        {
            LogSoloIgnoresP2p(logger);
        }

        LedgerNodeConfig self;
        PrivateKey? signingKey;
        NetworkIdentity? identity = null;
        if (FindSelf(config, chain, networked) is { } listed)
        {
            self = listed;
            signingKey = LoadSigningKey(config, chain, self);
            if (networked && self.Role == NodeRole.Validator && signingKey is null)
            {
                throw new NodeStartException($"node '{self.Name}' is a {engineName} validator and needs its ledger signing key: set signingKeyFile in the node configuration");
            }

            identity = networked ? LoadNetworkIdentity(config, chain, self, logger) : null;
        }
        else
        {
            // A node admitted after genesis (trellis node add): its identity comes from its own files, checked against
            // each other; whether it is admitted, and as what, is a ledger fact it learns by syncing.
            try
            {
                (self, signingKey, identity) = LoadJoinerIdentity(config, chain, logger);
            }
            catch (NodeStartException e) when (!e.Message.StartsWith("nodeName ", StringComparison.Ordinal))
            {
                // Say why these files were checked at all: a mistyped nodeName of a genesis node lands here too.
                throw new NodeStartException($"nodeName '{config.NodeName}' is not among the nodes of {config.GenesisFile}, so it is taken for a node added after genesis, whose own files must agree: {e.Message}", e);
            }

            LogNotInGenesis(logger, self.Name, self.Address.ToLowerHex(), self.Org);
        }

        var parts = new NodeParts(config, chain, self, identity?.Certificate);
        try
        {
            PrepareDataDirectory(config);
            parts.Store = OpenStore(config);
            var blocks = new BlockStore(parts.Store, chain.Suite);
            try
            {
                // Refuses a data directory of another chain, including one with the same genesis but another chain id.
                blocks.Initialize(chain);
            }
            catch (Exception e) when (e is LedgerStoreException or ArgumentException)
            {
                throw new NodeStartException($"data directory '{config.DataDir}' cannot be used with {config.GenesisFile}: {e.Message}", e);
            }

            parts.Blocks = blocks;
            BlockHeader head = blocks.Head!;
            // On a permissioned chain the pool refuses senders without rights, from the governance state at the head.
            var permissions = new GovernancePermissionPolicy(new WorldState(parts.Store, chain.Suite, head.StateRoot));
            parts.Pool = new TxPool(chain, chain.Suite, new HeadStateReader(new WorldState(parts.Store, chain.Suite, head.StateRoot)), permissions);
            var executor = new BlockExecutor(chain.Suite, chain);
            if (factory is null)
            {
                parts.Engine = new SoloEngine(SoloEngineOptions.FromChain(chain, self.Address), chain.Suite, parts.Store, blocks, executor, parts.Pool);
            }
            else
            {
                INetworkedConsensusEngine engine = CreateEngine(factory, new EngineContext
                {
                    Chain = chain,
                    Suite = chain.Suite,
                    Store = parts.Store,
                    Blocks = blocks,
                    Executor = executor,
                    Pool = parts.Pool,
                    // A key that is not a genesis validator's makes both engines observers (HotStuffEngine and
                    // RaftEngine look the key up in this list and do not vote or propose without a place in it):
                    // a node added after genesis follows and syncs committed blocks until its role takes effect.
                    SigningKey = signingKey,
                    Validators = Validators(chain),
                    Self = self,
                    DataDirectory = config.DataDir,
                    Logger = loggerFactory.CreateLogger("Trellis.Consensus." + engineName),
                    Time = TimeProvider.System,
                });
                parts.Engine = engine;

                // Who may connect follows the governance state at the head (the genesis state on a new chain).
                string? caDirectory = config.P2p!.MemberCaDirectory;
                Func<IEnumerable<X509Certificate2>>? localAuthorities = caDirectory is null ? null : () => ReadMemberCaDirectory(caDirectory, logger);
                var admission = new GovernanceAdmission(identity!.KnownAuthorities, localAuthorities, new WorldState(parts.Store, chain.Suite, head.StateRoot), head.Height);
                parts.Network = await JoinNetworkAsync(config, chain, identity, admission, signingKey, engine, blocks, options.PeerNetwork, loggerFactory, cancellationToken).ConfigureAwait(false);
                PeerNetwork network = parts.Network;
                SqliteStore admissionStore = parts.Store;
                engine.BlockCommitted += (_, e) =>
                {
                    // Within one block of a removal taking effect: the policy is for head + 1, so a node whose removal
                    // activates at h + 2 is dropped when block h + 1 commits.
                    try
                    {
                        if (admission.OnCommitted(e.Block, e.Receipts, () => new WorldState(admissionStore, chain.Suite, e.Block.Header.StateRoot)))
                        {
                            // Closing connections is network work: never on the engine's thread.
                            _ = Task.Run(network.EnforceAdmission, CancellationToken.None);
                        }
                    }
                    catch (Exception failure) when (failure is ArgumentException or InvalidOperationException or LedgerStoreException)
                    {
                        // The previous policy stays in force; consensus must not stop over it.
                        LogAdmissionNotUpdated(logger, e.Block.Header.Height, failure.Message);
                    }
                };
            }

            IConsensusEngine started = parts.Engine;
            parts.Backend = new EthBackend(chain, parts.Store, blocks, parts.Pool, started) { Network = parts.Network };
            SqliteStore store = parts.Store;
            started.BlockCommitted += (_, e) =>
            {
                permissions.OnNewHead(new WorldState(store, chain.Suite, e.Block.Header.StateRoot));
                LogBlock(logger, e.Block.Header.Height, e.Block.Transactions.Count, e.Block.Header.GasUsed, e.Hash);
            };

            var registry = new JsonRpcMethodRegistry();
            parts.Rpc = new EthRpcService(parts.Backend, new EthRpcOptions(), logger: loggerFactory.CreateLogger<EthRpcService>());
            parts.Rpc.Register(registry);
            TrellisNode? node = null;
            new TrellisStatusService(() => node?.Status ?? StatusBeforeStart(parts)).Register(registry);
            new BlockCertificateService(blocks, started).Register(registry);
            var admin = new NodeAdminOperations(self, chain.ChainId, engineName, parts.Certificate?.Fingerprint, parts.Network, logLevels, loggerFactory.CreateLogger<NodeAdminOperations>());
            new AdminRpcService(admin).Register(registry);
            var server = new JsonRpcServer(registry, config.Rpc, loggerFactory.CreateLogger<JsonRpcServer>()) { Admin = adminAccess };
            JsonRpcHost host;
            try
            {
                host = await JsonRpcHost.StartAsync(server, config.RpcUrl, builder => builder.AddProvider(new ForwardingLoggerProvider(loggerFactory)), cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                throw new NodeStartException($"cannot serve JSON-RPC on {config.RpcUrl}: {Innermost(e).Message}", e);
            }

            host.HealthProblem = () => started.Completion.IsCompleted
                ? $"consensus engine '{engineName}' stopped{(started.Completion.Exception is { } failure ? ": " + failure.InnerException?.Message : string.Empty)}"
                : null;
            parts.Rpc.Start();
            started.Start();
            parts.Network?.StartProcessing();
            node = new TrellisNode(parts, host, logger);
            LogStarted(logger, self.Name, chain.ChainId, engineName, head.Height, blocks.HeadHash, host.Address);
            return node;
        }
        catch
        {
            await parts.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Shuts the node down: RPC (nothing new arrives), block sync (it calls into the engine), the engine (after its
    /// block in progress), the peer network, then the store.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        LogStopping(_logger, Blocks.Head?.Height ?? 0);
        await _host.DisposeAsync().ConfigureAwait(false);
        if (_network is not null)
        {
            await _network.StopSyncAsync().ConfigureAwait(false);
        }

        await Engine.DisposeAsync().ConfigureAwait(false);
        _backend.Complete();
        await _rpc.DisposeAsync().ConfigureAwait(false);
        if (_network is not null)
        {
            await _network.DisposeAsync().ConfigureAwait(false);
        }

        _store.Dispose();
        _certificate?.Dispose();
    }

    private static NodeStatus StatusBeforeStart(NodeParts parts) =>
        new(parts.Self.Name, parts.Blocks?.Head?.Height ?? 0, "starting", 0, parts.Chain.Consensus.Engine, parts.Chain.ChainId, false);

    private static INetworkedConsensusEngine CreateEngine(NetworkedEngineFactory factory, EngineContext context)
    {
        try
        {
            return factory(context);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or FormatException)
        {
            throw new NodeStartException($"consensus engine '{context.Chain.Consensus.Engine}' cannot be created: {e.Message}", e);
        }
    }

    private static List<LedgerNodeConfig> Validators(ChainConfig chain)
    {
        var validators = new List<LedgerNodeConfig>();
        foreach (LedgerNodeConfig node in chain.Nodes)
        {
            if (node.Role == NodeRole.Validator)
            {
                validators.Add(node);
            }
        }

        return validators;
    }

    private static async Task<PeerNetwork> JoinNetworkAsync(
        NodeConfig config, ChainConfig chain, NetworkIdentity identity, GovernanceAdmission admission, PrivateKey? signingKey, INetworkedConsensusEngine engine, BlockStore blocks, PeerNetworkOptions options, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        P2pConfig p2p = config.P2p!;
        var networkOptions = new NetworkOptions
        {
            ListenEndpoint = p2p.ListenEndpoint,
            Peers = p2p.PeerEndpoints,

            // Nodes of different chains refuse each other at the hello, before any message is exchanged.
            NetworkId = "trellis-" + chain.ChainId.ToString(CultureInfo.InvariantCulture),
        };
        // With the suite and the ledger key, each side proves in the hello that it holds the signing key its
        // certificate names; validators that cannot are refused. An observer without a key sends an empty proof.
        var host = new NetworkHost(identity.Certificate, admission, networkOptions, chain.Suite, signingKey, loggerFactory.CreateLogger<NetworkHost>());
        var network = new PeerNetwork(host, engine, blocks, identity.Addresses, networkOptions.MaxFrameSize, options, loggerFactory) { Admission = admission };
        engine.Connect(network.Consensus);
        try
        {
            await network.StartListeningAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            await network.DisposeAsync().ConfigureAwait(false);
            throw new NodeStartException($"cannot listen for peers on {networkOptions.ListenEndpoint} (p2p.listenHost, p2p.listenPort): {e.Message}", e);
        }

        return network;
    }

    private static ChainConfig LoadChain(NodeConfig config)
    {
        try
        {
            return ChainConfig.Load(config.GenesisFile);
        }
        catch (ConfigException e)
        {
            throw new NodeStartException($"genesis file {config.GenesisFile}: {e.Message}", e);
        }
    }

    /// <summary>
    /// This node's genesis entry: the one named <see cref="NodeConfig.NodeName"/>, or without a name (solo only) the
    /// first validator. Null for a networked node whose name genesis does not list: a node added after genesis.
    /// </summary>
    private static LedgerNodeConfig? FindSelf(NodeConfig config, ChainConfig chain, bool networked)
    {
        if (config.NodeName is null && networked)
        {
            throw new NodeStartException($"consensus engine '{chain.Consensus.Engine}' needs nodeName in the node configuration: which of the nodes of {config.GenesisFile} this is");
        }

        foreach (LedgerNodeConfig node in chain.Nodes)
        {
            if (config.NodeName is null ? node.Role == NodeRole.Validator : string.Equals(node.Name, config.NodeName, StringComparison.Ordinal))
            {
                return node;
            }
        }

        if (networked)
        {
            return null;
        }

        throw new NodeStartException(config.NodeName is null
            ? $"genesis file {config.GenesisFile} lists no validator"
            : $"nodeName '{config.NodeName}' is not among the nodes of {config.GenesisFile} (a solo chain has no peers to sync a later node from)");
    }

    /// <summary>Reads the signing key, checking its curve and that it is the key genesis gives this node.</summary>
    private static PrivateKey? LoadSigningKey(NodeConfig config, ChainConfig chain, LedgerNodeConfig self)
    {
        if (config.SigningKeyFile is not { } path)
        {
            return null;
        }

        PrivateKey key = ReadSigningKey(path, chain);
        Address address = chain.Suite.ToAddress(chain.Suite.DerivePublicKey(key));
        if (address != self.Address)
        {
            throw new NodeStartException(
                $"signingKeyFile '{path}' is the key of {address.ToLowerHex()}, but genesis gives node '{self.Name}' the address {self.Address.ToLowerHex()}");
        }

        return key;
    }

    /// <summary>Reads a PKCS#8 PEM ledger key, which must be on the chain's curve.</summary>
    private static PrivateKey ReadSigningKey(string path, ChainConfig chain)
    {
        string pem = ReadText(path, "signingKeyFile");
        PrivateKey key;
        try
        {
            (CurveKind curve, byte[] bytes) = KeyEncoding.ImportPrivateKeyPem(pem);
            try
            {
                if (curve != chain.Suite.Curve)
                {
                    throw new NodeStartException($"signingKeyFile '{path}' holds a {curve} key, but the chain's {chain.Suite.Name} suite signs with {chain.Suite.Curve}");
                }

                key = chain.Suite.ImportPrivateKey(bytes);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(bytes);
            }
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            throw new NodeStartException($"signingKeyFile '{path}' is not a usable private key: {e.Message}", e);
        }

        return key;
    }

    /// <summary>
    /// Loads the node's TLS certificate and key, checks them against genesis (issued by the node's member CA, the
    /// pinned fingerprint, the signing address), and builds the admission policy from the genesis members and nodes.
    /// </summary>
    private static NetworkIdentity LoadNetworkIdentity(NodeConfig config, ChainConfig chain, LedgerNodeConfig self, ILogger logger)
    {
        P2pConfig p2p = config.P2p!;
        GenesisAuthorities genesis = ReadGenesisAuthorities(config, chain, logger);
        if (!genesis.Pems.TryGetValue(self.Org, out string? ownAuthority))
        {
            throw new NodeStartException($"node '{self.Name}' belongs to '{self.Org}', which has no caCertificate in {config.GenesisFile}; its TLS certificate cannot be checked");
        }

        string certificatePem = ReadText(p2p.CertificateFile, "p2p.certificateFile");
        string keyPem = ReadText(p2p.PrivateKeyFile, "p2p.privateKeyFile");
        NodeCertificate certificate;
        try
        {
            certificate = NodeCertificate.FromPem(certificatePem, keyPem, ownAuthority);
        }
        catch (ArgumentException e)
        {
            throw new NodeStartException($"TLS certificate '{p2p.CertificateFile}' with key '{p2p.PrivateKeyFile}' cannot be used: {e.Message}", e);
        }

        string? problem = null;
        if (self.TlsCertificateFingerprint is not { } expected)
        {
            problem = $"genesis pins no tlsCertificateFingerprint for node '{self.Name}', so peers would refuse it";
        }
        else if (new Hash256(expected.Span) != certificate.Fingerprint)
        {
            problem = $"its fingerprint is {certificate.Fingerprint}, but genesis pins {new Hash256(expected.Span)} for node '{self.Name}'";
        }
        else if (certificate.SigningAddress != self.Address)
        {
            problem = $"it carries signing address {certificate.SigningAddress.ToLowerHex()}, but genesis gives node '{self.Name}' {self.Address.ToLowerHex()}";
        }

        if (problem is not null)
        {
            certificate.Dispose();
            throw new NodeStartException($"TLS certificate '{p2p.CertificateFile}': {problem}");
        }

        return new NetworkIdentity(certificate, genesis.Policy.MemberAuthorities, genesis.Addresses);
    }

    /// <summary>
    /// The identity of a node that genesis does not list (added later by a governance vote), from its own files only:
    /// the ledger key in signingKeyFile (on the chain's curve), and the TLS certificate in p2p.certificateFile, which
    /// must match p2p.privateKeyFile, carry that key's address and the configured nodeName, be within its validity and
    /// be issued by the organisation CA that follows it in the same PEM file (or, failing that, ca.crt beside it).
    /// Whether the ledger admits the node, and with which role, is not checked here: a fresh node learns it by syncing.
    /// </summary>
    private static (LedgerNodeConfig Self, PrivateKey SigningKey, NetworkIdentity Identity) LoadJoinerIdentity(NodeConfig config, ChainConfig chain, ILogger logger)
    {
        P2pConfig p2p = config.P2p!;
        string name = config.NodeName!;
        if (config.SigningKeyFile is not { } keyPath)
        {
            throw new NodeStartException(
                $"nodeName '{name}' is not among the nodes of {config.GenesisFile}, so this node was added after genesis and needs signingKeyFile: the registry knows it by that key's address");
        }

        PrivateKey signingKey = ReadSigningKey(keyPath, chain);
        Trellis.Crypto.PublicKey publicKey = chain.Suite.DerivePublicKey(signingKey);
        Address address = chain.Suite.ToAddress(publicKey);
        GenesisAuthorities genesis = ReadGenesisAuthorities(config, chain, logger);
        string certificatePem = ReadText(p2p.CertificateFile, "p2p.certificateFile");
        string keyPem = ReadText(p2p.PrivateKeyFile, "p2p.privateKeyFile");
        (string leafPem, string authorityPem, string authorityFile) = SplitJoinerChain(p2p.CertificateFile, certificatePem);
        NodeCertificate certificate;
        try
        {
            certificate = NodeCertificate.FromPem(leafPem, keyPem, authorityPem);
        }
        catch (ArgumentException e)
        {
            throw new NodeStartException($"TLS certificate '{p2p.CertificateFile}' with key '{p2p.PrivateKeyFile}' and CA from '{authorityFile}' cannot be used: {e.Message}", e);
        }

        string? problem = null;
        CertificateValidation root = CertificateValidator.ValidateAuthority(certificate.Root, DateTime.UtcNow);
        if (!root.IsValid)
        {
            problem = $"its organisation CA from '{authorityFile}' is not a usable member CA: {root.Reason}";
        }
        else if (certificate.SigningAddress != address)
        {
            problem = $"it carries signing address {certificate.SigningAddress.ToLowerHex()}, but signingKeyFile '{keyPath}' is the key of {address.ToLowerHex()}; a node certificate must name its own ledger key";
        }
        else if (!string.Equals(certificate.Name, name, StringComparison.Ordinal))
        {
            problem = $"it is issued to node '{certificate.Name}', but nodeName is '{name}'";
        }

        if (problem is not null)
        {
            certificate.Dispose();
            throw new NodeStartException($"TLS certificate '{p2p.CertificateFile}': {problem}");
        }

        var self = new LedgerNodeConfig
        {
            Name = name,
            Org = certificate.Organisation,

            // Only a starting point: admission and role follow the registry (GovernanceAdmission, the engines).
            Role = NodeRole.Observer,
            PublicKey = publicKey,
            Address = address,
            TlsCertificateFingerprint = certificate.Fingerprint.ToArray(),
        };

        // The own organisation's CA joins the locally known anchors: it is used only while the registry lists it as a
        // member's (RegistryAdmissionPolicy ignores the others), and lets this node admit its organisation's peers.
        var known = new List<X509Certificate2>(genesis.Policy.MemberAuthorities) { X509CertificateLoader.LoadCertificate(certificate.Root.RawData) };
        return (self, signingKey, new NetworkIdentity(certificate, known, genesis.Addresses));
    }

    /// <summary>
    /// Splits the PEM file of a node added after genesis into its node certificate and the CA certificates after it (as
    /// <c>trellis node add</c> writes it); when none of those is a root, ca.crt in the same directory is added.
    /// </summary>
    private static (string Certificate, string Authorities, string AuthorityFile) SplitJoinerChain(string certificateFile, string certificatePem)
    {
        List<X509Certificate2> chain;
        try
        {
            chain = CertificatePem.ReadAll(certificatePem, $"p2p.certificateFile '{certificateFile}'");
        }
        catch (FormatException e)
        {
            throw new NodeStartException($"p2p.certificateFile '{certificateFile}' is not a readable certificate PEM: {e.Message}", e);
        }

        var authorities = new System.Text.StringBuilder();
        bool hasRoot = false;
        string leaf;
        try
        {
            leaf = chain[0].ExportCertificatePem();
            for (int i = 1; i < chain.Count; i++)
            {
                hasRoot |= chain[i].SubjectName.RawData.AsSpan().SequenceEqual(chain[i].IssuerName.RawData);
                authorities.Append(chain[i].ExportCertificatePem()).Append('\n');
            }
        }
        finally
        {
            foreach (X509Certificate2 certificate in chain)
            {
                certificate.Dispose();
            }
        }

        if (hasRoot)
        {
            return (leaf, authorities.ToString(), certificateFile);
        }

        string beside = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(certificateFile))!, "ca.crt");
        if (!File.Exists(beside))
        {
            throw new NodeStartException(
                $"p2p.certificateFile '{certificateFile}' holds no organisation CA certificate after the node certificate, and there is no '{beside}' beside it: a node outside genesis needs its CA to check its certificate");
        }

        authorities.Append(ReadText(beside, "CA certificate"));
        return (leaf, authorities.ToString(), beside);
    }

    /// <summary>
    /// The CA certificates in p2p.memberCaDirectory (each *.crt in it and each */ca.crt below it); unreadable ones are
    /// logged and skipped. Read again whenever the governance state changes, so a CA placed there before the vote that
    /// admits its organisation's node is in force for that node's first handshake.
    /// </summary>
    private static List<X509Certificate2> ReadMemberCaDirectory(string directory, ILogger logger)
    {
        var certificates = new List<X509Certificate2>();
        if (!Directory.Exists(directory))
        {
            return certificates;
        }

        var files = new List<string>();
        try
        {
            files.AddRange(Directory.GetFiles(directory, "*.crt"));
            foreach (string organisation in Directory.GetDirectories(directory))
            {
                string file = Path.Combine(organisation, "ca.crt");
                if (File.Exists(file))
                {
                    files.Add(file);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogMemberCaSkipped(logger, directory, e.Message);
            return certificates;
        }

        foreach (string file in files)
        {
            try
            {
                certificates.AddRange(CertificatePem.ReadAll(File.ReadAllText(file), file));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                LogMemberCaSkipped(logger, file, e.Message);
            }
        }

        return certificates;
    }

    /// <summary>The genesis members' CA certificates and the genesis nodes they admit.</summary>
    private static GenesisAuthorities ReadGenesisAuthorities(NodeConfig config, ChainConfig chain, ILogger logger)
    {
        var authorities = new Dictionary<string, X509Certificate2>(StringComparer.Ordinal);
        var authorityPems = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (MemberConfig member in chain.Members)
        {
            if (member.CaCertificate is not { } pem)
            {
                continue;
            }

            try
            {
                authorities[member.Name] = X509Certificate2.CreateFromPem(pem);
                authorityPems[member.Name] = pem;
            }
            catch (CryptographicException e)
            {
                throw new NodeStartException($"genesis member '{member.Name}' in {config.GenesisFile}: caCertificate is not a readable certificate: {e.Message}", e);
            }
        }

        var admitted = new List<AdmittedNode>();
        var addresses = new Dictionary<Hash256, Address>();
        foreach (LedgerNodeConfig node in chain.Nodes)
        {
            if (node.TlsCertificateFingerprint is not { } pinned)
            {
                LogNotAdmitted(logger, node.Name, "it has no tlsCertificateFingerprint");
                continue;
            }

            if (!authorities.TryGetValue(node.Org, out X509Certificate2? authority))
            {
                LogNotAdmitted(logger, node.Name, $"its organisation '{node.Org}' has no caCertificate");
                continue;
            }

            var fingerprint = new Hash256(pinned.Span);
            admitted.Add(new AdmittedNode(CertificateFingerprint.Of(authority), fingerprint, node.Role == NodeRole.Validator ? PeerRole.Validator : PeerRole.Observer, node.Address));
            addresses[fingerprint] = node.Address;
        }

        try
        {
            return new GenesisAuthorities(new GenesisAdmissionPolicy(authorities.Values, admitted), authorityPems, addresses);
        }
        catch (ArgumentException e)
        {
            throw new NodeStartException($"the nodes of {config.GenesisFile} cannot be admitted: {e.Message}", e);
        }
    }

    private static string ReadText(string path, string field)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NodeStartException($"{field} '{path}' cannot be read: {e.Message}", e);
        }
    }

    private static void PrepareDataDirectory(NodeConfig config)
    {
        try
        {
            if (File.Exists(config.DataDir))
            {
                throw new NodeStartException($"data directory '{config.DataDir}' is a file");
            }

            Directory.CreateDirectory(config.DataDir);

            // A copy of the chain configuration beside the database, so `trellis ledger verify --data DIR` needs only DIR.
            string copy = Path.Combine(config.DataDir, GenesisCopyFileName);
            if (!string.Equals(Path.GetFullPath(copy), Path.GetFullPath(config.GenesisFile), StringComparison.Ordinal))
            {
                byte[] genesis = File.ReadAllBytes(config.GenesisFile);
                if (!File.Exists(copy) || !File.ReadAllBytes(copy).AsSpan().SequenceEqual(genesis))
                {
                    string temporary = copy + ".tmp";
                    File.WriteAllBytes(temporary, genesis);
                    File.Move(temporary, copy, overwrite: true);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NodeStartException($"data directory '{config.DataDir}' cannot be prepared: {e.Message}", e);
        }
    }

    private static SqliteStore OpenStore(NodeConfig config)
    {
        try
        {
            return SqliteStore.Open(config.DatabasePath);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            throw new NodeStartException($"database '{config.DatabasePath}' cannot be opened: {e.Message}", e);
        }
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Trellis node {Name} up: chain {ChainId}, {Engine} consensus, head block {Height} ({Hash}), JSON-RPC at {Address}")]
    private static partial void LogStarted(ILogger logger, string name, ulong chainId, string engine, ulong height, Hash256 hash, Uri address);

    [LoggerMessage(Level = LogLevel.Warning, Message = "the p2p section is ignored: solo consensus runs without peers")]
    private static partial void LogSoloIgnoresP2p(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "genesis node {Name} is not admitted to the peer network: {Reason}")]
    private static partial void LogNotAdmitted(ILogger logger, string name, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "node {Name} ({Address}, organisation {Org}) is not in genesis; admission and role come from the registry as the chain syncs (it follows as an observer until then)")]
    private static partial void LogNotInGenesis(ILogger logger, string name, string address, string org);

    [LoggerMessage(Level = LogLevel.Warning, Message = "member CA certificate {Path} skipped: {Reason}")]
    private static partial void LogMemberCaSkipped(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "block {Height}: {Count} transactions, {GasUsed} gas ({Hash})")]
    private static partial void LogBlock(ILogger logger, ulong height, int count, ulong gasUsed, Hash256 hash);

    [LoggerMessage(Level = LogLevel.Error, Message = "admission not updated after block {Height}: {Reason}")]
    private static partial void LogAdmissionNotUpdated(ILogger logger, ulong height, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "stopping at block {Height}")]
    private static partial void LogStopping(ILogger logger, ulong height);

    /// <summary>The node's TLS identity and whom it admits.</summary>
    private sealed record NetworkIdentity(NodeCertificate Certificate, IReadOnlyCollection<X509Certificate2> KnownAuthorities, Dictionary<Hash256, Address> Addresses);

    /// <summary>What genesis says about member CAs: the admission policy of the genesis nodes and each member's CA PEM.</summary>
    private sealed record GenesisAuthorities(GenesisAdmissionPolicy Policy, Dictionary<string, string> Pems, Dictionary<Hash256, Address> Addresses);

    /// <summary>What has been built so far while starting, so a failure part-way releases exactly that.</summary>
    private sealed class NodeParts(NodeConfig config, ChainConfig chain, LedgerNodeConfig self, NodeCertificate? certificate) : IAsyncDisposable
    {
        public NodeConfig Config { get; } = config;

        public ChainConfig Chain { get; } = chain;

        public LedgerNodeConfig Self { get; } = self;

        public NodeCertificate? Certificate { get; } = certificate;

        public SqliteStore Store { get; set; } = null!;

        public BlockStore? Blocks { get; set; }

        public TxPool? Pool { get; set; }

        public IConsensusEngine? Engine { get; set; }

        public PeerNetwork? Network { get; set; }

        public EthBackend? Backend { get; set; }

        public EthRpcService? Rpc { get; set; }

        public async ValueTask DisposeAsync()
        {
            if (Network is not null)
            {
                await Network.StopSyncAsync().ConfigureAwait(false);
            }

            if (Engine is not null)
            {
                await Engine.DisposeAsync().ConfigureAwait(false);
            }

            if (Rpc is not null)
            {
                await Rpc.DisposeAsync().ConfigureAwait(false);
            }

            if (Network is not null)
            {
                await Network.DisposeAsync().ConfigureAwait(false);
            }

            Store?.Dispose();
            Certificate?.Dispose();
        }
    }

    /// <summary>Sends the RPC host's logs to the node's logger factory.</summary>
    private sealed class ForwardingLoggerProvider(ILoggerFactory factory) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => factory.CreateLogger(categoryName);

        public void Dispose()
        {
            // The factory belongs to the caller.
        }
    }
}
