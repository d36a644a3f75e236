using Trellis.Core;
using Trellis.Ledger.Blocks;
using Trellis.Ledger.Execution;
using Trellis.Ledger.Genesis;
using Trellis.Ledger.Storage;
using Trellis.Ledger.Tests.Execution;
using Trellis.Ledger.Tests.Storage;
using Trellis.Ledger.Verification;
using Trellis.State;
using Trellis.State.Storage;

namespace Trellis.Ledger.Tests.Verification;

public sealed class LedgerVerifierTests : IDisposable
{
    private static readonly UInt256 Ether = UInt256.Parse("1000000000000000000");

    private readonly TestChain _chain = new();
    private readonly HashSet<string> _nodesBeforeBlock3 = [];
    private readonly List<byte[]> _nodesOfBlock3 = [];

    public LedgerVerifierTests()
    {
        // Blocks 1..5: a token deployment, token and ether transfers, an empty block.
        TestAccount alice = _chain.Alice, bob = _chain.Bob, carol = _chain.Carol;
        Address token = Erc20.CreatedAddress(alice.Address, 0);
        _chain.Append(alice.Call(0, null, Erc20.Deployment(new UInt256(1000))));
        _chain.Append(alice.Call(1, token, Erc20.Transfer(bob.Address, new UInt256(10))), bob.Transfer(0, carol.Address, Ether));
        foreach (KeyValuePair<byte[], byte[]> entry in _chain.Store.Scan([]))
        {
            _nodesBeforeBlock3.Add(Convert.ToHexString(entry.Key));
        }

        _chain.Append(carol.Transfer(0, alice.Address, Ether), alice.Transfer(2, bob.Address, Ether));
        foreach (KeyValuePair<byte[], byte[]> entry in _chain.Store.Scan([]))
        {
            if (entry.Key.Length == Hash256.Length && !_nodesBeforeBlock3.Contains(Convert.ToHexString(entry.Key)))
            {
                _nodesOfBlock3.Add(entry.Key);
            }
        }

        _chain.Append(bob.Call(1, token, Erc20.Transfer(carol.Address, new UInt256(4))));
        _chain.Append();
    }

    public void Dispose() => _chain.Dispose();

    [Fact]
    public void Verify_PassesACleanLedgerInBothModes()
    {
        var progress = new List<VerifyProgress>();

        VerifyResult full = Verifier().Verify(_chain.Store, headersOnly: false, new SyncProgress(progress));
        VerifyResult headers = Verifier().Verify(_chain.Store, headersOnly: true);

        Assert.True(full.IsValid, full.Reason);
        Assert.True(headers.IsValid, headers.Reason);
        Assert.Equal(6UL, full.BlockCount);
        Assert.Equal(5UL, full.HeadHeight);
        Assert.Equal(_chain.Blocks.HeadHash, full.HeadHash);
        Assert.Equal($"ledger ok: 6 blocks, head {_chain.Blocks.HeadHash}", full.ToString());
        Assert.Equal([0UL, 1, 2, 3, 4, 5], progress.Select(p => p.Height));
        Assert.All(progress, p => Assert.Equal(5UL, p.HeadHeight));
    }

    [Fact]
    public void Verify_NamesTheBlockOfAStoredTransactionWithAFlippedByte()
    {
        byte[] key = BlockStoreKeys.Body(Hash(3));
        byte[] body = _chain.Store.Get(key)!;

        // The body's last byte belongs to the last transaction (its signature's recovery id).
        body[^1] ^= 0x01;
        Put(key, body);
        VerifyResult result = Verifier().Verify(_chain.Store, headersOnly: false);

        AssertBad(result, 3, "the transactions root ");
        Assert.Contains("computed from the stored transactions", result.Reason, StringComparison.Ordinal);
        Assert.True(Verifier().Verify(_chain.Store, headersOnly: true).IsValid);
    }

    [Fact]
    public void Verify_NamesTheBlockOfAStoredTransactionThatNoLongerDecodes()
    {
        byte[] key = BlockStoreKeys.Body(Hash(3));
        byte[] body = _chain.Store.Get(key)!;
        body[1] ^= 0x40;
        Put(key, body);

        AssertBad(Verifier().Verify(_chain.Store, headersOnly: false), 3, "stored body of block 3 does not decode: ");
    }

    [Fact]
    public void Verify_NamesTheFirstBlockWhoseStateContainsAStoredNodeWithAFlippedByte()
    {
        Hash256 root = _chain.Blocks.GetStateRoot(3)!.Value;
        byte[] key = _nodesOfBlock3.First(k => !k.AsSpan().SequenceEqual(root.Bytes));
        byte[] node = _chain.Store.Get(key)!;
        node[node.Length / 2] ^= 0x10;
        Put(key, node);

        VerifyResult result = Verifier().Verify(_chain.Store, headersOnly: false);

        AssertBad(result, 3, "stored state: ");
        Assert.Contains($"node {new Hash256(key)} is corrupt: its stored bytes hash to ", result.Reason, StringComparison.Ordinal);
        Assert.True(Verifier().Verify(_chain.Store, headersOnly: true).IsValid);
    }

    [Fact]
    public void Verify_NamesTheBlockWhoseStateLostANode()
    {
        byte[] key = _nodesOfBlock3[^1];
        using (IWriteBatch batch = _chain.Store.StartBatch())
        {
            batch.Delete(key);
            batch.Commit();
        }

        VerifyResult result = Verifier().Verify(_chain.Store, headersOnly: false);

        AssertBad(result, 3, "stored state: ");
        Assert.EndsWith($"{new Hash256(key)} is missing from the store", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_NamesTheBlockWithABrokenParentLink()
    {
        Hash256 oldHash = Hash(3);
        BlockHeader old = _chain.Blocks.GetHeader(oldHash)!;
        BlockHeader forged = Copy(old, parentHash: Keccak256.Hash([0xde, 0xad]));
        Hash256 newHash = forged.ComputeHash(_chain.Suite);
        Put(BlockStoreKeys.Header(newHash), forged.Encode());
        Put(BlockStoreKeys.Body(newHash), _chain.Store.Get(BlockStoreKeys.Body(oldHash))!);
        Put(BlockStoreKeys.Receipts(newHash), _chain.Store.Get(BlockStoreKeys.Receipts(oldHash))!);
        Put(BlockStoreKeys.Height(3), newHash.Bytes.ToArray());

        VerifyResult full = Verifier().Verify(_chain.Store, headersOnly: false);
        VerifyResult headers = Verifier().Verify(_chain.Store, headersOnly: true);

        AssertBad(full, 3, $"the parent hash {forged.ParentHash} is not the hash {Hash(2)} of block 2");
        AssertBad(headers, 3, "the parent hash ");
        Assert.Equal(newHash, headers.BadHash);
        Assert.StartsWith($"ledger BAD at block 3 ({newHash}): the parent hash", headers.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_NamesAHeaderWhoseBytesNoLongerHashToItsKey()
    {
        byte[] key = BlockStoreKeys.Header(Hash(4));
        BlockHeader header = _chain.Blocks.GetHeader(4)!;
        Put(key, Copy(header, gasUsed: header.GasUsed + 1).Encode());

        AssertBad(Verifier().Verify(_chain.Store, headersOnly: true), 4, "the stored header hashes to ");
    }

    [Fact]
    public void Verify_NamesTheBlockWhoseHeaderHasAWrongReceiptsRoot()
    {
        using var chain = new TestChain();
        chain.Append(chain.Alice.Transfer(0, chain.Bob.Address, Ether));
        (BlockExecutionResult result, WorldState state) = chain.Build(chain.Alice.Transfer(1, chain.Bob.Address, Ether));
        BlockHeader wrong = Copy(result.Header, receiptsRoot: Keccak256.Hash([7]));
        chain.Blocks.Commit(new Block(wrong, result.Block.Transactions), result.Receipts, state);
        chain.Append(chain.Bob.Transfer(0, chain.Alice.Address, Ether));

        VerifyResult verified = new LedgerVerifier(chain.Suite, chain.Config).Verify(chain.Store, headersOnly: false);

        AssertBad(verified, 2, $"the receipts root {wrong.ReceiptsRoot} in the header != {result.Header.ReceiptsRoot} computed from the stored receipts");
    }

    [Fact]
    public void Verify_NamesTheBlockWhoseStoredReceiptsWereAltered()
    {
        byte[] key = BlockStoreKeys.Receipts(Hash(2));
        IReadOnlyList<Receipt> receipts = _chain.Blocks.GetReceipts(Hash(2))!;
        Receipt altered = new(receipts[1].Type, receipts[1].Success, receipts[1].CumulativeGasUsed + 1, receipts[1].Logs);
        Put(key, BlockStore.EncodeReceipts([receipts[0], altered]));

        AssertBad(Verifier().Verify(_chain.Store, headersOnly: false), 2, "the receipts root ");
    }

    [Fact]
    public void Verify_NamesABlockWhoseStateRootReExecutionContradicts()
    {
        // A consistent forgery: the proposer credits itself in the state it commits and in the header's root.
        using var chain = new TestChain();
        chain.Append(chain.Alice.Transfer(0, chain.Bob.Address, Ether));
        (BlockExecutionResult result, WorldState state) = chain.Build(chain.Alice.Transfer(1, chain.Bob.Address, Ether));
        state.AddBalance(TestChain.Proposer, Ether);
        BlockHeader forged = Copy(result.Header, stateRoot: state.ComputeStateRoot());
        chain.Blocks.Commit(new Block(forged, result.Block.Transactions), result.Receipts, state);
        chain.Append();
        var verifier = new LedgerVerifier(chain.Suite, chain.Config);

        VerifyResult verified = verifier.Verify(chain.Store, headersOnly: false);

        AssertBad(verified, 2, $"re-execution from genesis disagrees: state root {forged.StateRoot} in the header != {result.Header.StateRoot} after execution");
        Assert.True(verifier.Verify(chain.Store, headersOnly: true).IsValid);
    }

    [Fact]
    public void Verify_NamesGenesisWhenTheConfigurationIsAnotherChains()
    {
        ChainConfig other = TestChain.CreateConfig(gasLimit: 12_345_678);

        VerifyResult result = new LedgerVerifier(other.Suite, other).Verify(_chain.Store, headersOnly: true);

        AssertBad(result, 0, $"the genesis block {Hash(0)} is not the configuration's genesis ");
    }

    [Fact]
    public void Verify_RefusesAStoreRecordedForAnotherChainId()
    {
        ChainConfig other = TestChain.CreateConfig(chainId: 9);

        VerifyResult result = new LedgerVerifier(other.Suite, other).Verify(_chain.Store, headersOnly: true);

        Assert.False(result.IsValid);
        Assert.Null(result.BadHeight);
        Assert.Equal("ledger BAD: the store belongs to chain 1337, not to the configuration's chain 9", result.ToString());
    }

    [Fact]
    public void Verify_ReportsAnEmptyStoreWithoutNamingABlock()
    {
        using var empty = new MemoryStore();

        VerifyResult result = Verifier().Verify(empty, headersOnly: false);

        Assert.False(result.IsValid);
        Assert.Null(result.BadHeight);
        Assert.Equal("the store has no head block: it is empty or not a Trellis ledger", result.Reason);
    }

    [Fact]
    public void Verify_NamesTheHeadWhenTheHeightIndexDisagreesWithTheHeadPointer()
    {
        Put(BlockStoreKeys.Height(5), Hash(4).Bytes.ToArray());

        VerifyResult result = Verifier().Verify(_chain.Store, headersOnly: true);

        AssertBad(result, 5, "the header says height 4, but it is stored at height 5");
    }

    [Fact]
    public void Verify_ChecksASqliteLedger()
    {
        using var directory = new TempDirectory();
        using SqliteStore store = SqliteStore.Open(directory.File("chain.db"));
        using var chain = new TestChain(store);
        chain.Append(chain.Alice.Call(0, null, Erc20.Deployment(new UInt256(5))));
        chain.Append(chain.Alice.Transfer(1, chain.Bob.Address, Ether));

        Assert.True(new LedgerVerifier(chain.Suite, chain.Config).Verify(store, headersOnly: false).IsValid);
    }

    private static void AssertBad(VerifyResult result, ulong height, string reasonStart)
    {
        Assert.False(result.IsValid);
        Assert.Equal(height, result.BadHeight);
        Assert.Equal(height, result.BlockCount);
        Assert.StartsWith(reasonStart, result.Reason, StringComparison.Ordinal);
    }

    private static BlockHeader Copy(BlockHeader h, Hash256? parentHash = null, Hash256? receiptsRoot = null, Hash256? stateRoot = null, ulong? gasUsed = null) => new()
    {
        ParentHash = parentHash ?? h.ParentHash,
        Height = h.Height,
        Timestamp = h.Timestamp,
        Proposer = h.Proposer,
        TransactionsRoot = h.TransactionsRoot,
        ReceiptsRoot = receiptsRoot ?? h.ReceiptsRoot,
        StateRoot = stateRoot ?? h.StateRoot,
        LogsBloom = h.LogsBloom,
        GasUsed = gasUsed ?? h.GasUsed,
        GasLimit = h.GasLimit,
    };

    private LedgerVerifier Verifier() => new(_chain.Suite, _chain.Config);

    private Hash256 Hash(ulong height) => _chain.Blocks.GetBlockHash(height)!.Value;

    private void Put(byte[] key, byte[] value)
    {
        using IWriteBatch batch = _chain.Store.StartBatch();
        batch.Put(key, value);
        batch.Commit();
    }

    private sealed class SyncProgress(List<VerifyProgress> reports) : IProgress<VerifyProgress>
    {
        public void Report(VerifyProgress value) => reports.Add(value);
    }
}
