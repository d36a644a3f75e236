using Trellis.Consensus.Solo;
using Trellis.Core;
using Trellis.Crypto;
using Trellis.Ledger.Execution;
using Trellis.Ledger.Genesis;
using Trellis.Ledger.Pool;
using Trellis.Ledger.Storage;
using Trellis.Ledger.Transactions;
using Trellis.State;
using Trellis.State.Storage;

namespace Trellis.Consensus.Tests.Solo;

/// <summary>A Solo chain over an in-memory store with funded accounts whose keys are 1, 2, 3, ...</summary>
internal sealed class SoloFixture : IAsyncDisposable
{
    public const ulong ChainId = 1337;

    public static readonly Address Proposer = Address.Parse("0x00000000000000000000000000000000000000c0");

    public static readonly UInt256 Funding = UInt256.Parse("1000000000000000000000");

    public SoloFixture(int accounts = 4, int maxTransactionsPerBlock = 100, int blockIntervalMs = 200, IKeyValueStore? store = null, ManualTimeProvider? time = null)
    {
        Suite = CryptoSuites.Standard;
        Keys = new PrivateKey[accounts];
        Addresses = new Address[accounts];
        var alloc = new Dictionary<Address, GenesisAccount>();
        for (int i = 0; i < accounts; i++)
        {
            var raw = new byte[32];
            raw[31] = (byte)(i + 1);
            Keys[i] = Suite.ImportPrivateKey(raw);
            Addresses[i] = Suite.ToAddress(Suite.DerivePublicKey(Keys[i]));
            alloc[Addresses[i]] = new GenesisAccount { Balance = Funding };
        }

        Chain = new ChainConfig
        {
            ChainId = ChainId,
            Suite = Suite,
            Consensus = new ConsensusConfig { Engine = "solo", BlockIntervalMs = blockIntervalMs, MaxTransactionsPerBlock = maxTransactionsPerBlock },
            BlockGasLimit = 30_000_000,
            Alloc = alloc,
            Members = [new MemberConfig { Name = "dev" }],
            Nodes = [new Ledger.Genesis.NodeConfig { Name = "n0", Org = "dev", Role = NodeRole.Validator, Address = Proposer }],
        };
        Store = store ?? new MemoryStore();
        Blocks = new BlockStore(Store, Suite);
        Blocks.Initialize(Chain);
        Pool = new TxPool(Chain, Suite, new HeadStateReader(new WorldState(Store, Suite, Blocks.Head!.StateRoot)));
        Time = time ?? new ManualTimeProvider();
        Engine = new SoloEngine(SoloEngineOptions.FromChain(Chain, Proposer), Suite, Store, Blocks, new BlockExecutor(Suite, Chain), Pool, Time);
    }

    public ICryptoSuite Suite { get; }

    public PrivateKey[] Keys { get; }

    public Address[] Addresses { get; }

    public ChainConfig Chain { get; }

    public IKeyValueStore Store { get; }

    public BlockStore Blocks { get; }

    public TxPool Pool { get; }

    public ManualTimeProvider Time { get; }

    public SoloEngine Engine { get; }

    /// <summary>A signed EIP-1559 transfer of <paramref name="wei"/> from account <paramref name="from"/>.</summary>
    public byte[] Transfer(int from, ulong nonce, Address to, UInt256 wei, ulong gas = 21_000, ulong tip = 1) =>
        new TransactionBuilder
        {
            Type = TxType.DynamicFee,
            ChainId = ChainId,
            Nonce = nonce,
            MaxPriorityFeePerGas = new UInt256(tip),
            MaxFeePerGas = new UInt256(tip),
            GasLimit = gas,
            To = to,
            Value = wei,
        }.Sign(Suite, Keys[from]).Encode();

    /// <summary>The account state after the head block, read afresh from the store.</summary>
    public WorldState HeadState() => new(Store, Suite, Blocks.Head!.StateRoot);

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync();
        Store.Dispose();
    }
}
