using System.Text;
using Trellis.Consensus.Raft;
using Trellis.Core;
using Trellis.Crypto;
using Trellis.Ledger.Blocks;
using Trellis.Ledger.Governance;

namespace Trellis.Consensus.Tests.Raft;

/// <summary>
/// Raft membership follows the governance registry: real system-contract proposals (org1's admin, the only member,
/// so a proposal executes in the block that carries it and applies from two blocks later), engines over the
/// in-memory network, and a loop playing the node's block sync.
/// </summary>
public sealed class RaftMembershipTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task AddedValidator_SyncsFromGenesisThenItsAcksAreNeededForCommits()
    {
        await using var cluster = new RaftCluster(validators: 3, joiners: 1);
        using var sync = new CancellationTokenSource();
        Task syncing = cluster.RunBlockSyncAsync(sync.Token);
        var joiner = cluster.Nodes[3];
        Assert.Equal("observer", joiner.Engine!.Role);
        Assert.Equal(-1, joiner.Engine.ValidatorIndex);
        await cluster.WaitForLeaderAsync(timeout: Long);

        // Register the joiner as a validator; the proposal executes in block h and applies from h + 2.
        byte[] add = cluster.GovernanceCall(AddNodeCalldata(joiner.Address, "node3", "org1", role: 1));
        Assert.True(cluster.SubmitEverywhere(add, i => i < 3));
        await cluster.WaitForTransactionsAsync([cluster.Suite.Hash(add)], [0, 1, 2], Long);
        var location = cluster.Nodes[0].Blocks!.FindTransaction(cluster.Suite.Hash(add))!;
        Assert.True(location.Receipt.Success, "the proposal executed");
        ulong executed = location.BlockHeight;
        ulong activation = executed + 2;
        var state = GovernanceState.At(cluster.Nodes[0].Store, cluster.Suite, cluster.Nodes[0].Blocks!.GetStateRoot(executed)!.Value);
        Assert.Equal(activation, state.FindNode(joiner.Address)!.ActivationHeight);

        // Blocks keep coming until the joiner's set is active; the joiner (empty store) follows by block sync.
        ulong nonce = 0;
        nonce = await CommitTransfersUntilAsync(cluster, () => cluster.Nodes.All(n => n.Blocks!.Head!.Height >= activation + 1), nonce, [0, 1, 2, 3]);
        Assert.True(joiner.Engine!.ValidatorIndex >= 3);
        Assert.True(joiner.Engine.IsVoter);
        cluster.AssertSameChains();

        // Four voters, majority three. With one original stopped (not the leader) and the joiner cut off, nothing commits.
        int leader = await cluster.WaitForLeaderAsync(i => i < 3, Long);
        int stopped = (leader + 1) % 3;
        await cluster.StopAsync(stopped);
        cluster.Network.Isolate(joiner.Address);
        sync.Cancel();
        await syncing;
        var alive = Enumerable.Range(0, 4).Where(i => i != stopped).ToArray();
        ulong stalled = alive.Max(i => cluster.Nodes[i].Blocks!.Head!.Height);
        byte[] blocked = cluster.Transfer(1, 0);
        cluster.SubmitEverywhere(blocked);
        await Task.Delay(1500);
        Assert.Null(cluster.Nodes[leader].Blocks!.FindTransaction(cluster.Suite.Hash(blocked)));
        Assert.Equal(stalled, alive.Max(i => cluster.Nodes[i].Blocks!.Head!.Height));

        // The joiner's acknowledgements make the majority.
        cluster.Network.Reconnect(joiner.Address);
        await cluster.WaitForTransactionsAsync([cluster.Suite.Hash(blocked)], alive, Long);
        cluster.AssertSameChains(alive);

        // The stopped original restarts from its store and log and converges too.
        cluster.Start(stopped);
        byte[] last = cluster.Transfer(1, 1);
        cluster.SubmitEverywhere(last);
        await cluster.WaitForTransactionsAsync([cluster.Suite.Hash(last)], timeout: Long);
        cluster.AssertSameChains();

        // Every certificate, across the change, verifies on the joiner (whose chain came through sync and Raft).
        for (ulong h = 1; h <= joiner.Blocks!.Head!.Height; h++)
        {
            Assert.True(joiner.Engine!.VerifyCommitCertificate(joiner.Blocks.GetBlock(h)!, out string? error), error);
        }
    }

    [Fact]
    public async Task RemovedLeader_StepsDown_TheRestKeepCommitting_AndItsVotesAndAcksAreIgnored()
    {
        await using var cluster = new RaftCluster(validators: 3, observers: 1);
        using var sync = new CancellationTokenSource();
        int removed = await cluster.WaitForLeaderAsync(timeout: Long);
        Address removedAddress = cluster.Nodes[removed].Address;
        byte[] remove = cluster.GovernanceCall(RemoveNodeCalldata(removedAddress));
        Assert.True(cluster.SubmitEverywhere(remove, i => i < 3));
        await cluster.WaitForTransactionsAsync([cluster.Suite.Hash(remove)], [0, 1, 2], Long);
        var location = cluster.Nodes[0].Blocks!.FindTransaction(cluster.Suite.Hash(remove))!;
        Assert.True(location.Receipt.Success, "the proposal executed");
        ulong executed = location.BlockHeight;
        ulong activation = executed + 2;
        var rest = Enumerable.Range(0, 3).Where(i => i != removed).ToArray();

        // The remaining two keep committing past the activation height under a new leader. The transfers go to the
        // removed leader too, as gossip would in a node: it stays leader (and a voter) until it has proposed and
        // committed the last block of its set, and the engine cluster does not forward a follower's transactions.
        ulong nonce = 0;
        nonce = await CommitTransfersUntilAsync(cluster, () => rest.All(i => cluster.Nodes[i].Blocks!.Head!.Height >= activation + 2), nonce, rest, submitTo: [0, 1, 2]);
        Assert.NotEqual("leader", cluster.Nodes[removed].Engine!.Role);
        Assert.False(cluster.Nodes[removed].Engine!.IsVoter);
        int newLeader = await cluster.WaitForLeaderAsync(i => i != removed, Long);
        Assert.Contains(newLeader, rest);
        Assert.Equal(cluster.Nodes[newLeader].Address, cluster.Nodes[newLeader].Blocks!.Head!.Proposer);
        cluster.AssertSameChains(rest);

        // Blocks the removed node proposed before its removal verify; from the activation height on, its signature does not.
        Block before = cluster.Nodes[rest[0]].BlocksFrom(1).First(b => b.Header.Proposer == removedAddress);
        Assert.True(before.Header.Height < activation);
        Assert.True(cluster.Nodes[rest[0]].Engine!.VerifyCommitCertificate(before, out string? beforeError), beforeError);
        Block after = cluster.Nodes[rest[0]].Blocks!.GetBlock(activation)!;
        Block forged = Resign(cluster, after, cluster.Nodes[removed].Key!);
        Assert.False(cluster.Nodes[rest[0]].Engine!.VerifyCommitCertificate(forged, out string? forgedError));
        Assert.Contains($"is not a validator at height {activation}", forgedError, StringComparison.Ordinal);

        // With one of the two remaining validators stopped, the removed node (running and connected) cannot make a
        // majority with the other: its acknowledgements and votes do not count.
        int stopped = rest[0] == newLeader ? rest[1] : rest[0];
        await cluster.StopAsync(stopped);
        ulong stalled = cluster.Nodes[newLeader].Blocks!.Head!.Height;
        byte[] blocked = cluster.Transfer(1, 0);
        cluster.SubmitEverywhere(blocked);
        await Task.Delay(1500);
        Assert.Equal(stalled, cluster.Nodes[newLeader].Blocks!.Head!.Height);
        Assert.Null(cluster.Nodes[removed].Blocks!.FindTransaction(cluster.Suite.Hash(blocked)));

        cluster.Start(stopped);
        await cluster.WaitForTransactionsAsync([cluster.Suite.Hash(blocked)], rest, Long);
        cluster.AssertSameChains(rest);

        // The removed node restarts as a non-voter; the genesis observer, fresh, syncs across the change.
        await cluster.StopAsync(removed);
        cluster.Start(removed);
        Assert.False(cluster.Nodes[removed].Engine!.IsVoter, $"removed node at height {cluster.Nodes[removed].Blocks!.Head!.Height}, activation {activation}, id {cluster.Nodes[removed].Engine!.ValidatorIndex}");
        Task syncing = cluster.RunBlockSyncAsync(sync.Token);
        await cluster.WaitForHeightAsync(cluster.Nodes[newLeader].Blocks!.Head!.Height, [3, removed], Long);
        sync.Cancel();
        await syncing;
        cluster.AssertSameChains();
        Assert.Equal("observer", cluster.Nodes[removed].Engine!.Role);
    }

    [Fact]
    public async Task VerifyCommitCertificate_RejectsABlockSignedByANodeOutsideTheSetOfItsHeight()
    {
        await using var cluster = new RaftCluster(validators: 3, joiners: 1);
        await cluster.WaitForLeaderAsync(timeout: Long);
        byte[] raw = cluster.Transfer(0, 0);
        cluster.SubmitEverywhere(raw, i => i < 3);
        await cluster.WaitForTransactionsAsync([cluster.Suite.Hash(raw)], [0, 1, 2], Long);
        Block block = cluster.Nodes[0].Blocks!.GetBlock(1)!;
        var engine = cluster.Nodes[0].Engine!;
        Assert.True(engine.VerifyCommitCertificate(block, out string? error), error);

        // The joiner's key signs a well-formed certificate for the same block under its own address: not a validator.
        Block outsider = Resign(cluster, block, cluster.Nodes[3].Key!);
        Assert.False(engine.VerifyCommitCertificate(outsider, out error));
        Assert.Contains("is not a validator at height 1", error, StringComparison.Ordinal);
        var refused = await cluster.Nodes[3].Engine!.ApplySyncedBlocksAsync([outsider], CancellationToken.None);
        Assert.Equal(0, refused.Applied);

        // A validator's key signing for another proposer, and a block whose parent is unknown, are refused too.
        Block mismatched = Resign(cluster, block, cluster.Nodes[1].Key!, proposer: cluster.Nodes[2].Address);
        Assert.False(engine.VerifyCommitCertificate(mismatched, out error));
        Assert.Contains("not the proposer's", error, StringComparison.Ordinal);
        Block orphan = Resign(cluster, block, cluster.Nodes[1].Key!, height: 1000);
        Assert.False(engine.VerifyCommitCertificate(orphan, out error));
        Assert.Contains("parent block 999 is not in the store", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AllRestartedAfterAnAddition_ResumeWithTheNewSet()
    {
        await using var cluster = new RaftCluster(validators: 3, joiners: 1);
        using var sync = new CancellationTokenSource();
        Task syncing = cluster.RunBlockSyncAsync(sync.Token);
        await cluster.WaitForLeaderAsync(timeout: Long);
        byte[] add = cluster.GovernanceCall(AddNodeCalldata(cluster.Nodes[3].Address, "node3", "org1", role: 1));
        cluster.SubmitEverywhere(add, i => i < 3);
        await cluster.WaitForTransactionsAsync([cluster.Suite.Hash(add)], [0, 1, 2], Long);
        ulong activation = cluster.Nodes[0].Blocks!.FindTransaction(cluster.Suite.Hash(add))!.BlockHeight + 2;
        ulong nonce = 0;
        nonce = await CommitTransfersUntilAsync(cluster, () => cluster.Nodes.All(n => n.Blocks!.Head!.Height >= activation), nonce, [0, 1, 2, 3]);
        sync.Cancel();
        await syncing;

        for (int i = 0; i < 4; i++)
        {
            await cluster.StopAsync(i);
        }

        for (int i = 0; i < 4; i++)
        {
            cluster.Start(i);
            Assert.True(cluster.Nodes[i].Engine!.IsVoter, $"node {i} is a voter after the restart");
        }

        // Two of the originals alone are not a majority of four; with the joiner they are.
        await cluster.StopAsync(0);
        int leader = await cluster.WaitForLeaderAsync(timeout: Long);
        Assert.NotEqual(0, leader);
        byte[] next = cluster.Transfer(0, 0);
        cluster.SubmitEverywhere(next);
        await cluster.WaitForTransactionsAsync([cluster.Suite.Hash(next)], [1, 2, 3], Long);
        cluster.AssertSameChains([1, 2, 3]);
    }

    // Commits transfers from account 2 one by one until done holds; returns the next nonce.
    private static async Task<ulong> CommitTransfersUntilAsync(RaftCluster cluster, Func<bool> done, ulong nonce, int[] nodes, int[]? submitTo = null)
    {
        int[] targets = submitTo ?? nodes;
        var deadline = DateTime.UtcNow + Long;
        while (!done())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out: heights {string.Join(",", nodes.Select(i => cluster.Nodes[i].Blocks!.Head!.Height))}");
            byte[] raw = cluster.Transfer(2, nonce++);
            cluster.SubmitEverywhere(raw, i => targets.Contains(i));
            await cluster.WaitForTransactionsAsync([cluster.Suite.Hash(raw)], nodes.Where(i => cluster.Nodes[i].Engine?.IsVoter ?? false), Long);
        }

        return nonce;
    }

    // The same block re-signed by another key, as if it were the proposer (header.Proposer changed, so the hash changes).
    private static Block Resign(RaftCluster cluster, Block block, PrivateKey key, Address? proposer = null, ulong? height = null)
    {
        BlockHeader h = block.Header;
        var header = new BlockHeader
        {
            ParentHash = h.ParentHash,
            Height = height ?? h.Height,
            Timestamp = h.Timestamp,
            Proposer = proposer ?? cluster.Suite.ToAddress(cluster.Suite.DerivePublicKey(key)),
            TransactionsRoot = h.TransactionsRoot,
            ReceiptsRoot = h.ReceiptsRoot,
            StateRoot = h.StateRoot,
            LogsBloom = h.LogsBloom,
            GasUsed = h.GasUsed,
            GasLimit = h.GasLimit,
        };
        Hash256 genesis = cluster.Nodes[0].Blocks!.GetBlockHash(0)!.Value;
        var certificate = RaftCommitCertificate.Sign(cluster.Suite, key, genesis, 1, 2, header.ComputeHash(cluster.Suite));
        return new Block(header.WithCertificate(certificate.Encode()), block.Transactions);
    }

    private static byte[] AddNodeCalldata(Address node, string name, string org, byte role)
    {
        // proposeAddNode(address,string,string,uint8,bytes,bytes32): six head words, then name, org and an empty public key.
        byte[] nameWords = StringWords(name);
        byte[] orgWords = StringWords(org);
        var args = new List<byte[]>
        {
            AddressWord(node),
            UIntWord(6 * 32),
            UIntWord((ulong)(6 * 32) + (ulong)nameWords.Length),
            UIntWord(role),
            UIntWord((ulong)(6 * 32) + (ulong)nameWords.Length + (ulong)orgWords.Length),
            Enumerable.Repeat((byte)0xab, 32).ToArray(),
            nameWords,
            orgWords,
            UIntWord(0),
        };
        return Call("proposeAddNode(address,string,string,uint8,bytes,bytes32)", args);
    }

    private static byte[] RemoveNodeCalldata(Address node) => Call("proposeRemoveNode(address)", [AddressWord(node)]);

    private static byte[] Call(string signature, List<byte[]> words)
    {
        var data = new List<byte>(Keccak256.Hash(Encoding.ASCII.GetBytes(signature)).Bytes[..4].ToArray());
        foreach (byte[] word in words)
        {
            data.AddRange(word);
        }

        return [.. data];
    }

    private static byte[] AddressWord(Address address)
    {
        var word = new byte[32];
        address.Bytes.CopyTo(word.AsSpan(12));
        return word;
    }

    private static byte[] UIntWord(ulong value)
    {
        var word = new byte[32];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(word.AsSpan(24), value);
        return word;
    }

    private static byte[] StringWords(string value)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(value);
        var words = new byte[32 + ((bytes.Length + 31) / 32 * 32)];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(words.AsSpan(24), (ulong)bytes.Length);
        bytes.CopyTo(words, 32);
        return words;
    }
}
