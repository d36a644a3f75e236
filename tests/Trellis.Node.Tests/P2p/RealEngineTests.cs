using Trellis.Consensus;
using Trellis.Core;
using Trellis.Ledger.Blocks;
using Trellis.Node.Engines;
using Trellis.Node.Tests.JsonRpc;
using Trellis.Node.Tests.Rpc;

namespace Trellis.Node.Tests.P2p;

/// <summary>
/// Nodes running the real HotStuff and Raft engines (the default registry) over loopback TLS: transactions sent to
/// one node over JSON-RPC are gossiped, agreed on and committed by every node with identical hashes and
/// certificates the engine itself accepts.
/// </summary>
public sealed class RealEngineTests
{
    private static readonly Address Recipient = Address.Parse("0x00000000000000000000000000000000000000bb");

    [Theory]
    [InlineData("hotstuff", 4)]
    [InlineData("raft", 3)]
    public async Task TransactionsSentToOneNode_CommitOnEveryNodeWithIdenticalHashes(string engine, int count)
    {
        await using var cluster = new P2pCluster(nodes: count, engine: engine);
        var options = new NodeStartOptions { Engines = NetworkedEngineRegistry.CreateDefault(), PeerNetwork = P2pCluster.FastOptions };
        var nodes = new List<TrellisNode>();
        for (int i = 0; i < count; i++)
        {
            nodes.Add(await cluster.StartWithAsync(i, options, [.. nodes]));
        }

        foreach (TrellisNode node in nodes)
        {
            await PeerNetworkTests.WaitForPeersAsync(node, count - 1);
        }

        using var client = new TestRpcClient(nodes[1].RpcAddress);
        for (ulong nonce = 0; nonce < 10; nonce++)
        {
            await client.ResultAsync("eth_sendRawTransaction", $"[\"{cluster.Transfer(0, nonce, Recipient, UInt256.One)}\"]");
        }

        // All ten transfers are in committed blocks on every node.
        foreach (TrellisNode node in nodes)
        {
            await Eventually.MatchAsync(() => Task.FromResult(CountTransactions(node)), n => n == 10, $"10 committed transfers at {node.Name}", 60);
        }

        ulong height = nodes.Min(n => n.Blocks.Head!.Height);
        var engines = nodes.Select(n => (INetworkedConsensusEngine)n.Engine).ToList();
        for (ulong h = 1; h <= height; h++)
        {
            Hash256 expected = nodes[0].Blocks.GetBlockHash(h)!.Value;
            foreach (TrellisNode node in nodes)
            {
                Assert.Equal(expected, node.Blocks.GetBlockHash(h));
                Block block = node.Blocks.GetBlock(h)!;
                Assert.True(engines[0].VerifyCommitCertificate(block, out string? error), $"{node.Name} block {h}: {error}");
            }
        }

        // trellis_getBlockCertificate names who certified each block: a quorum of the validators (HotStuff), or the
        // block's proposer, which must be a validator (Raft). Genesis has no certificate; bad input is refused.
        var validators = cluster.Nodes.Select(n => n.Address.ToLowerHex()).ToHashSet();
        int quorum = engine == "hotstuff" ? (2 * count / 3) + 1 : 1;
        for (ulong h = 1; h <= height; h++)
        {
            var certificate = await client.ResultAsync("trellis_getBlockCertificate", $"[\"0x{h:x}\"]");
            Assert.Equal($"0x{h:x}", certificate.GetProperty("height").GetString());
            Assert.Equal(engine, certificate.GetProperty("engine").GetString());
            string[] signers = [.. certificate.GetProperty("signers").EnumerateArray().Select(a => a.GetString()!)];
            Assert.True(signers.Length >= quorum && signers.Length == signers.Distinct().Count(), $"block {h}: signers {string.Join(", ", signers)}");
            Assert.All(signers, a => Assert.Contains(a, validators));
            if (engine == "raft")
            {
                Assert.Equal(nodes[1].Blocks.GetBlock(h)!.Header.Proposer.ToLowerHex(), Assert.Single(signers));
            }
        }

        Assert.Equal(System.Text.Json.JsonValueKind.Null, (await client.ResultAsync("trellis_getBlockCertificate", "[\"earliest\"]")).ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, (await client.ResultAsync("trellis_getBlockCertificate", "[\"0xffffff\"]")).ValueKind);
        Assert.Equal(-32602, (await client.ErrorAsync("trellis_getBlockCertificate", "[\"0xzz\"]")).GetProperty("code").GetInt32());
        Assert.Equal(-32602, (await client.ErrorAsync("trellis_getBlockCertificate", "[]")).GetProperty("code").GetInt32());
        Assert.Equal(-32602, (await client.ErrorAsync("trellis_getBlockCertificate", "[\"latest\", 1]")).GetProperty("code").GetInt32());
    }

    private static int CountTransactions(TrellisNode node)
    {
        int total = 0;
        for (ulong h = 1; h <= node.Blocks.Head!.Height; h++)
        {
            total += node.Blocks.GetBlock(h)!.Transactions.Count;
        }

        return total;
    }
}
