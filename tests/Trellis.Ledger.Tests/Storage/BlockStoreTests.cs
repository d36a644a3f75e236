using Microsoft.Data.Sqlite;
using Trellis.Core;
using Trellis.Ledger.Blocks;
using Trellis.Ledger.Execution;
using Trellis.Ledger.Genesis;
using Trellis.Ledger.Storage;
using Trellis.Ledger.Tests.Execution;
using Trellis.Ledger.Transactions;
using Trellis.State;
using Trellis.State.Storage;

namespace Trellis.Ledger.Tests.Storage;

public sealed class BlockStoreTests
{
    private static readonly UInt256 Ether = UInt256.Parse("1000000000000000000");

    [Fact]
    public void Initialize_WritesGenesisOnceAndAcceptsTheSameConfigurationAgain()
    {
        using var store = new MemoryStore();
        ChainConfig config = TestChain.CreateConfig();
        var blocks = new BlockStore(store, config.Suite);
        Assert.True(blocks.IsEmpty);
        Assert.Null(blocks.Head);

        Block genesis = blocks.Initialize(config);
        Block again = new BlockStore(store, config.Suite).Initialize(config);

        using var scratch = new MemoryStore();
        Hash256 expected = GenesisBlock.Create(config, scratch).Header.ComputeHash(config.Suite);
        Assert.Equal(expected, blocks.HeadHash);
        Assert.Equal(0UL, blocks.Head!.Height);
        Assert.Equal(expected, again.Header.ComputeHash(config.Suite));
        Assert.Equal(1337UL, blocks.ChainId);
        Assert.Equal(TestChain.InitialBalance, new WorldState(store, config.Suite, genesis.Header.StateRoot).GetBalance(new TestAccount(config.Suite, 1).Address));
    }

    [Fact]
    public void Initialize_RefusesAStoreThatBelongsToAnotherChain()
    {
        using var store = new MemoryStore();
        ChainConfig mine = TestChain.CreateConfig();
        new BlockStore(store, mine.Suite).Initialize(mine);
        ChainConfig other = TestChain.CreateConfig(chainId: 4242);

        var error = Assert.Throws<LedgerStoreException>(() => new BlockStore(store, other.Suite).Initialize(other));

        Assert.StartsWith("the data directory belongs to chain 1337 (genesis 0x", error.Message, StringComparison.Ordinal);
        Assert.Contains("not to this configuration's chain 4242", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Commit_MakesBlockHeaderReceiptsAndTransactionsReadable()
    {
        using var chain = new TestChain();
        Address token = Erc20.CreatedAddress(chain.Alice.Address, 0);
        VerifiedTransaction deploy = chain.Alice.Call(0, null, Erc20.Deployment(new UInt256(100)));
        VerifiedTransaction transfer = chain.Bob.Transfer(0, chain.Carol.Address, Ether);
        BlockExecutionResult result = chain.Append(deploy, transfer);
        Hash256 hash = result.Header.ComputeHash(chain.Suite);

        Assert.Equal(hash, chain.Blocks.HeadHash);
        Assert.Equal(hash, chain.Blocks.GetBlockHash(1));
        Assert.Equal(result.Block.Encode(), chain.Blocks.GetBlock(1)!.Encode());
        Assert.Equal(result.Block.Encode(), chain.Blocks.GetBlock(hash)!.Encode());
        Assert.Equal(result.Header.Encode(), chain.Blocks.GetHeader(hash)!.Encode());
        Assert.Equal(result.Header.StateRoot, chain.Blocks.GetStateRoot(1));
        Assert.Equal(result.Receipts.Select(r => r.Encode()), chain.Blocks.GetReceipts(hash)!.Select(r => r.Encode()));

        TransactionLocation created = chain.Blocks.FindTransaction(deploy.Hash)!;
        Assert.Equal((hash, 1UL, 0, chain.Alice.Address), (created.BlockHash, created.BlockHeight, created.Index, created.Sender));
        Assert.Equal(token, created.ContractAddress);
        Assert.Equal(0, created.FirstLogIndex);
        Assert.Equal(result.Receipts[0].CumulativeGasUsed, created.GasUsed);
        TransactionLocation sent = chain.Blocks.FindTransaction(transfer.Hash)!;
        Assert.Equal((1, chain.Bob.Address, 21_000UL, 1), (sent.Index, sent.Sender, sent.GasUsed, sent.FirstLogIndex));
        Assert.Null(sent.ContractAddress);
        Assert.Equal(transfer.Transaction.Encode(), sent.Transaction.Encode());
    }

    [Fact]
    public void Reads_ReturnNullForUnknownBlocksAndTransactions()
    {
        using var chain = new TestChain();

        Assert.Null(chain.Blocks.GetBlock(1));
        Assert.Null(chain.Blocks.GetHeader(Keccak256.Hash([1])));
        Assert.Null(chain.Blocks.GetReceipts(Keccak256.Hash([1])));
        Assert.Null(chain.Blocks.FindTransaction(Keccak256.Hash([1])));
        Assert.Null(chain.Blocks.GetStateRoot(5));
        Assert.Empty(chain.Blocks.GetReceipts(chain.Blocks.HeadHash)!);
    }

    [Fact]
    public void Commit_RefusesABlockThatDoesNotExtendTheHead()
    {
        using var chain = new TestChain();
        (BlockExecutionResult first, WorldState state) = chain.Build(chain.Alice.Transfer(0, chain.Bob.Address, Ether));
        chain.Blocks.Commit(first.Block, first, state);

        var error = Assert.Throws<LedgerStoreException>(() => chain.Blocks.Commit(first.Block, first, state));

        Assert.Equal($"block 1 with parent {first.Header.ParentHash} does not extend the head, block 1 ({chain.Blocks.HeadHash})", error.Message);
    }

    [Fact]
    public void Commit_RefusesAStateWhoseRootIsNotTheHeadersAndWritesNothing()
    {
        using var chain = new TestChain();
        (BlockExecutionResult result, WorldState state) = chain.Build(chain.Alice.Transfer(0, chain.Bob.Address, Ether));
        state.AddBalance(chain.Carol.Address, UInt256.One);
        Hash256 before = chain.Blocks.HeadHash;

        var error = Assert.Throws<LedgerStoreException>(() => chain.Blocks.Commit(result.Block, result, state));

        Assert.StartsWith("block 1: the state's root 0x", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, chain.Blocks.HeadHash);
        Assert.Null(chain.Blocks.GetBlockHash(1));
        Assert.Null(chain.Blocks.FindTransaction(result.Transactions[0].Transaction.Hash));
    }

    [Fact]
    public void Commit_WithoutSendersRecoversThemFromTheSignatures()
    {
        using var chain = new TestChain();
        VerifiedTransaction transfer = chain.Alice.Transfer(0, chain.Bob.Address, Ether);
        (BlockExecutionResult result, WorldState state) = chain.Build(transfer);

        chain.Blocks.Commit(result.Block, result.Receipts, state);

        Assert.Equal(chain.Alice.Address, chain.Blocks.FindTransaction(transfer.Hash)!.Sender);
    }

    [Fact]
    public void Reopen_SqliteStoreRestartsAtTheLastCommittedBlockWithItsState()
    {
        using var directory = new TempDirectory();
        string path = directory.File("chain.db");
        Hash256 head;
        VerifiedTransaction transfer;
        using (SqliteStore store = SqliteStore.Open(path))
        {
            using var chain = new TestChain(store);
            chain.Append(chain.Alice.Transfer(0, chain.Bob.Address, Ether));
            transfer = chain.Alice.Transfer(1, chain.Bob.Address, Ether);
            chain.Append(transfer);
            head = chain.Blocks.HeadHash;
        }

        using SqliteStore reopened = SqliteStore.Open(path);
        var blocks = new BlockStore(reopened, TestChain.CreateConfig().Suite);
        blocks.Initialize(TestChain.CreateConfig());

        Assert.Equal(head, blocks.HeadHash);
        Assert.Equal(2UL, blocks.Head!.Height);
        Assert.Equal(2UL, blocks.FindTransaction(transfer.Hash)!.BlockHeight);
        var state = new WorldState(reopened, blocks.Suite, blocks.Head.StateRoot);
        Assert.Equal(TestChain.InitialBalance + Ether + Ether, state.GetBalance(new TestAccount(blocks.Suite, 2).Address));
    }

    [Fact]
    public void Commit_FailingMidBatchLeavesTheHeadAndEverythingElseUnchanged()
    {
        using var directory = new TempDirectory();
        string path = directory.File("chain.db");
        using SqliteStore store = SqliteStore.Open(path);
        using var chain = new TestChain(store);
        chain.Append(chain.Alice.Transfer(0, chain.Bob.Address, Ether));
        Hash256 head = chain.Blocks.HeadHash;
        VerifiedTransaction transfer = chain.Alice.Call(1, null, Erc20.Deployment(new UInt256(5)));
        (BlockExecutionResult result, WorldState state) = chain.Build(transfer);

        // Inject the failure inside SQLite: the head pointer is the last write of the batch, so a trigger that
        // aborts on it fails the batch after the state nodes, block, receipts and indexes have been inserted.
        using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            connection.Open();
            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = "CREATE TRIGGER fail_head BEFORE UPDATE ON kv WHEN NEW.key = CAST('Lhead' AS BLOB) BEGIN SELECT RAISE(ABORT, 'injected failure'); END;";
            command.ExecuteNonQuery();
        }

        var error = Assert.Throws<SqliteException>(() => chain.Blocks.Commit(result.Block, result, state));

        Assert.Contains("injected failure", error.Message, StringComparison.Ordinal);
        Assert.Equal(head, chain.Blocks.HeadHash);
        Assert.Null(chain.Blocks.GetBlockHash(2));
        Assert.Null(chain.Blocks.FindTransaction(transfer.Hash));
        Assert.Null(store.Get(result.Header.StateRoot.Bytes));
        // No address-log entry of the token's mint (keys 'a' || address || ...; a bare 'a' prefix would also match trie nodes whose hash starts with 0x61).
        Assert.Empty(store.Scan([(byte)'a', .. Erc20.CreatedAddress(chain.Alice.Address, 1).Bytes]));
        using (var reopened = SqliteStore.Open(directory.File("chain.db")))
        {
            Assert.Equal(head, new BlockStore(reopened, chain.Suite).HeadHash);
        }

        // Once the fault is gone, the same block commits from a freshly opened state.
        using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            connection.Open();
            using SqliteCommand command = connection.CreateCommand();
            command.CommandText = "DROP TRIGGER fail_head;";
            command.ExecuteNonQuery();
        }

        BlockExecutionResult retried = chain.Append(transfer);
        Assert.Equal(result.Header.ComputeHash(chain.Suite), retried.Header.ComputeHash(chain.Suite));
        Assert.Equal(2UL, chain.Blocks.FindTransaction(transfer.Hash)!.BlockHeight);
    }
}
