using Trellis.Consensus.Raft;
using Trellis.Core;
using Trellis.Crypto;
using Trellis.Ledger.Blocks;
using Trellis.Ledger.Execution;
using Trellis.Ledger.Genesis;
using Trellis.Ledger.Governance;
using Trellis.Ledger.Pool;
using Trellis.Ledger.Storage;
using Trellis.Ledger.Transactions;
using Trellis.State;
using Trellis.State.Storage;

namespace Trellis.Consensus.Tests.Raft;

/// <summary>
/// Raft engines in one process over <see cref="RaftTestNetwork"/>, each with its own in-memory ledger store (kept
/// across a restart, like a disk) and a Raft log file in its own temporary directory. Accounts with keys 1, 2, ...
/// are funded at genesis; validators' keys are 0x100 + i. The one member, org1, has the admin account 0x201, whose
/// proposals pass at once (one member of weight 1). Joiners are nodes with a key that genesis does not list.
/// </summary>
internal sealed class RaftCluster : IAsyncDisposable
{
    public const ulong ChainId = 1337;

    public static readonly UInt256 Funding = UInt256.Parse("1000000000000000000000");

    private readonly string _root;
    private readonly int _retained;
    private ulong _adminNonce;

    public RaftCluster(int validators, int observers = 0, int accounts = 4, int retainedAppliedEntries = 16, ICryptoSuite? suite = null, int joiners = 0)
    {
        Suite = suite ?? CryptoSuites.Standard;
        _retained = retainedAppliedEntries;
        _root = Path.Combine(Path.GetTempPath(), "trellis-raft-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_root);
        AccountKeys = new PrivateKey[accounts];
        Accounts = new Address[accounts];
        var alloc = new Dictionary<Address, GenesisAccount>();
        for (int i = 0; i < accounts; i++)
        {
            var raw = new byte[32];
            raw[31] = (byte)(i + 1);
            AccountKeys[i] = Suite.ImportPrivateKey(raw);
            Accounts[i] = Suite.ToAddress(Suite.DerivePublicKey(AccountKeys[i]));
            alloc[Accounts[i]] = new GenesisAccount { Balance = Funding };
        }

        var adminRaw = new byte[32];
        adminRaw[30] = 2;
        adminRaw[31] = 1;
        AdminKey = Suite.ImportPrivateKey(adminRaw);
        alloc[Suite.ToAddress(Suite.DerivePublicKey(AdminKey))] = new GenesisAccount { Balance = Funding };

        var nodes = new List<Ledger.Genesis.NodeConfig>();
        var keys = new List<PrivateKey?>();
        for (int i = 0; i < validators + observers + joiners; i++)
        {
            var raw = new byte[32];
            raw[30] = 1;
            raw[31] = (byte)i;
            var key = Suite.ImportPrivateKey(raw);
            var publicKey = Suite.DerivePublicKey(key);
            if (i >= validators + observers)
            {
                keys.Add(key);
                JoinerAddresses.Add(Suite.ToAddress(publicKey));
                continue;
            }

            nodes.Add(new Ledger.Genesis.NodeConfig
            {
                Name = $"node{i}",
                Org = "org1",
                Role = i < validators ? NodeRole.Validator : NodeRole.Observer,
                PublicKey = publicKey,
                Address = Suite.ToAddress(publicKey),
            });
            keys.Add(i < validators ? key : null);
        }

        Chain = new ChainConfig
        {
            ChainId = ChainId,
            Suite = Suite,
            Consensus = new ConsensusConfig { Engine = "raft", BlockIntervalMs = 0, MaxTransactionsPerBlock = 50, ViewTimeoutMs = 300 },
            BlockGasLimit = 30_000_000,
            Alloc = alloc,
            Members = [new MemberConfig { Name = "org1", Admins = [Suite.ToAddress(Suite.DerivePublicKey(AdminKey))] }],
            Nodes = nodes,
        };
        Validators = [.. nodes.Where(n => n.Role == NodeRole.Validator)];
        Nodes = new Node[keys.Count];
        for (int i = 0; i < Nodes.Length; i++)
        {
            string directory = Path.Combine(_root, $"node{i}");
            Directory.CreateDirectory(directory);
            Address address = i < nodes.Count ? nodes[i].Address : JoinerAddresses[i - nodes.Count];
            Nodes[i] = new Node(i, address, keys[i], new MemoryStore(), directory);
            Start(i);
        }
    }

    public ICryptoSuite Suite { get; }

    public ChainConfig Chain { get; }

    public IReadOnlyList<Ledger.Genesis.NodeConfig> Validators { get; }

    /// <summary>The addresses of nodes with keys that genesis does not list (the last nodes).</summary>
    public List<Address> JoinerAddresses { get; } = [];

    /// <summary>org1's admin account key.</summary>
    public PrivateKey AdminKey { get; }

    public PrivateKey[] AccountKeys { get; }

    public Address[] Accounts { get; }

    public Node[] Nodes { get; }

    public RaftTestNetwork Network { get; } = new();

    /// <summary>Creates (or re-creates after <see cref="StopAsync"/>) node <paramref name="i"/>'s engine over its surviving store and Raft log, and starts it.</summary>
    public void Start(int i)
    {
        var node = Nodes[i];
        var blocks = new BlockStore(node.Store, Suite);
        blocks.Initialize(Chain);
        var pool = new TxPool(Chain, Suite, new HeadStateReader(new WorldState(node.Store, Suite, blocks.Head!.StateRoot)));
        var options = RaftEngineOptions.FromChain(Chain, node.Directory) with { RetainedAppliedEntries = _retained, HeartbeatInterval = TimeSpan.FromMilliseconds(30) };
        var engine = new RaftEngine(options, Suite, node.Store, blocks, new BlockExecutor(Suite, Chain), pool, node.Key, Validators);
        engine.Connect(Network.Join(node.Address, engine));
        node.Blocks = blocks;
        node.Pool = pool;
        node.Engine = engine;
        engine.Start();
    }

    /// <summary>Stops node <paramref name="i"/> (a crash as far as the others can tell); its store and Raft log remain.</summary>
    public async Task StopAsync(int i)
    {
        var node = Nodes[i];
        Network.Leave(node.Address);
        if (node.Engine is not null)
        {
            await node.Engine.DisposeAsync();
            node.Engine = null;
        }
    }

    /// <summary>A signed transfer of <paramref name="wei"/> from account <paramref name="from"/> to account 0's neighbour.</summary>
    public byte[] Transfer(int from, ulong nonce, ulong wei = 1) =>
        new TransactionBuilder
        {
            Type = TxType.DynamicFee,
            ChainId = ChainId,
            Nonce = nonce,
            MaxPriorityFeePerGas = UInt256.One,
            MaxFeePerGas = UInt256.One,
            GasLimit = 21_000,
            To = Accounts[(from + 1) % Accounts.Length],
            Value = new UInt256(wei),
        }.Sign(Suite, AccountKeys[from]).Encode();

    /// <summary>A signed governance call by org1's admin (which passes a proposal at once: it is the only member).</summary>
    public byte[] GovernanceCall(byte[] calldata) =>
        new TransactionBuilder
        {
            Type = TxType.DynamicFee,
            ChainId = ChainId,
            Nonce = _adminNonce++,
            MaxPriorityFeePerGas = UInt256.One,
            MaxFeePerGas = UInt256.One,
            GasLimit = 5_000_000,
            To = GovernanceAddresses.Governance,
            Data = calldata,
        }.Sign(Suite, AdminKey).Encode();

    /// <summary>
    /// Plays the node's block sync until cancelled: every running engine behind the highest running head is handed
    /// the missing committed blocks (with their certificates) from that node.
    /// </summary>
    public async Task RunBlockSyncAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                Node? source = Nodes.Where(n => n.Engine is not null).MaxBy(n => n.Blocks!.Head!.Height);
                foreach (Node node in Nodes)
                {
                    if (source is not null && node != source && node.Engine is RaftEngine engine && node.Blocks!.Head!.Height < source.Blocks!.Head!.Height)
                    {
                        await engine.ApplySyncedBlocksAsync(source.BlocksFrom(node.Blocks.Head.Height + 1), cancellationToken);
                    }
                }

                await Task.Delay(50, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                // A node stopped under us; try again.
            }
        }
    }

    /// <summary>Submits to every running validator, as the node's gossip would; true if at least one accepted it.</summary>
    public bool SubmitEverywhere(byte[] raw, Func<int, bool>? include = null)
    {
        bool accepted = false;
        foreach (var node in Nodes)
        {
            if (node.Engine is not null && (include?.Invoke(node.Index) ?? true))
            {
                accepted |= node.Engine.Submit(raw).IsAccepted;
            }
        }

        return accepted;
    }

    public int? LeaderIndex()
    {
        foreach (var node in Nodes)
        {
            if (node.Engine?.Role == "leader")
            {
                return node.Index;
            }
        }

        return null;
    }

    public async Task<int> WaitForLeaderAsync(Func<int, bool>? among = null, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (DateTime.UtcNow < deadline)
        {
            foreach (var node in Nodes)
            {
                if (node.Engine?.Role == "leader" && (among?.Invoke(node.Index) ?? true))
                {
                    return node.Index;
                }
            }

            await Task.Delay(20);
        }

        throw new TimeoutException("no Raft leader was elected in time");
    }

    /// <summary>Waits until every listed node's head is at least <paramref name="height"/>.</summary>
    public async Task WaitForHeightAsync(ulong height, IEnumerable<int>? nodes = null, TimeSpan? timeout = null)
    {
        var which = (nodes ?? Enumerable.Range(0, Nodes.Length)).ToArray();
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (DateTime.UtcNow < deadline)
        {
            foreach (int i in which)
            {
                if (Nodes[i].Engine is { Completion.IsFaulted: true } faulted)
                {
                    throw new InvalidOperationException($"node {i}'s engine failed", faulted.Completion.Exception);
                }
            }

            if (which.All(i => Nodes[i].Blocks!.Head!.Height >= height))
            {
                return;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"nodes {string.Join(",", which)} did not reach height {height}: heights {string.Join(",", which.Select(i => Nodes[i].Blocks!.Head!.Height))}");
    }

    /// <summary>Waits until the listed nodes' committed transactions include every hash given.</summary>
    public async Task WaitForTransactionsAsync(IEnumerable<Hash256> hashes, IEnumerable<int>? nodes = null, TimeSpan? timeout = null)
    {
        var wanted = hashes.ToArray();
        var which = (nodes ?? Enumerable.Range(0, Nodes.Length)).ToArray();
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (DateTime.UtcNow < deadline)
        {
            if (which.All(i => wanted.All(h => Nodes[i].Blocks!.FindTransaction(h) is not null)))
            {
                return;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"nodes {string.Join(",", which)} did not commit all {wanted.Length} transactions: heights {string.Join(",", which.Select(i => Nodes[i].Blocks!.Head!.Height))}");
    }

    /// <summary>Asserts that the listed nodes hold the same block hash at every height up to the lowest head, and returns that height.</summary>
    public ulong AssertSameChains(IEnumerable<int>? nodes = null)
    {
        var which = (nodes ?? Enumerable.Range(0, Nodes.Length)).ToArray();
        ulong lowest = which.Min(i => Nodes[i].Blocks!.Head!.Height);
        for (ulong h = 0; h <= lowest; h++)
        {
            var expected = Nodes[which[0]].Blocks!.GetBlockHash(h);
            foreach (int i in which)
            {
                Assert.True(expected == Nodes[i].Blocks!.GetBlockHash(h), $"node {i} holds another block at height {h}");
            }
        }

        return lowest;
    }

    public async ValueTask DisposeAsync()
    {
        for (int i = 0; i < Nodes.Length; i++)
        {
            await StopAsync(i);
            Nodes[i].Store.Dispose();
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort cleanup of a temporary directory.
        }
    }

    internal sealed class Node(int index, Address address, PrivateKey? key, MemoryStore store, string directory)
    {
        public int Index { get; } = index;

        public Address Address { get; } = address;

        public PrivateKey? Key { get; } = key;

        public MemoryStore Store { get; } = store;

        public string Directory { get; } = directory;

        public BlockStore? Blocks { get; set; }

        public TxPool? Pool { get; set; }

        public RaftEngine? Engine { get; set; }

        /// <summary>The committed blocks from <paramref name="first"/> up to the head, as block sync would fetch them.</summary>
        public List<Block> BlocksFrom(ulong first)
        {
            var list = new List<Block>();
            for (ulong h = first; h <= Blocks!.Head!.Height; h++)
            {
                list.Add(Blocks.GetBlock(h)!);
            }

            return list;
        }
    }
}
