using Trellis.Core;
using Trellis.Crypto;
using Trellis.Ledger.Blocks;
using Trellis.Ledger.Execution;
using Trellis.Ledger.Genesis;
using Trellis.Ledger.Storage;
using Trellis.Ledger.Transactions;
using Trellis.State;
using Trellis.State.Storage;

namespace Trellis.Ledger.Tests.Execution;

/// <summary>A chain in a store: genesis with three funded accounts, and blocks appended through the executor and the block store.</summary>
internal sealed class TestChain : IDisposable
{
    public const ulong ChainId = 1337;
    public const ulong GenesisTimestamp = 1_700_000_000;

    public static readonly Address Proposer = Address.Parse("0x00000000000000000000000000000000000000a1");

    // 1000 ether each.
    public static readonly UInt256 InitialBalance = UInt256.Parse("1000000000000000000000");

    private readonly bool _ownsStore;

    public TestChain(IKeyValueStore? store = null, ChainConfig? config = null)
    {
        Config = config ?? CreateConfig();
        Store = store ?? new MemoryStore();
        _ownsStore = store is null;
        Blocks = new BlockStore(Store, Config.Suite);
        Executor = new BlockExecutor(Config.Suite, Config);
        Genesis = Blocks.Initialize(Config);
        Alice = new TestAccount(Config.Suite, 1);
        Bob = new TestAccount(Config.Suite, 2);
        Carol = new TestAccount(Config.Suite, 3);
    }

    public ChainConfig Config { get; }

    public ICryptoSuite Suite => Config.Suite;

    public IKeyValueStore Store { get; }

    public BlockStore Blocks { get; }

    public BlockExecutor Executor { get; }

    public Block Genesis { get; }

    public TestAccount Alice { get; }

    public TestAccount Bob { get; }

    public TestAccount Carol { get; }

    public static ChainConfig CreateConfig(string suite = "standard", ulong gasLimit = 30_000_000, ulong chainId = ChainId)
    {
        string alloc = string.Join(",", Enumerable.Range(1, 3).Select(i =>
            $"\"{new TestAccount(CryptoSuites.Get(suite), i).Address.ToLowerHex()}\": {{ \"balance\": \"{InitialBalance}\" }}"));
        return ChainConfig.Parse($$"""
            {
              "chainId": {{chainId}},
              "cryptoSuite": "{{suite}}",
              "consensus": { "engine": "solo" },
              "blockGasLimit": {{gasLimit}},
              "alloc": { {{alloc}} },
              "members": [ { "name": "bank-a" } ],
              "nodes": [ { "name": "a1", "org": "bank-a", "role": "validator", "address": "{{Proposer.ToLowerHex()}}" } ],
              "timestamp": {{GenesisTimestamp}}
            }
            """);
    }

    public WorldState OpenState() => new(Store, Suite, Blocks.Head!.StateRoot);

    public BlockProposalContext NextContext() =>
        new(Blocks.Head!.Height + 1, Blocks.Head.Timestamp + 1, Proposer, Config.BlockGasLimit, Blocks.GetBlockHash);

    /// <summary>Builds the next block (skipping invalid transactions) without committing it.</summary>
    public (BlockExecutionResult Result, WorldState State) Build(params VerifiedTransaction[] transactions)
    {
        WorldState state = OpenState();
        BlockExecutionResult result = Executor.Execute(state, Blocks.Head!, NextContext(), transactions, skipInvalid: true);
        Assert.True(result.IsValid, result.InvalidReason);
        return (result, state);
    }

    /// <summary>Builds and commits the next block.</summary>
    public BlockExecutionResult Append(params VerifiedTransaction[] transactions)
    {
        (BlockExecutionResult result, WorldState state) = Build(transactions);
        Blocks.Commit(result.Block, result, state);
        return result;
    }

    public void Dispose()
    {
        if (_ownsStore)
        {
            Store.Dispose();
        }
    }

    /// <summary>The repository root (the directory holding Trellis.slnx).</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Trellis.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"no directory containing Trellis.slnx above {AppContext.BaseDirectory}");
    }

    /// <summary>A checked-in contract from bench/contracts (hex, compiled by solc; see its README).</summary>
    public static byte[] Contract(string file) =>
        Hex.Decode(File.ReadAllText(Path.Combine(RepositoryRoot(), "bench", "contracts", file)).Trim());
}
