using Trellis.Consensus.HotStuff;
using Trellis.Core;
using Trellis.Crypto;
using Trellis.Ledger.Blocks;
using Trellis.Ledger.Execution;
using Trellis.Ledger.Genesis;
using Trellis.Ledger.Pool;
using Trellis.Ledger.Storage;
using Trellis.Ledger.Transactions;
using Trellis.State;
using Trellis.State.Storage;

namespace Trellis.Consensus.Tests.Engine;

/// <summary>
/// n HotStuff validators (plus optional observers) over in-memory stores, wired through an
/// <see cref="InMemoryConsensusNetwork"/>, with funded accounts whose keys are 1, 2, 3, ... Each node's store and
/// safety directory survive <see cref="StopAsync"/> so a node can be restarted on them.
/// </summary>
internal sealed class EngineCluster : IAsyncDisposable
{
    public const ulong ChainId = 1337;

    public static readonly UInt256 Funding = UInt256.Parse("1000000000000000000000");

    private readonly string _root = Path.Combine(Path.GetTempPath(), "trellis-hs-" + Guid.NewGuid().ToString("N"));

    /// <param name="observerKeys">Observers get their node key too (so they can vote once governance makes them validators).</param>
    /// <param name="memberAdmins">Member org<i>k</i>'s admin account is account <i>k</i> − 1 (so tests can vote in governance).</param>
    public EngineCluster(int validators = 4, int observers = 0, int accounts = 8, int blockIntervalMs = 20, int viewTimeoutMs = 400, int maxTransactionsPerBlock = 200, bool observerKeys = false, bool memberAdmins = false)
    {
        ObserverKeys = observerKeys;
        Suite = CryptoSuites.Standard;
        AccountKeys = new PrivateKey[accounts];
        Accounts = new Address[accounts];
        var alloc = new Dictionary<Address, GenesisAccount>();
        for (int i = 0; i < accounts; i++)
        {
            var raw = new byte[32];
            raw[30] = (byte)((i + 1) >> 8);
            raw[31] = (byte)(i + 1);
            AccountKeys[i] = Suite.ImportPrivateKey(raw);
            Accounts[i] = Suite.ToAddress(Suite.DerivePublicKey(AccountKeys[i]));
            alloc[Accounts[i]] = new GenesisAccount { Balance = Funding };
        }

        int count = validators + observers;
        NodeKeys = new PrivateKey[count];
        var nodes = new List<Ledger.Genesis.NodeConfig>();
        for (int i = 0; i < count; i++)
        {
            var raw = new byte[32];
            raw[0] = 0x42;
            raw[31] = (byte)(i + 1);
            NodeKeys[i] = Suite.ImportPrivateKey(raw);
            var publicKey = Suite.DerivePublicKey(NodeKeys[i]);
            nodes.Add(new Ledger.Genesis.NodeConfig
            {
                Name = $"org{i + 1}-node1",
                Org = $"org{i + 1}",
                Role = i < validators ? NodeRole.Validator : NodeRole.Observer,
                PublicKey = publicKey,
                Address = Suite.ToAddress(publicKey),
            });
        }

        Chain = new ChainConfig
        {
            ChainId = ChainId,
            Suite = Suite,
            Consensus = new ConsensusConfig { Engine = "hotstuff", BlockIntervalMs = blockIntervalMs, MaxTransactionsPerBlock = maxTransactionsPerBlock, ViewTimeoutMs = viewTimeoutMs },
            BlockGasLimit = 30_000_000,
            Alloc = alloc,
            Members = [.. Enumerable.Range(1, count).Select(i => new MemberConfig { Name = $"org{i}", Admins = memberAdmins ? [Accounts[i - 1]] : [] })],
            Nodes = nodes,
        };
        Validators = [.. nodes.Where(n => n.Role == NodeRole.Validator)];
        Nodes = new ClusterNode[count];
        for (int i = 0; i < count; i++)
        {
            Nodes[i] = new ClusterNode(this, i, nodes[i].Address, Path.Combine(_root, $"node{i}"));
            Network.Attach(nodes[i].Address, Nodes[i].Engine);
        }
    }

    public ICryptoSuite Suite { get; }

    public bool ObserverKeys { get; }

    public PrivateKey[] AccountKeys { get; }

    public Address[] Accounts { get; }

    public PrivateKey[] NodeKeys { get; }

    public ChainConfig Chain { get; }

    public IReadOnlyList<Ledger.Genesis.NodeConfig> Validators { get; }

    public ClusterNode[] Nodes { get; }

    public InMemoryConsensusNetwork Network { get; } = new();

    public static TimeSpan Patience { get; } = TimeSpan.FromSeconds(20);

    public void StartAll()
    {
        foreach (var node in Nodes)
        {
            node.Engine.Start();
        }
    }

    /// <summary>A signed EIP-1559 transfer of 1 wei from account <paramref name="from"/> to account 0's neighbour.</summary>
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

    /// <summary>Submits to node <paramref name="at"/> and gossips to every other running node, as the node does for RPC transactions.</summary>
    public TxPoolResult Submit(int at, byte[] raw)
    {
        var result = Nodes[at].Engine.Submit(raw);
        Assert.True(result.IsAccepted, result.ToString());
        foreach (var node in Nodes)
        {
            if (node.Index != at && node.Running && !Network.IsDown(node.Address))
            {
                node.Engine.Submit(raw);
            }
        }

        return result;
    }

    /// <summary>Waits until <paramref name="condition"/> holds, failing after <see cref="Patience"/>.</summary>
    public async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not reached in {Patience.TotalSeconds} s: {what}\n{Describe()}");
            await Task.Delay(10);
        }
    }

    /// <summary>Each node's height, role, pool and last rejection, for failure messages.</summary>
    public string Describe() => string.Join(
        "\n",
        Nodes.Select(n => $"node {n.Index}: running={n.Running} height={n.Height} role={n.Engine.Role} pool={n.Pool.Count} dropped={n.Engine.MessagesDropped} last rejection: {n.Engine.LastRejection} / {n.Engine.LastDropReason} loop={n.Engine.Completion.Status} {n.Engine.Completion.Exception?.InnerException}"));

    /// <summary>Asserts that the given nodes hold identical blocks at every height up to the lowest head among them.</summary>
    public ulong AssertSameChain(params int[] nodes)
    {
        ulong height = nodes.Min(i => Nodes[i].Blocks.Head!.Height);
        for (ulong h = 0; h <= height; h++)
        {
            var expected = Nodes[nodes[0]].Blocks.GetBlockHash(h);
            foreach (int i in nodes)
            {
                Assert.Equal(expected, Nodes[i].Blocks.GetBlockHash(h));
            }
        }

        return height;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            await node.Engine.DisposeAsync();
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    internal sealed class ClusterNode
    {
        private readonly EngineCluster _cluster;

        public ClusterNode(EngineCluster cluster, int index, Address address, string dataDirectory)
        {
            _cluster = cluster;
            Index = index;
            Address = address;
            DataDirectory = dataDirectory;
            Store = new MemoryStore();
            Blocks = new BlockStore(Store, cluster.Suite);
            Blocks.Initialize(cluster.Chain);
            Engine = Create();
        }

        public int Index { get; }

        public Address Address { get; }

        public string DataDirectory { get; }

        public MemoryStore Store { get; }

        public BlockStore Blocks { get; }

        public TxPool Pool { get; private set; } = null!;

        public HotStuffEngine Engine { get; private set; }

        public bool Running { get; private set; } = true;

        public List<Block> Committed { get; } = [];

        public ulong Height => Blocks.Head!.Height;

        /// <summary>Stops the engine (the node is down on the network too); store and safety files stay.</summary>
        public async Task StopAsync()
        {
            _cluster.Network.SetDown(Address, true);
            Running = false;
            await Engine.StopAsync(CancellationToken.None);
        }

        /// <summary>A new engine on the same store and safety files, started.</summary>
        public void Restart()
        {
            Engine = Create();
            _cluster.Network.Attach(Address, Engine);
            _cluster.Network.SetDown(Address, false);
            Running = true;
            Engine.Start();
        }

        private HotStuffEngine Create()
        {
            var suite = _cluster.Suite;
            Pool = new TxPool(_cluster.Chain, suite, new HeadStateReader(new WorldState(Store, suite, Blocks.Head!.StateRoot)));
            var options = HotStuffEngineOptions.FromChain(_cluster.Chain, DataDirectory) with { TickInterval = TimeSpan.FromMilliseconds(10) };
            bool observer = _cluster.Chain.Nodes[Index].Role == NodeRole.Observer && !_cluster.ObserverKeys;
            var engine = new HotStuffEngine(options, suite, Store, Blocks, new BlockExecutor(suite, _cluster.Chain), Pool, observer ? null : _cluster.NodeKeys[Index], _cluster.Validators);
            engine.Connect(_cluster.Network.For(Address));
            engine.BlockCommitted += (_, e) =>
            {
                lock (Committed)
                {
                    Committed.Add(e.Block);
                }
            };
            return engine;
        }
    }
}
