using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Trellis.Consensus;
using Trellis.Consensus.Solo;
using Trellis.Core;
using Trellis.Ledger.Blocks;
using Trellis.Ledger.Execution;
using Trellis.Ledger.Genesis;
using Trellis.Ledger.Pool;
using Trellis.Ledger.Storage;
using Trellis.Node.JsonRpc;
using Trellis.Node.Rpc;
using Trellis.State;
using Trellis.State.Storage;

namespace Trellis.Node;

/// <summary>
/// One running node: its SQLite store (<c>DATA/chain.db</c>) with the chain from genesis, the transaction pool,
/// the consensus engine and the JSON-RPC server. <see cref="StartAsync"/> brings it up; disposing shuts it down
/// cleanly (RPC first, so nothing new arrives; then the engine after its block in progress; then the store).
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
    private int _disposed;

    private TrellisNode(NodeConfig config, ChainConfig chain, SqliteStore store, BlockStore blocks, TxPool pool, IConsensusEngine engine, EthBackend backend, EthRpcService rpc, JsonRpcHost host, ILogger logger)
    {
        Config = config;
        Chain = chain;
        _store = store;
        Blocks = blocks;
        Pool = pool;
        Engine = engine;
        _backend = backend;
        _rpc = rpc;
        _host = host;
        _logger = logger;
    }

    /// <summary>The node's configuration.</summary>
    public NodeConfig Config { get; }

    /// <summary>The chain's configuration.</summary>
    public ChainConfig Chain { get; }

    /// <summary>The committed chain.</summary>
    public BlockStore Blocks { get; }

    /// <summary>Pending transactions.</summary>
    public TxPool Pool { get; }

    /// <summary>The consensus engine.</summary>
    public IConsensusEngine Engine { get; }

    /// <summary>The bound JSON-RPC address (HTTP; the same port serves WebSocket).</summary>
    public Uri RpcAddress => _host.Address;

    /// <summary>Completes when the engine stops; faulted if it failed (the node should then be shut down).</summary>
    public Task Completion => Engine.Completion;

    /// <summary>
    /// Opens the store (creating the genesis block on first start), starts the engine and serves JSON-RPC.
    /// </summary>
    /// <exception cref="NodeStartException">The configuration, genesis file, data directory or RPC port cannot be used; the message names it.</exception>
    public static async Task<TrellisNode> StartAsync(NodeConfig config, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        loggerFactory ??= NullLoggerFactory.Instance;
        ILogger logger = loggerFactory.CreateLogger<TrellisNode>();

        ChainConfig chain = LoadChain(config);
        if (!string.Equals(chain.Consensus.Engine, "solo", StringComparison.Ordinal))
        {
            throw new NodeStartException($"consensus engine '{chain.Consensus.Engine}' in {config.GenesisFile} is not available yet; this node runs 'solo'");
        }

        Address proposer = FindProposer(config, chain);
        PrepareDataDirectory(config);
        SqliteStore store = OpenStore(config);
        SoloEngine? engine = null;
        EthRpcService? rpc = null;
        try
        {
            var blocks = new BlockStore(store, chain.Suite);
            try
            {
                // Refuses a data directory of another chain, including one with the same genesis but another chain id.
                blocks.Initialize(chain);
            }
            catch (Exception e) when (e is LedgerStoreException or ArgumentException)
            {
                throw new NodeStartException($"data directory '{config.DataDir}' cannot be used with {config.GenesisFile}: {e.Message}", e);
            }

            BlockHeader head = blocks.Head!;
            var pool = new TxPool(chain, chain.Suite, new HeadStateReader(new WorldState(store, chain.Suite, head.StateRoot)));
            engine = new SoloEngine(SoloEngineOptions.FromChain(chain, proposer), chain.Suite, store, blocks, new BlockExecutor(chain.Suite, chain), pool);
            var backend = new EthBackend(chain, store, blocks, pool, engine);
            engine.BlockCommitted += (_, e) => LogBlock(logger, e.Block.Header.Height, e.Block.Transactions.Count, e.Block.Header.GasUsed, e.Hash);

            var registry = new JsonRpcMethodRegistry();
            rpc = new EthRpcService(backend, new EthRpcOptions(), logger: loggerFactory.CreateLogger<EthRpcService>());
            rpc.Register(registry);
            var server = new JsonRpcServer(registry, config.Rpc, loggerFactory.CreateLogger<JsonRpcServer>());
            JsonRpcHost host;
            try
            {
                host = await JsonRpcHost.StartAsync(server, config.RpcUrl, builder => builder.AddProvider(new ForwardingLoggerProvider(loggerFactory)), cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                throw new NodeStartException($"cannot serve JSON-RPC on {config.RpcUrl}: {Innermost(e).Message}", e);
            }

            rpc.Start();
            engine.Start();
            LogStarted(logger, chain.ChainId, head.Height, blocks.HeadHash, host.Address);
            return new TrellisNode(config, chain, store, blocks, pool, engine, backend, rpc, host, logger);
        }
        catch
        {
            if (engine is not null)
            {
                await engine.DisposeAsync().ConfigureAwait(false);
            }

            if (rpc is not null)
            {
                await rpc.DisposeAsync().ConfigureAwait(false);
            }

            store.Dispose();
            throw;
        }
    }

    /// <summary>Shuts the node down: RPC, then the engine (after its block in progress), then the store.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        LogStopping(_logger, Blocks.Head?.Height ?? 0);
        await _host.DisposeAsync().ConfigureAwait(false);
        await Engine.DisposeAsync().ConfigureAwait(false);
        _backend.Complete();
        await _rpc.DisposeAsync().ConfigureAwait(false);
        _store.Dispose();
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

    private static Address FindProposer(NodeConfig config, ChainConfig chain)
    {
        foreach (Ledger.Genesis.NodeConfig node in chain.Nodes)
        {
            if (config.NodeName is null ? node.Role == NodeRole.Validator : string.Equals(node.Name, config.NodeName, StringComparison.Ordinal))
            {
                return node.Address;
            }
        }

        throw new NodeStartException(config.NodeName is null
            ? $"genesis file {config.GenesisFile} lists no validator"
            : $"nodeName '{config.NodeName}' is not among the nodes of {config.GenesisFile}");
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Trellis node up: chain {ChainId}, head block {Height} ({Hash}), JSON-RPC at {Address}")]
    private static partial void LogStarted(ILogger logger, ulong chainId, ulong height, Hash256 hash, Uri address);

    [LoggerMessage(Level = LogLevel.Information, Message = "block {Height}: {Count} transactions, {GasUsed} gas ({Hash})")]
    private static partial void LogBlock(ILogger logger, ulong height, int count, ulong gasUsed, Hash256 hash);

    [LoggerMessage(Level = LogLevel.Information, Message = "stopping at block {Height}")]
    private static partial void LogStopping(ILogger logger, ulong height);

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
