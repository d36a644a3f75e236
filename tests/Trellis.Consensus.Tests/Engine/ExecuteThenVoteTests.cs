using System.Collections.Concurrent;
using Trellis.Consensus.HotStuff;
using Trellis.Consensus.HotStuff.Messages;
using Trellis.Core;
using Trellis.Ledger.Blocks;
using Trellis.Ledger.Execution;
using Trellis.Ledger.Transactions;
using Trellis.State;

namespace Trellis.Consensus.Tests.Engine;

public class ExecuteThenVoteTests
{
    [Fact]
    public async Task ProposalWithAWrongStateRoot_GetsNoVote_AndTheCorrectOneDoes()
    {
        await using var cluster = new EngineCluster();
        var target = cluster.Nodes[2];
        var sent = new ConcurrentQueue<(Address To, byte[] Message)>();
        var capture = new CapturingNetwork(sent);
        var engine = CreateDetached(cluster, target, capture);
        engine.Start();

        // View 1 is led by validator 0 (two views per leader); votes go to the leader of view 2, validator 1.
        var genesis = engine.Genesis;
        var head = target.Blocks.Head!;
        var validator = new TransactionValidator(cluster.Suite, EngineCluster.ChainId);
        Assert.True(validator.DecodeAndValidate(cluster.Transfer(0, 0), out var transfer).IsValid);
        var state = new WorldState(target.Store, cluster.Suite, head.StateRoot);
        var context = new BlockProposalContext(1, head.Timestamp + 1, cluster.Validators[0].Address, cluster.Chain.BlockGasLimit, target.Blocks.GetBlockHash);
        var executed = new BlockExecutor(cluster.Suite, cluster.Chain).Execute(state, head, context, [transfer!], skipInvalid: false);
        Assert.True(executed.IsValid, executed.InvalidReason);

        var wrongRoot = new Hash256(Enumerable.Repeat((byte)0xab, 32).ToArray());
        var wrong = new Block(WithStateRoot(executed.Header, wrongRoot), executed.Block.Transactions);
        engine.Receive(cluster.Validators[0].Address, Propose(cluster, genesis, wrong));
        await cluster.WaitUntilAsync(() => engine.LastRejection?.Contains("state root", StringComparison.Ordinal) == true, "the wrong proposal rejected for its state root");
        await Task.Delay(100);
        Assert.DoesNotContain(sent, m => m.To == cluster.Validators[1].Address);

        engine.Receive(cluster.Validators[0].Address, Propose(cluster, genesis, executed.Block));
        await cluster.WaitUntilAsync(() => sent.Any(m => m.To == cluster.Validators[1].Address), "a vote for the correct proposal");
        var codec = new HotStuffCodec(cluster.Suite, 4);
        var (_, message) = sent.First(m => m.To == cluster.Validators[1].Address);
        Assert.True(codec.TryDecode(message, out var vote, out _));
        Assert.Equal(2, ((VoteMessage)vote!).Validator);
        await engine.DisposeAsync();
    }

    [Fact]
    public async Task ProposalNamingAnotherProposer_GetsNoVote()
    {
        await using var cluster = new EngineCluster();
        var target = cluster.Nodes[2];
        var sent = new ConcurrentQueue<(Address To, byte[] Message)>();
        var engine = CreateDetached(cluster, target, new CapturingNetwork(sent));
        engine.Start();
        var head = target.Blocks.Head!;
        var context = new BlockProposalContext(1, head.Timestamp + 1, cluster.Validators[3].Address, cluster.Chain.BlockGasLimit);
        var executed = new BlockExecutor(cluster.Suite, cluster.Chain).Execute(new WorldState(target.Store, cluster.Suite, head.StateRoot), head, context, [], skipInvalid: false);
        engine.Receive(cluster.Validators[0].Address, Propose(cluster, engine.Genesis, executed.Block));
        await cluster.WaitUntilAsync(() => engine.LastRejection?.Contains("names proposer", StringComparison.Ordinal) == true, "the proposal rejected for its proposer");
        Assert.Empty(sent);
        await engine.DisposeAsync();
    }

    [Fact]
    public void HostileBytes_AreCountedAndNeverThrow()
    {
        var cluster = new EngineCluster();
        var engine = cluster.Nodes[0].Engine;
        var random = new Random(3);
        for (int i = 0; i < 500; i++)
        {
            var bytes = new byte[random.Next(0, 200)];
            random.NextBytes(bytes);
            engine.Receive(cluster.Validators[1].Address, bytes);
        }

        engine.Receive(Address.Parse("0x00000000000000000000000000000000000000aa"), new byte[] { 1, 2, 3 });
        Assert.True(engine.MessagesDropped >= 490);
        Assert.Contains("not a validator", engine.LastDropReason, StringComparison.Ordinal);
    }

    private static HotStuffEngine CreateDetached(EngineCluster cluster, EngineCluster.ClusterNode node, IConsensusNetwork network)
    {
        var options = HotStuffEngineOptions.FromChain(cluster.Chain, null) with { TickInterval = TimeSpan.FromMilliseconds(10) };
        var engine = new HotStuffEngine(options, cluster.Suite, node.Store, node.Blocks, new BlockExecutor(cluster.Suite, cluster.Chain), node.Pool, cluster.NodeKeys[node.Index], cluster.Validators);
        engine.Connect(network);
        return engine;
    }

    private static byte[] Propose(EngineCluster cluster, HotStuffBlock genesis, Block ledgerBlock)
    {
        var block = HotStuffBlock.Create(cluster.Suite, genesis, 1, ledgerBlock.Encode(), ledgerBlock.Header.StateRoot, QuorumCertificate.ForGenesis(genesis.Hash));
        var signature = cluster.Suite.Sign(cluster.NodeKeys[0], SigningMessages.Proposal(genesis.Hash, 1, block.Hash));
        return HotStuffCodec.Encode(new ProposalMessage(block, null, signature));
    }

    private static BlockHeader WithStateRoot(BlockHeader header, Hash256 stateRoot) => new()
    {
        ParentHash = header.ParentHash,
        Height = header.Height,
        Timestamp = header.Timestamp,
        Proposer = header.Proposer,
        TransactionsRoot = header.TransactionsRoot,
        ReceiptsRoot = header.ReceiptsRoot,
        StateRoot = stateRoot,
        LogsBloom = header.LogsBloom,
        GasUsed = header.GasUsed,
        GasLimit = header.GasLimit,
    };

    private sealed class CapturingNetwork(ConcurrentQueue<(Address To, byte[] Message)> sent) : IConsensusNetwork
    {
        public bool Send(Address validator, ReadOnlyMemory<byte> message)
        {
            sent.Enqueue((validator, message.ToArray()));
            return true;
        }

        public int Broadcast(ReadOnlyMemory<byte> message)
        {
            sent.Enqueue((default, message.ToArray()));
            return 3;
        }
    }
}
