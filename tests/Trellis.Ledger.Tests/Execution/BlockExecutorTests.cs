using Trellis.Core;
using Trellis.Core.Rlp;
using Trellis.Crypto;
using Trellis.Ledger.Blocks;
using Trellis.Ledger.Execution;
using Trellis.Ledger.Genesis;
using Trellis.Ledger.Pool;
using Trellis.Ledger.Transactions;
using Trellis.State;
using Trellis.State.Trie;

namespace Trellis.Ledger.Tests.Execution;

public sealed class BlockExecutorTests
{
    private static readonly UInt256 Ether = UInt256.Parse("1000000000000000000");
    private static readonly UInt256 TwoGwei = new(2_000_000_000);

    [Fact]
    public void Execute_TransfersMoveValueAndPayTheProposerThePlainTransferGas()
    {
        using var chain = new TestChain();

        BlockExecutionResult result = chain.Append(
            chain.Alice.Transfer(0, chain.Bob.Address, Ether, TwoGwei),
            chain.Alice.Transfer(1, chain.Carol.Address, Ether, TwoGwei, TxType.DynamicFee));

        // A plain value transfer costs exactly G_transaction = 21000 (yellow paper, appendix G); no base fee, so
        // the whole price goes to the proposer.
        WorldState state = chain.OpenState();
        UInt256 fee = new UInt256(21_000) * TwoGwei;
        Assert.Equal(TestChain.InitialBalance - (Ether + fee) - (Ether + fee), state.GetBalance(chain.Alice.Address));
        Assert.Equal(TestChain.InitialBalance + Ether, state.GetBalance(chain.Bob.Address));
        Assert.Equal(TestChain.InitialBalance + Ether, state.GetBalance(chain.Carol.Address));
        Assert.Equal(fee + fee, state.GetBalance(TestChain.Proposer));
        Assert.Equal(2UL, state.GetNonce(chain.Alice.Address));
        Assert.Equal([21_000UL, 42_000UL], result.Receipts.Select(r => r.CumulativeGasUsed));
        Assert.All(result.Receipts, r => Assert.True(r.Success));
        Assert.Equal(42_000UL, result.Header.GasUsed);
        Assert.Equal(1UL, result.Header.Height);
        Assert.Equal(chain.Genesis.Header.ComputeHash(chain.Suite), result.Header.ParentHash);
        Assert.Equal(TestChain.Proposer, result.Header.Proposer);
        Assert.Equal(TestChain.GenesisTimestamp + 1, result.Header.Timestamp);
    }

    [Fact]
    public void Execute_AcceptsAZeroGasPrice()
    {
        using var chain = new TestChain();

        BlockExecutionResult result = chain.Append(chain.Alice.Transfer(0, chain.Bob.Address, Ether, UInt256.Zero, TxType.Legacy));

        WorldState state = chain.OpenState();
        Assert.Single(result.Transactions);
        Assert.Equal(TestChain.InitialBalance - Ether, state.GetBalance(chain.Alice.Address));
        Assert.Equal(UInt256.Zero, state.GetBalance(TestChain.Proposer));
    }

    [Fact]
    public void Execute_DeploysTheErc20AndEmitsItsTransferLogs()
    {
        using var chain = new TestChain();
        var supply = new UInt256(1_000_000);
        Address token = Erc20.CreatedAddress(chain.Alice.Address, 0);

        BlockExecutionResult deploy = chain.Append(chain.Alice.Call(0, null, Erc20.Deployment(supply)));

        ExecutedTransaction created = Assert.Single(deploy.Transactions);
        Assert.True(created.Receipt.Success, created.ExecutionError);
        Assert.Equal(token, created.ContractAddress);
        WorldState state = chain.OpenState();
        Assert.Equal(Erc20.Runtime, state.GetCode(token).ToArray());
        Assert.Equal(supply, state.GetStorage(token, UInt256.Zero));
        Assert.Equal(supply, state.GetStorage(token, Erc20.BalanceSlot(chain.Alice.Address)));
        Log minted = Assert.Single(created.Receipt.Logs);
        Assert.Equal(token, minted.Address);
        Assert.Equal([Erc20.TransferTopic, new Hash256(new byte[32]), Erc20.Topic(chain.Alice.Address)], minted.Topics);
        Assert.Equal(Erc20.Word(supply), minted.Data.ToArray());

        BlockExecutionResult transfer = chain.Append(chain.Alice.Call(1, token, Erc20.Transfer(chain.Bob.Address, new UInt256(250))));

        Receipt receipt = Assert.Single(transfer.Receipts);
        Assert.True(receipt.Success);
        Log log = Assert.Single(receipt.Logs);
        Assert.Equal([Erc20.TransferTopic, Erc20.Topic(chain.Alice.Address), Erc20.Topic(chain.Bob.Address)], log.Topics);
        Assert.Equal(Erc20.Word(new UInt256(250)), log.Data.ToArray());
        state = chain.OpenState();
        Assert.Equal(new UInt256(999_750), state.GetStorage(token, Erc20.BalanceSlot(chain.Alice.Address)));
        Assert.Equal(new UInt256(250), state.GetStorage(token, Erc20.BalanceSlot(chain.Bob.Address)));
        Assert.True(transfer.Header.LogsBloom.MayContain(token.Bytes));
        Assert.True(transfer.Header.LogsBloom.MayContain(Erc20.TransferTopic.Bytes));
        Assert.True(transfer.Header.LogsBloom.MayContain(Erc20.Topic(chain.Bob.Address).Bytes));
        Assert.False(transfer.Header.LogsBloom.MayContain(Erc20.Topic(chain.Carol.Address).Bytes));
    }

    [Fact]
    public void Execute_IncludesARevertedCallWithStatusZeroNoLogsAndItsGasCharged()
    {
        using var chain = new TestChain();
        Address token = Erc20.CreatedAddress(chain.Alice.Address, 0);
        chain.Append(chain.Alice.Call(0, null, Erc20.Deployment(new UInt256(10))));

        // Bob holds no tokens: _transfer's require fails and the call reverts.
        BlockExecutionResult result = chain.Append(chain.Bob.Call(0, token, Erc20.Transfer(chain.Carol.Address, new UInt256(5))));

        ExecutedTransaction failed = Assert.Single(result.Transactions);
        Assert.False(failed.Receipt.Success);
        Assert.Empty(failed.Receipt.Logs);
        Assert.Equal("revert", failed.ExecutionError);
        Assert.True(failed.GasUsed > 21_000);
        Assert.Equal(failed.GasUsed, result.Header.GasUsed);
        Assert.Equal(1UL, chain.OpenState().GetNonce(chain.Bob.Address));
        Assert.Equal(UInt256.Zero, chain.OpenState().GetStorage(token, Erc20.BalanceSlot(chain.Carol.Address)));
    }

    [Fact]
    public void Execute_ReceiptsAndRootsFollowTheEthereumEncodings()
    {
        using var chain = new TestChain();
        VerifiedTransaction first = chain.Alice.Transfer(0, chain.Bob.Address, Ether, TwoGwei, TxType.Legacy);
        VerifiedTransaction second = chain.Alice.Transfer(1, chain.Bob.Address, Ether, TwoGwei, TxType.DynamicFee);

        BlockExecutionResult result = chain.Append(first, second);

        // Legacy receipt: rlp([status, cumulativeGas, bloom, logs]); typed: type byte || the same (EIP-2718).
        byte[] legacy = new RlpList(new RlpString([1]), new RlpString([0x52, 0x08]), new RlpString(new byte[256]), new RlpList()).Encode();
        byte[] typed = [0x02, .. new RlpList(new RlpString([1]), new RlpString([0xa4, 0x10]), new RlpString(new byte[256]), new RlpList()).Encode()];
        Assert.Equal(legacy, result.Receipts[0].Encode());
        Assert.Equal(typed, result.Receipts[1].Encode());
        Hash256 receiptsRoot = PatriciaTrie.ComputeRoot(chain.Suite, [new([0x80], legacy), new([0x01], typed)]);
        Hash256 transactionsRoot = PatriciaTrie.ComputeRoot(chain.Suite, [new([0x80], first.Transaction.Encode()), new([0x01], second.Transaction.Encode())]);
        Assert.Equal(receiptsRoot, result.Header.ReceiptsRoot);
        Assert.Equal(transactionsRoot, result.Header.TransactionsRoot);
        Assert.Equal(chain.OpenState().ComputeStateRoot(), result.Header.StateRoot);
        Assert.Equal(new byte[256], result.Header.LogsBloom.Bytes.ToArray());
    }

    [Fact]
    public void Execute_WhenBuilding_SkipsAStaleNonceAndKeepsTheRest()
    {
        using var chain = new TestChain();
        VerifiedTransaction stale = chain.Alice.Transfer(0, chain.Bob.Address, Ether);
        chain.Append(stale);

        (BlockExecutionResult result, _) = chain.Build(stale, chain.Alice.Transfer(1, chain.Bob.Address, Ether));

        SkippedTransaction skipped = Assert.Single(result.Skipped);
        Assert.Same(stale, skipped.Transaction);
        Assert.Equal("nonce too low: 0 < expected 1", skipped.Reason);
        Assert.Equal(1UL, Assert.Single(result.Transactions).Transaction.Transaction.Nonce);
        Assert.Single(result.Block.Transactions);
    }

    [Fact]
    public void Execute_WhenValidating_AStaleNonceMakesTheBlockInvalid()
    {
        using var chain = new TestChain();
        VerifiedTransaction stale = chain.Alice.Transfer(0, chain.Bob.Address, Ether);
        chain.Append(stale);

        BlockExecutionResult result = chain.Executor.Execute(chain.OpenState(), chain.Blocks.Head!, chain.NextContext(), [chain.Bob.Transfer(0, chain.Carol.Address, Ether), stale], skipInvalid: false);

        Assert.False(result.IsValid);
        Assert.Equal(1, result.InvalidTransactionIndex);
        Assert.Equal($"transaction 1 ({stale.Hash}) is invalid: nonce too low: 0 < expected 1", result.InvalidReason);
        Assert.Throws<InvalidOperationException>(() => result.Block);
    }

    [Fact]
    public void Execute_WhenBuilding_SkipsATransactionThatNeedsMoreGasThanTheBlockHasLeft()
    {
        using var chain = new TestChain(config: TestChain.CreateConfig(gasLimit: 50_000));

        (BlockExecutionResult result, _) = chain.Build(
            chain.Alice.Transfer(0, chain.Bob.Address, Ether, gasLimit: 30_000),
            chain.Bob.Transfer(0, chain.Carol.Address, Ether, gasLimit: 30_000),
            chain.Carol.Transfer(0, chain.Alice.Address, Ether, gasLimit: 21_000));

        // After the first (21000 used of a 30000 limit) 29000 gas is left: the second does not fit, the third does.
        Assert.Equal([chain.Alice.Address, chain.Carol.Address], result.Transactions.Select(t => t.Transaction.Sender));
        Assert.Equal("gas limit 30000 exceeds the 29000 gas left in the block (limit 50000, used 21000)", Assert.Single(result.Skipped).Reason);
        Assert.Equal(42_000UL, result.GasUsed);
    }

    [Fact]
    public void Execute_SkipsATransactionSignedForAnotherChain()
    {
        using var chain = new TestChain();
        VerifiedTransaction foreign = chain.Alice.Transfer(0, chain.Bob.Address, Ether, chainId: 99);

        (BlockExecutionResult result, _) = chain.Build(foreign);

        Assert.Empty(result.Transactions);
        Assert.Equal("chain id 99 is not this chain's 1337", Assert.Single(result.Skipped).Reason);
    }

    [Fact]
    public void Execute_RejectsAContextThatDoesNotFollowTheParent()
    {
        using var chain = new TestChain();
        BlockHeader parent = chain.Blocks.Head!;

        BlockExecutionResult wrongHeight = chain.Executor.Execute(chain.OpenState(), parent, new BlockProposalContext(2, parent.Timestamp, TestChain.Proposer, 30_000_000), [], false);
        BlockExecutionResult earlier = chain.Executor.Execute(chain.OpenState(), parent, new BlockProposalContext(1, parent.Timestamp - 1, TestChain.Proposer, 30_000_000), [], false);

        Assert.Equal("block height 2 does not follow parent height 0", wrongHeight.InvalidReason);
        Assert.Equal($"block timestamp {parent.Timestamp - 1} is before the parent's {parent.Timestamp}", earlier.InvalidReason);
    }

    [Fact]
    public void Execute_IsDeterministicAcrossReplicas()
    {
        using var first = new TestChain();
        using var second = new TestChain();

        Hash256 a = first.Append(first.Alice.Transfer(0, first.Bob.Address, Ether, TwoGwei), first.Bob.Call(0, null, Erc20.Deployment(new UInt256(7)))).Header.ComputeHash(first.Suite);
        Hash256 b = second.Append(second.Alice.Transfer(0, second.Bob.Address, Ether, TwoGwei), second.Bob.Call(0, null, Erc20.Deployment(new UInt256(7)))).Header.ComputeHash(second.Suite);

        Assert.Equal(a, b);
    }

    [Fact]
    public void ExecuteReceivedBlock_AcceptsTheProposersBlockOnAReplica()
    {
        using var proposer = new TestChain();
        using var replica = new TestChain();
        BlockExecutionResult proposed = proposer.Append(proposer.Alice.Transfer(0, proposer.Bob.Address, Ether, TwoGwei), proposer.Alice.Call(1, null, Erc20.Deployment(new UInt256(3))));
        Block block = new(proposed.Header.WithCertificate([1, 2, 3]), proposed.Block.Transactions);

        WorldState state = replica.OpenState();
        BlockExecutionResult checkedBlock = replica.Executor.Execute(state, replica.Blocks.Head!, block);

        Assert.True(checkedBlock.IsValid, checkedBlock.InvalidReason);
        Assert.Same(block, checkedBlock.Block);
        Assert.Equal(proposed.Header.StateRoot, state.ComputeStateRoot());
        replica.Blocks.Commit(block, checkedBlock, state);
        Assert.Equal(proposer.Blocks.HeadHash, replica.Blocks.HeadHash);
    }

    [Fact]
    public void ExecuteReceivedBlock_NamesTheHeaderFieldThatExecutionContradicts()
    {
        using var proposer = new TestChain();
        using var replica = new TestChain();
        BlockExecutionResult proposed = proposer.Append(proposer.Alice.Transfer(0, proposer.Bob.Address, Ether));
        BlockHeader h = proposed.Header;
        Hash256 fake = Keccak256.Hash([1]);

        string? Check(BlockHeader header) =>
            replica.Executor.Execute(replica.OpenState(), replica.Blocks.Head!, new Block(header, proposed.Block.Transactions)).InvalidReason;

        Assert.Equal($"state root {fake} in the header != {h.StateRoot} after execution", Check(Copy(h, stateRoot: fake)));
        Assert.Equal($"receipts root {fake} in the header != {h.ReceiptsRoot} from execution", Check(Copy(h, receiptsRoot: fake)));
        Assert.Equal($"transactions root {fake} in the header != {h.TransactionsRoot} computed from the transactions", Check(Copy(h, transactionsRoot: fake)));
        Assert.Equal("gas used 1 in the header != 21000 by execution", Check(Copy(h, gasUsed: 1)));
        Assert.Equal($"parent hash {fake} is not the parent's hash {h.ParentHash}", Check(Copy(h, parentHash: fake)));
    }

    [Fact]
    public void ExecuteReceivedBlock_RejectsATransactionWhoseSignatureDoesNotVerify()
    {
        using var proposer = new TestChain();
        using var replica = new TestChain();
        BlockExecutionResult proposed = proposer.Append(proposer.Alice.Transfer(0, proposer.Bob.Address, Ether));
        // The native envelope's last byte is the signature's recovery id (0 or 1); 7 recovers nothing.
        byte[] encoded = proposed.Block.Transactions[0].Encode();
        encoded[^1] = 0x07;
        Assert.True(TransactionDecoder.TryDecode(encoded, out Transaction? tampered).IsValid);

        BlockExecutionResult result = replica.Executor.Execute(replica.OpenState(), replica.Blocks.Head!, new Block(proposed.Header, [tampered!]));

        Assert.False(result.IsValid);
        Assert.Equal(0, result.InvalidTransactionIndex);
        Assert.StartsWith("transaction 0 is invalid: invalid signature", result.InvalidReason, StringComparison.Ordinal);
    }

    [Fact]
    public void ExecuteReceivedBlock_TakesPooledSendersAndRecoversTheRestInParallel()
    {
        using var proposer = new TestChain();
        using var replica = new TestChain();
        var transactions = new VerifiedTransaction[40];
        for (int i = 0; i < transactions.Length; i++)
        {
            transactions[i] = proposer.Alice.Transfer((ulong)i, proposer.Bob.Address, UInt256.One);
        }

        BlockExecutionResult proposed = proposer.Append(transactions);
        Assert.Equal(40, proposed.Transactions.Count);
        var pool = new TxPool(replica.Config, replica.Suite, new StateReader(replica.OpenState()));
        for (int i = 0; i < transactions.Length; i += 2)
        {
            Assert.True(pool.TryAdd(transactions[i].Transaction.Encoded).IsAccepted);
        }

        WorldState state = replica.OpenState();
        BlockExecutionResult checkedBlock = replica.Executor.Execute(state, replica.Blocks.Head!, proposed.Block, replica.Blocks.GetBlockHash, pool);

        Assert.True(checkedBlock.IsValid, checkedBlock.InvalidReason);
        Assert.Equal(proposed.Header.StateRoot, state.ComputeStateRoot());
        for (int i = 0; i < transactions.Length; i++)
        {
            VerifiedTransaction used = checkedBlock.Transactions[i].Transaction;
            Assert.Equal(proposer.Alice.Address, used.Sender);
            Assert.Equal(i % 2 == 0, ReferenceEquals(pool.Find(used.Hash), used));
        }

        // The senders recovered for the block are remembered: their late gossip is admitted without a second recovery.
        for (int i = 1; i < transactions.Length; i += 2)
        {
            Assert.True(pool.TryAdd(transactions[i].Transaction.Encoded).IsAccepted);
            Assert.Same(checkedBlock.Transactions[i].Transaction, pool.Find(transactions[i].Hash));
        }
    }

    [Fact]
    public void ExecuteReceivedBlock_NamesTheFirstBadSignatureAmongManyRecoveredInParallel()
    {
        using var proposer = new TestChain();
        using var replica = new TestChain();
        var transactions = new VerifiedTransaction[40];
        for (int i = 0; i < transactions.Length; i++)
        {
            transactions[i] = proposer.Alice.Transfer((ulong)i, proposer.Bob.Address, UInt256.One);
        }

        BlockExecutionResult proposed = proposer.Append(transactions);
        var received = new List<Transaction>(proposed.Block.Transactions);
        foreach (int bad in new[] { 33, 25 })
        {
            // The native envelope's last byte is the signature's recovery id (0 or 1); 7 recovers nothing.
            byte[] encoded = received[bad].Encode();
            encoded[^1] = 0x07;
            Assert.True(TransactionDecoder.TryDecode(encoded, out Transaction? tampered).IsValid);
            received[bad] = tampered!;
        }

        var pool = new TxPool(replica.Config, replica.Suite, new StateReader(replica.OpenState()));
        BlockExecutionResult result = replica.Executor.Execute(replica.OpenState(), replica.Blocks.Head!, new Block(proposed.Header, received), replica.Blocks.GetBlockHash, pool);

        Assert.False(result.IsValid);
        Assert.Equal(25, result.InvalidTransactionIndex);
        Assert.StartsWith("transaction 25 is invalid: invalid signature", result.InvalidReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Execute_RunsInTheNationalSuite()
    {
        ChainConfig config = TestChain.CreateConfig("national");
        using var chain = new TestChain(config: config);

        BlockExecutionResult result = chain.Append(chain.Alice.Transfer(0, chain.Bob.Address, Ether, TwoGwei));

        Assert.Equal(21_000UL, result.GasUsed);
        Assert.Equal(TestChain.InitialBalance + Ether, chain.OpenState().GetBalance(chain.Bob.Address));
        Assert.Equal(CryptoSuites.National.Hash(result.Block.Transactions[0].Encoded), result.Transactions[0].Transaction.Hash);
    }

    [Fact]
    public void Execute_ServesBlockHashFromTheProvider()
    {
        using var chain = new TestChain();
        chain.Append();
        chain.Append();

        // Runtime code: PUSH1 1 BLOCKHASH PUSH1 0 SSTORE PUSH1 2 BLOCKHASH PUSH1 1 SSTORE STOP, returned by init code.
        byte[] runtime = [0x60, 0x01, 0x40, 0x60, 0x00, 0x55, 0x60, 0x02, 0x40, 0x60, 0x01, 0x55, 0x00];
        byte[] init = [0x60, (byte)runtime.Length, 0x60, 0x0c, 0x60, 0x00, 0x39, 0x60, (byte)runtime.Length, 0x60, 0x00, 0xf3, .. runtime];
        Address contract = Erc20.CreatedAddress(chain.Alice.Address, 0);
        chain.Append(chain.Alice.Call(0, null, init));
        chain.Append(chain.Alice.Call(1, contract, [], gasLimit: 100_000));

        WorldState state = chain.OpenState();
        Assert.Equal(UInt256.FromBigEndian(chain.Blocks.GetBlockHash(1)!.Value.Bytes), state.GetStorage(contract, UInt256.Zero));
        Assert.Equal(UInt256.FromBigEndian(chain.Blocks.GetBlockHash(2)!.Value.Bytes), state.GetStorage(contract, UInt256.One));
    }

    private static BlockHeader Copy(BlockHeader h, Hash256? stateRoot = null, Hash256? receiptsRoot = null, Hash256? transactionsRoot = null, ulong? gasUsed = null, Hash256? parentHash = null) => new()
    {
        ParentHash = parentHash ?? h.ParentHash,
        Height = h.Height,
        Timestamp = h.Timestamp,
        Proposer = h.Proposer,
        TransactionsRoot = transactionsRoot ?? h.TransactionsRoot,
        ReceiptsRoot = receiptsRoot ?? h.ReceiptsRoot,
        StateRoot = stateRoot ?? h.StateRoot,
        LogsBloom = h.LogsBloom,
        GasUsed = gasUsed ?? h.GasUsed,
        GasLimit = h.GasLimit,
    };

    private sealed class StateReader(IWorldState state) : IAccountStateReader
    {
        public ulong GetNonce(in Address address) => state.GetNonce(address);

        public UInt256 GetBalance(in Address address) => state.GetBalance(address);
    }
}
