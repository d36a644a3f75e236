using System.Text;
using Trellis.Core;
using Trellis.Ledger.Governance;
using Trellis.Network;
using Trellis.Node.Engines;
using Trellis.Node.Tests.JsonRpc;
using Trellis.Node.Tests.Rpc;

namespace Trellis.Node.Tests.P2p;

/// <summary>
/// The network follows the governance node registry: real HotStuff nodes, member admins voting through IGovernance
/// with hand-encoded calldata (selectors are Keccak-256 of the Solidity signatures).
/// </summary>
public sealed class GovernanceEnforcementTests
{
    private static readonly Address Recipient = Address.Parse("0x00000000000000000000000000000000000000cc");

    [Fact]
    public async Task NodeRemovedByVote_IsDisconnectedAndItsReconnectsRefused_WhileTheOthersStayConnected()
    {
        await using var cluster = new P2pCluster(nodes: 4, engine: "hotstuff");
        var options = new NodeStartOptions { Engines = NetworkedEngineRegistry.CreateDefault(), PeerNetwork = P2pCluster.FastOptions };
        var nodes = new List<TrellisNode>();
        for (int i = 0; i < 4; i++)
        {
            nodes.Add(await cluster.StartWithAsync(i, options, [.. nodes]));
        }

        foreach (TrellisNode node in nodes)
        {
            await PeerNetworkTests.WaitForPeersAsync(node, 3);
        }

        // The rogue is a genesis node (so admitted); its transport dials every node.
        NetworkHost rogue = await cluster.StartRogueAsync([.. nodes]);
        await Eventually.MatchAsync(() => Task.FromResult(rogue.Peers.Count), n => n == 4, "the rogue connected to all four", 20);

        // org1's admin proposes removing it; org2's admin votes yes: 2 of 2 members pass the 2/3 threshold.
        using var client = new TestRpcClient(nodes[1].RpcAddress);
        await client.ResultAsync("eth_sendRawTransaction", $"[\"{cluster.Call(0, 0, GovernanceAddresses.Governance, Calldata("proposeRemoveNode(address)", Word(cluster.Rogue.Address)))}\"]");
        await client.ResultAsync("eth_sendRawTransaction", $"[\"{cluster.Call(1, 0, GovernanceAddresses.Governance, Calldata("vote(uint64,bool)", Word(1), Word(1)))}\"]");

        // Blocks keep coming (transfers), so the removal's block and the one after it commit.
        ulong nonce = 0;
        for (int round = 0; round < 60 && (rogue.Peers.Count > 0 || nodes.Any(n => n.Network!.PeersExpelled == 0)); round++)
        {
            await client.ResultAsync("eth_sendRawTransaction", $"[\"{cluster.Transfer(2, nonce++, Recipient, UInt256.One)}\"]");
            await Task.Delay(250);
        }

        Assert.Empty(rogue.Peers);
        Assert.All(nodes, n => Assert.True(n.Network!.PeersExpelled >= 1, $"{n.Name} closed the removed node's connection"));

        // Its transport keeps redialling; every handshake is refused while the four stay connected.
        await Task.Delay(1500);
        Assert.Empty(rogue.Peers);
        Assert.All(nodes, n => Assert.Equal(3, n.Network!.PeerCount));
    }

    private static byte[] Calldata(string signature, params byte[][] words)
    {
        var data = new byte[4 + (32 * words.Length)];
        Keccak256.Hash(Encoding.ASCII.GetBytes(signature)).Bytes[..4].CopyTo(data);
        for (int i = 0; i < words.Length; i++)
        {
            words[i].CopyTo(data, 4 + (32 * i));
        }

        return data;
    }

    private static byte[] Word(Address address)
    {
        var word = new byte[32];
        address.Bytes.CopyTo(word.AsSpan(12));
        return word;
    }

    private static byte[] Word(ulong value)
    {
        var word = new byte[32];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(word.AsSpan(24), value);
        return word;
    }
}
