using System.Threading.Channels;
using Trellis.Consensus.Solo;
using Trellis.Core;
using Trellis.Ledger.Pool;
using Trellis.Ledger.Transactions;
using Trellis.State;

namespace Trellis.Consensus.Tests.Solo;

public sealed class SoloEngineTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    // Ethereum's intrinsic gas of a plain value transfer (yellow paper, G_transaction).
    private const ulong TransferGas = 21_000;

    [Fact]
    public async Task Submit_CommitsABlockWithTheTransferItsReceiptAndTheNewBalances()
    {
        await using var chain = new SoloFixture();
        Channel<BlockCommittedEventArgs> committed = Listen(chain.Engine);
        chain.Engine.Start();

        var result = chain.Engine.Submit(chain.Transfer(0, 0, chain.Addresses[1], new UInt256(12_345)));
        Assert.True(result.IsAccepted, result.ToString());
        BlockCommittedEventArgs block = await NextAsync(committed);

        Assert.Equal(1UL, block.Block.Header.Height);
        Assert.Equal(chain.Blocks.HeadHash, block.Hash);
        Assert.Equal(result.Hash, Assert.Single(block.TransactionHashes));
        Assert.Equal(chain.Addresses[0], Assert.Single(block.Senders));
        var receipt = Assert.Single(block.Receipts);
        Assert.True(receipt.Success);
        Assert.Equal(TransferGas, receipt.CumulativeGasUsed);
        Assert.Equal(0, chain.Pool.Count);

        WorldState state = chain.HeadState();
        Assert.Equal(SoloFixture.Funding + new UInt256(12_345), state.GetBalance(chain.Addresses[1]));
        Assert.Equal(SoloFixture.Funding - new UInt256(12_345) - new UInt256(TransferGas), state.GetBalance(chain.Addresses[0]));
        Assert.Equal(new UInt256(TransferGas), state.GetBalance(SoloFixture.Proposer));
        Assert.Equal(1UL, state.GetNonce(chain.Addresses[0]));
        Assert.NotNull(chain.Blocks.FindTransaction(result.Hash));
    }

    [Fact]
    public async Task SubmitRange_AdmitsABatchInOrderWakesTheEngineOnceAndCommitsIt()
    {
        await using var chain = new SoloFixture(blockIntervalMs: 0);
        Channel<BlockCommittedEventArgs> committed = Listen(chain.Engine);
        chain.Engine.Start();
        byte[] first = chain.Transfer(0, 0, chain.Addresses[1], UInt256.One);
        ReadOnlyMemory<byte>[] batch =
        [
            first,
            chain.Transfer(0, 1, chain.Addresses[1], UInt256.One),
            first,
            new byte[] { 0x02, 0xc0 },
            chain.Transfer(1, 0, chain.Addresses[2], UInt256.One),
        ];

        TxPoolResult[] results = chain.Engine.SubmitRange(batch);

        Assert.True(results[0].IsAccepted && results[1].IsAccepted && results[4].IsAccepted);
        Assert.Equal(TxError.AlreadyKnown, results[2].Error);
        Assert.False(results[3].IsAccepted);
        Assert.False(string.IsNullOrEmpty(results[3].Message));
        var included = new HashSet<Hash256>();
        while (included.Count < 3)
        {
            included.UnionWith((await NextAsync(committed)).TransactionHashes);
        }

        Assert.Equal(new HashSet<Hash256> { results[0].Hash, results[1].Hash, results[4].Hash }, included);
    }

    [Fact]
    public async Task ProduceBlock_MakesNoEmptyBlockWhenThePoolIsEmpty()
    {
        await using var chain = new SoloFixture();

        Assert.False(chain.Engine.ProduceBlock());

        Assert.Equal(0UL, chain.Blocks.Head!.Height);
        Assert.Null(chain.Blocks.GetBlock(1));
    }

    [Fact]
    public async Task Engine_NeverCommitsTwoBlocksCloserThanTheBlockInterval()
    {
        await using var chain = new SoloFixture(blockIntervalMs: 200);
        Channel<BlockCommittedEventArgs> committed = Listen(chain.Engine);
        chain.Engine.Start();
        chain.Engine.Submit(chain.Transfer(0, 0, chain.Addresses[1], UInt256.One));
        Assert.Equal(1UL, (await NextAsync(committed)).Block.Header.Height);

        chain.Engine.Submit(chain.Transfer(0, 1, chain.Addresses[1], UInt256.One));
        await WaitUntilAsync(() => chain.Time.PendingTimers == 1);
        chain.Time.Advance(TimeSpan.FromMilliseconds(199));
        await Task.Delay(100);
        Assert.False(committed.Reader.TryRead(out _), "a block came before the interval passed");
        Assert.Equal(1UL, chain.Blocks.Head!.Height);

        chain.Time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(2UL, (await NextAsync(committed)).Block.Header.Height);
    }

    [Fact]
    public async Task Blocks_HoldAtMostTheConfiguredNumberOfTransactions()
    {
        await using var chain = new SoloFixture(maxTransactionsPerBlock: 2, blockIntervalMs: 0);
        Channel<BlockCommittedEventArgs> committed = Listen(chain.Engine);
        for (ulong nonce = 0; nonce < 5; nonce++)
        {
            Assert.True(chain.Engine.Submit(chain.Transfer(0, nonce, chain.Addresses[1], UInt256.One)).IsAccepted);
        }

        chain.Engine.Start();
        int[] sizes = [(await NextAsync(committed)).Block.Transactions.Count, (await NextAsync(committed)).Block.Transactions.Count, (await NextAsync(committed)).Block.Transactions.Count];

        Assert.Equal([2, 2, 1], sizes);
        Assert.Equal(5UL, chain.HeadState().GetNonce(chain.Addresses[0]));
    }

    [Fact]
    public async Task TransactionsInvalidWhenTheirTurnComes_AreLeftOutAndDroppedFromThePool()
    {
        await using var chain = new SoloFixture(blockIntervalMs: 0);
        Channel<BlockCommittedEventArgs> committed = Listen(chain.Engine);

        // The pool checks each against the head balance; executed in order, the second can no longer pay.
        UInt256 almostAll = SoloFixture.Funding - new UInt256(TransferGas) - new UInt256(10);
        var spendAll = chain.Engine.Submit(chain.Transfer(0, 0, chain.Addresses[1], almostAll));
        var tooLate = chain.Engine.Submit(chain.Transfer(0, 1, chain.Addresses[2], new UInt256(1_000)));
        Assert.True(spendAll.IsAccepted && tooLate.IsAccepted);

        chain.Engine.Start();
        BlockCommittedEventArgs block = await NextAsync(committed);

        Assert.Equal(spendAll.Hash, Assert.Single(block.TransactionHashes));
        Assert.False(chain.Pool.Contains(tooLate.Hash));
        Assert.Null(chain.Blocks.FindTransaction(tooLate.Hash));
        Assert.Equal(SoloFixture.Funding, chain.HeadState().GetBalance(chain.Addresses[2]));
    }

    [Fact]
    public async Task Submit_RejectsGarbageWithAReasonAndProducesNothing()
    {
        await using var chain = new SoloFixture();
        chain.Engine.Start();

        var result = chain.Engine.Submit([0x02, 0xc0, 0xff]);

        Assert.False(result.IsAccepted);
        Assert.NotEmpty(result.Message);
        Assert.Equal(0, chain.Pool.Count);
        Assert.False(chain.Engine.ProduceBlock());
    }

    [Fact]
    public async Task Submit_RejectsATransactionSignedForAnotherChain()
    {
        await using var chain = new SoloFixture();
        byte[] foreign = new TransactionBuilder
        {
            Type = TxType.DynamicFee,
            ChainId = SoloFixture.ChainId + 1,
            GasLimit = TransferGas,
            To = chain.Addresses[1],
            Value = UInt256.One,
        }.Sign(chain.Suite, chain.Keys[0]).Encode();

        var result = chain.Engine.Submit(foreign);

        Assert.Equal(TxError.InvalidChainId, result.Error);
    }

    [Fact]
    public async Task StorageFailure_FaultsCompletionAndLeavesTheHeadUnchanged()
    {
        var store = new FailingStore();
        await using var chain = new SoloFixture(store: store);
        chain.Engine.Start();
        store.FailCommits = true;

        chain.Engine.Submit(chain.Transfer(0, 0, chain.Addresses[1], UInt256.One));

        var error = await Assert.ThrowsAsync<IOException>(() => chain.Engine.Completion.WaitAsync(Patience));
        Assert.Contains("disk full", error.Message, StringComparison.Ordinal);
        Assert.Equal(0UL, chain.Blocks.Head!.Height);
    }

    [Fact]
    public async Task StopAsync_EndsTheLoopAndAStartedEngineCannotStartAgain()
    {
        await using var chain = new SoloFixture();
        chain.Engine.Start();

        Assert.Throws<InvalidOperationException>(chain.Engine.Start);
        await chain.Engine.StopAsync(CancellationToken.None).WaitAsync(Patience);

        Assert.True(chain.Engine.Completion.IsCompleted);
    }

    [Fact]
    public async Task Blocks_LinkToTheirParentsAndCarryTheProposer()
    {
        await using var chain = new SoloFixture(blockIntervalMs: 0);
        Channel<BlockCommittedEventArgs> committed = Listen(chain.Engine);
        chain.Engine.Start();
        var hashes = new List<Hash256> { chain.Blocks.HeadHash };
        for (ulong nonce = 0; nonce < 3; nonce++)
        {
            chain.Engine.Submit(chain.Transfer(1, nonce, chain.Addresses[2], UInt256.One));
            BlockCommittedEventArgs block = await NextAsync(committed);
            Assert.Equal(hashes[^1], block.Block.Header.ParentHash);
            Assert.Equal(SoloFixture.Proposer, block.Block.Header.Proposer);
            Assert.Equal(block.Hash, block.Block.Header.ComputeHash(chain.Suite));
            hashes.Add(block.Hash);
        }

        Assert.Equal(3UL, chain.Blocks.Head!.Height);
    }

    [Fact]
    public void Options_RejectANegativeIntervalAndZeroTransactionsPerBlock()
    {
        var options = new SoloEngineOptions { BlockInterval = TimeSpan.FromMilliseconds(-1), MaxTransactionsPerBlock = 1, BlockGasLimit = 30_000_000, Proposer = SoloFixture.Proposer };
        Assert.Contains("interval", Assert.Throws<ArgumentOutOfRangeException>(options.Validate).Message, StringComparison.Ordinal);

        options = options with { BlockInterval = TimeSpan.Zero, MaxTransactionsPerBlock = 0 };
        Assert.Contains("at least 1", Assert.Throws<ArgumentOutOfRangeException>(options.Validate).Message, StringComparison.Ordinal);
    }

    private static Channel<BlockCommittedEventArgs> Listen(IConsensusEngine engine)
    {
        var channel = Channel.CreateUnbounded<BlockCommittedEventArgs>();
        engine.BlockCommitted += (_, e) => channel.Writer.TryWrite(e);
        return channel;
    }

    private static async Task<BlockCommittedEventArgs> NextAsync(Channel<BlockCommittedEventArgs> channel)
    {
        using var timeout = new CancellationTokenSource(Patience);
        return await channel.Reader.ReadAsync(timeout.Token);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached in time");
            await Task.Delay(10);
        }
    }
}
