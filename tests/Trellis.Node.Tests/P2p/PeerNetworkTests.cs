using System.Net;
using System.Text.Json;
using Trellis.Core;
using Trellis.Node.Tests.JsonRpc;
using Trellis.Node.Tests.Rpc;

namespace Trellis.Node.Tests.P2p;

/// <summary>Three or four in-process nodes over real loopback TLS, with a stand-in engine.</summary>
public sealed class PeerNetworkTests
{
    private static readonly Address Recipient = Address.Parse("0x000000000000000000000000000000000000beef");

    [Fact]
    public async Task Gossip_TakesTransactionsAcceptedOverRpcToValidatorsButNotObservers()
    {
        await using var cluster = new P2pCluster(nodes: 3, observers: 1);
        TrellisNode a = await cluster.StartAsync(0);
        TrellisNode b = await cluster.StartAsync(1, a);
        TrellisNode observer = await cluster.StartAsync(2, a, b);
        await WaitForPeersAsync(a, 2);
        await WaitForPeersAsync(observer, 2);
        using var client = new TestRpcClient(a.RpcAddress);

        var sent = new List<string>();
        for (ulong nonce = 0; nonce < 20; nonce++)
        {
            sent.Add((await client.ResultAsync("eth_sendRawTransaction", $"[\"{cluster.Transfer(0, nonce, Recipient, UInt256.One)}\"]")).GetString()!);
        }

        await Eventually.MatchAsync(() => Task.FromResult(b.Pool.Count), count => count == 20, "all 20 transactions in the other validator's pool");
        Assert.Equal(20, b.TestEngine().Submitted.Count);
        foreach (string hash in sent)
        {
            Assert.True(b.Pool.Contains(Hash256.Parse(hash)), $"validator b lacks {hash}");
        }

        // Gossip batches, so 20 transactions went in far fewer frames; the observer got none of them.
        Assert.InRange(a.Network!.Gossip.BatchesSent, 1, 20);
        Assert.Equal(20, b.Network!.TransactionsReceived);
        await Task.Delay(200);
        Assert.Equal(0, observer.Pool.Count);
        Assert.Empty(observer.TestEngine().Submitted);

        // Received gossip is not forwarded again: b sent no batch of its own.
        Assert.Equal(0, b.Network.Gossip.BatchesSent);
    }

    [Fact]
    public async Task Gossip_FromAnObserverReachesTheValidators()
    {
        await using var cluster = new P2pCluster(nodes: 2, observers: 1);
        TrellisNode validator = await cluster.StartAsync(0);
        TrellisNode observer = await cluster.StartAsync(1, validator);
        await WaitForPeersAsync(observer, 1);
        using var client = new TestRpcClient(observer.RpcAddress);

        string hash = (await client.ResultAsync("eth_sendRawTransaction", $"[\"{cluster.Transfer(1, 0, Recipient, UInt256.One)}\"]")).GetString()!;

        await Eventually.MatchAsync(() => Task.FromResult(validator.Pool.Contains(Hash256.Parse(hash))), found => found, "the observer's transaction in the validator's pool");
    }

    [Fact]
    public async Task ConsensusMessages_GoToTheValidatorWithThatSigningAddressAndBroadcastSkipsObservers()
    {
        await using var cluster = new P2pCluster(nodes: 3, observers: 1);
        TrellisNode a = await cluster.StartAsync(0);
        TrellisNode b = await cluster.StartAsync(1, a);
        TrellisNode observer = await cluster.StartAsync(2, a, b);
        await WaitForPeersAsync(a, 2);

        Assert.True(a.TestEngine().Network!.Send(cluster.Nodes[1].Address, new byte[] { 1, 2, 3 }));
        Assert.False(a.TestEngine().Network!.Send(Address.Parse("0x00000000000000000000000000000000000000ff"), new byte[] { 9 }));
        Assert.Equal(1, a.TestEngine().Network!.Broadcast(new byte[] { 4, 5 }));

        await Eventually.MatchAsync(() => Task.FromResult(b.TestEngine().Received.Count), count => count == 2, "two consensus messages at b");
        (Address From, byte[] Message)[] received = [.. b.TestEngine().Received];
        Assert.All(received, m => Assert.Equal(cluster.Nodes[0].Address, m.From));
        Assert.Equal(new byte[] { 1, 2, 3 }, received[0].Message);
        Assert.Equal(new byte[] { 4, 5 }, received[1].Message);
        await Task.Delay(100);
        Assert.Empty(observer.TestEngine().Received);
    }

    [Fact]
    public async Task Commits_AreAnnouncedAndSyncedByEveryOtherNodeWithTheSameHashes()
    {
        await using var cluster = new P2pCluster(nodes: 3, observers: 1);
        TrellisNode a = await cluster.StartAsync(0);
        TrellisNode b = await cluster.StartAsync(1, a);
        TrellisNode observer = await cluster.StartAsync(2, a, b);
        await WaitForPeersAsync(a, 2);
        using var client = new TestRpcClient(a.RpcAddress);
        await client.ResultAsync("eth_sendRawTransaction", $"[\"{cluster.Transfer(0, 0, Recipient, new UInt256(7))}\"]");

        for (int i = 0; i < 10; i++)
        {
            await a.TestEngine().CommitPendingAsync();
        }

        await WaitForHeightAsync(b, 10);
        await WaitForHeightAsync(observer, 10);
        for (ulong height = 1; height <= 10; height++)
        {
            Assert.Equal(a.Blocks.GetBlockHash(height), b.Blocks.GetBlockHash(height));
            Assert.Equal(a.Blocks.GetBlockHash(height), observer.Blocks.GetBlockHash(height));
        }

        // The transfer executed on the observer too, by its own re-execution of the synced block.
        using var observerClient = new TestRpcClient(observer.RpcAddress);
        Assert.Equal("0x7", (await observerClient.ResultAsync("eth_getBalance", $"[\"{Recipient.ToLowerHex()}\", \"latest\"]")).GetString());
        Assert.True(observer.Network!.Synchronizer.BlocksApplied >= 10);
    }

    [Fact]
    public async Task ALateJoiner_CatchesUpOnConnectAndReportsSyncingUntilThen()
    {
        await using var cluster = new P2pCluster(nodes: 2);
        TrellisNode a = await cluster.StartAsync(0);
        for (int i = 0; i < 25; i++)
        {
            await a.TestEngine().CommitPendingAsync();
        }

        TrellisNode late = await cluster.StartAsync(1, a);

        await WaitForHeightAsync(late, 25);
        Assert.Equal(a.Blocks.HeadHash, late.Blocks.HeadHash);
        await Eventually.MatchAsync(() => Task.FromResult(late.Status.Syncing), syncing => !syncing, "syncing to end");
        Assert.Equal(0, late.Network!.Synchronizer.RejectedResponses);
    }

    [Fact]
    public async Task Sync_FollowsTheEnginesKnownNetworkHeightWithoutAnAnnouncement()
    {
        await using var cluster = new P2pCluster(nodes: 2);
        TrellisNode a = await cluster.StartAsync(0);
        TrellisNode b = await cluster.StartAsync(1, a);
        await WaitForPeersAsync(b, 1);

        // Blocks b hears of only through its engine (as a BFT engine would from a certificate).
        for (int i = 0; i < 3; i++)
        {
            await a.TestEngine().CommitPendingAsync();
        }

        b.TestEngine().ClaimedNetworkHeight = 3;

        await WaitForHeightAsync(b, 3);
    }

    [Fact]
    public async Task Status_ReportsNameHeightRolePeersEngineChainAndSyncingAndHealthSaysOk()
    {
        await using var cluster = new P2pCluster(nodes: 2, observers: 1);
        TrellisNode a = await cluster.StartAsync(0);
        TrellisNode observer = await cluster.StartAsync(1, a);
        await WaitForPeersAsync(a, 1);
        await a.TestEngine().CommitPendingAsync();
        await WaitForHeightAsync(observer, 1);
        using var client = new TestRpcClient(a.RpcAddress);
        using var observerClient = new TestRpcClient(observer.RpcAddress);

        JsonElement status = await client.ResultAsync("trellis_status");
        JsonElement observerStatus = await observerClient.ResultAsync("trellis_status");

        Assert.Equal("node0", status.GetProperty("node").GetString());
        Assert.Equal("0x1", status.GetProperty("height").GetString());
        Assert.Equal("validator", status.GetProperty("role").GetString());
        Assert.Equal(1, status.GetProperty("peers").GetInt32());
        Assert.Equal("hotstuff", status.GetProperty("consensus").GetString());
        Assert.Equal("0x1092", status.GetProperty("chainId").GetString());
        Assert.False(status.GetProperty("syncing").GetBoolean());
        Assert.Equal("observer", observerStatus.GetProperty("role").GetString());
        Assert.Equal("node1", observerStatus.GetProperty("node").GetString());
        Assert.Equal("0x1", (await client.ResultAsync("net_peerCount")).GetString());

        JsonElement error = await client.ErrorAsync("trellis_status", "[1]");
        Assert.Equal(-32602, error.GetProperty("code").GetInt32());

        using var http = new HttpClient { BaseAddress = a.RpcAddress };
        using HttpResponseMessage health = await http.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("ok", await health.Content.ReadAsStringAsync());
    }

    internal static Task WaitForPeersAsync(TrellisNode node, int peers) =>
        Eventually.MatchAsync(() => Task.FromResult(node.Network!.PeerCount), count => count >= peers, $"{peers} peers at {node.Name}", 20);

    internal static Task WaitForHeightAsync(TrellisNode node, ulong height) =>
        Eventually.MatchAsync(() => Task.FromResult(node.Blocks.Head!.Height), h => h >= height, $"height {height} at {node.Name}", 20);
}
