using System.Buffers.Binary;
using System.Collections.Concurrent;
using Trellis.Core;
using Trellis.Crypto;
using Trellis.Crypto.Standard;
using Trellis.Ledger.Blocks;
using Trellis.Ledger.Execution;
using Trellis.Ledger.Genesis;
using Trellis.Ledger.Storage;
using Trellis.Ledger.Transactions;
using Trellis.State;
using Trellis.State.Storage;

namespace Trellis.Benchmarks.Support;

/// <summary>
/// One block of pre-signed value transfers on the standard suite: a genesis with one funded account per
/// transaction, one transfer per sender (even indexes legacy EIP-155, odd ones EIP-1559) to a fresh recipient, a
/// prepared SQLite file holding the committed genesis, and the same genesis in a memory store. Everything the
/// benchmarks and the CPU-time loop measure goes through the ledger's public API.
/// </summary>
internal sealed class BlockProductionWorkload : IDisposable
{
    /// <summary>The chain id the transfers are signed for.</summary>
    public const ulong ChainId = 4_242;

    private static readonly UInt256 GasPrice = new(1_000_000_000);
    private static readonly UInt256 Funding = UInt256.Parse("1000000000000000000000");

    private readonly string _directory;
    private readonly string _templatePath;

    private BlockProductionWorkload(int transfers)
    {
        Transfers = transfers;
        Suite = StandardSuite.Instance;
        _directory = Directory.CreateTempSubdirectory("trellis-blockbench-").FullName;
        _templatePath = Path.Combine(_directory, "template.db");

        var senders = new Address[transfers];
        var keys = new PrivateKey[transfers];
        var alloc = new Dictionary<Address, GenesisAccount>(transfers);
        Span<byte> seed = stackalloc byte[32];
        for (int i = 0; i < transfers; i++)
        {
            // Deterministic keys: the suite hash of the index is a valid secp256k1 scalar with overwhelming probability.
            seed.Clear();
            BinaryPrimitives.WriteInt32BigEndian(seed[28..], i + 1);
            keys[i] = Suite.ImportPrivateKey(Suite.Hash(seed).Bytes);
            senders[i] = Suite.ToAddress(Suite.DerivePublicKey(keys[i]));
            alloc[senders[i]] = new GenesisAccount { Balance = Funding };
        }

        Config = new ChainConfig
        {
            ChainId = ChainId,
            Suite = Suite,
            Consensus = new ConsensusConfig { Engine = "solo", MaxTransactionsPerBlock = transfers },
            BlockGasLimit = (ulong)transfers * IntrinsicGas.Transaction * 2,
            Alloc = alloc,
            Members = [new MemberConfig { Name = "bench" }],
            Nodes = [],
        };

        Signed = SignTransfers(keys);
        Encoded = new byte[transfers][];
        for (int i = 0; i < transfers; i++)
        {
            Encoded[i] = Signed[i].Encode();
        }

        Validator = new TransactionValidator(Suite, ChainId);
        Verified = new VerifiedTransaction[transfers];
        RecoverParallel(Verified);
        for (int i = 0; i < transfers; i++)
        {
            if (Verified[i].Sender != senders[i])
            {
                throw new InvalidOperationException($"transfer {i} recovered sender {Verified[i].Sender}, signed by {senders[i]}");
            }
        }

        Executor = new BlockExecutor(Suite, Config);

        using (SqliteStore template = SqliteStore.Open(_templatePath))
        {
            Genesis = new BlockStore(template, Suite).Initialize(Config);
        }

        MemoryGenesis = new MemoryStore();
        new BlockStore(MemoryGenesis, Suite).Initialize(Config);
        Context = new BlockProposalContext(1, Config.Timestamp + 1, Address.Zero, Config.BlockGasLimit);
    }

    /// <summary>Transactions in the block.</summary>
    public int Transfers { get; }

    /// <summary>The standard suite (secp256k1, Keccak-256).</summary>
    public ICryptoSuite Suite { get; }

    /// <summary>The chain: one funded account per transfer.</summary>
    public ChainConfig Config { get; }

    /// <summary>The signed transfers, in block order.</summary>
    public Transaction[] Signed { get; }

    /// <summary>Their encodings, as they arrive from the network.</summary>
    public byte[][] Encoded { get; }

    /// <summary>The transfers with their senders already recovered.</summary>
    public VerifiedTransaction[] Verified { get; }

    /// <summary>The chain's transaction validator (recovers senders).</summary>
    public TransactionValidator Validator { get; }

    /// <summary>The chain's block executor.</summary>
    public BlockExecutor Executor { get; }

    /// <summary>The genesis block (the parent of the measured block).</summary>
    public Block Genesis { get; }

    /// <summary>The genesis state and block in memory; never written to after setup.</summary>
    public MemoryStore MemoryGenesis { get; }

    /// <summary>Height 1, one second after genesis, the whole block gas limit.</summary>
    public BlockProposalContext Context { get; }

    /// <summary>Builds the workload: keys, genesis, signed transfers and the SQLite template (a few seconds).</summary>
    public static BlockProductionWorkload Create(int transfers) => new(transfers);

    /// <summary>
    /// A fresh copy of the SQLite file holding only the committed genesis, at <paramref name="name"/> in the
    /// workload's directory (any WAL of an earlier copy is removed first).
    /// </summary>
    public SqliteStore OpenFreshSqliteCopy(string name)
    {
        string path = Path.Combine(_directory, name);
        foreach (string suffix in (string[])["", "-wal", "-shm"])
        {
            File.Delete(path + suffix);
        }

        File.Copy(_templatePath, path);
        return SqliteStore.Open(path);
    }

    /// <summary>Decodes and validates every encoded transfer, recovering senders in parallel over all cores.</summary>
    /// <exception cref="InvalidOperationException">A transfer does not validate (the workload is broken).</exception>
    public void RecoverParallel(VerifiedTransaction[] destination)
    {
        byte[][] encoded = Encoded;
        TransactionValidator validator = Validator;

        // Ranges of 250 keep both cores busy to the end (a shared machine may stall one) without per-item overhead.
        var ranges = Partitioner.Create(0, encoded.Length, 250);
        Parallel.ForEach(ranges, range =>
        {
            for (int i = range.Item1; i < range.Item2; i++)
            {
                TxValidation validation = validator.DecodeAndValidate(encoded[i], out VerifiedTransaction? verified);
                if (!validation.IsValid)
                {
                    throw new InvalidOperationException($"transfer {i} does not validate: {validation}");
                }

                destination[i] = verified!;
            }
        });
    }

    /// <summary>Executes the block on <paramref name="state"/> (at the genesis root) and checks every transfer went in.</summary>
    public BlockExecutionResult Execute(IWorldState state, IReadOnlyList<VerifiedTransaction> transactions)
    {
        BlockExecutionResult result = Executor.Execute(state, Genesis.Header, Context, transactions, skipInvalid: true);
        if (!result.IsValid || result.Transactions.Count != transactions.Count)
        {
            throw new InvalidOperationException(
                $"block production included {(result.IsValid ? result.Transactions.Count : 0)} of {transactions.Count} transfers: {result.InvalidReason ?? result.Skipped[0].Reason}");
        }

        return result;
    }

    /// <summary>Executes the block on the genesis state of <paramref name="store"/> and commits it there in one batch.</summary>
    public BlockExecutionResult ProduceAndCommit(IKeyValueStore store, IReadOnlyList<VerifiedTransaction> transactions)
    {
        var blocks = new BlockStore(store, Suite);
        var state = new WorldState(store, Suite, Genesis.Header.StateRoot);
        BlockExecutionResult result = Execute(state, transactions);
        blocks.Commit(result.Block, result, state);
        return result;
    }

    /// <summary>Deletes the workload's directory.</summary>
    public void Dispose()
    {
        MemoryGenesis.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A store still open on some platform; the temp directory is harmless.
        }
    }

    private Transaction[] SignTransfers(PrivateKey[] keys)
    {
        var signed = new Transaction[keys.Length];
        Parallel.For(0, keys.Length, i =>
        {
            // A fresh recipient per transfer: each block creates as many accounts as it has transfers.
            Span<byte> to = stackalloc byte[Address.Length];
            to[0] = 0xbe;
            BinaryPrimitives.WriteInt32BigEndian(to[16..], i + 1);
            var builder = new TransactionBuilder
            {
                Type = i % 2 == 0 ? TxType.Legacy : TxType.DynamicFee,
                ChainId = ChainId,
                Nonce = 0,
                MaxPriorityFeePerGas = GasPrice,
                MaxFeePerGas = GasPrice,
                GasLimit = IntrinsicGas.Transaction,
                To = new Address(to),
                Value = new UInt256((ulong)(i + 1) * 1_000),
            };
            signed[i] = builder.Sign(Suite, keys[i]);
        });

        return signed;
    }
}
