using System.Buffers.Binary;
using System.Text;
using Trellis.Core;
using Trellis.Ledger.Governance;
using Trellis.Network;
using Trellis.Node.Engines;
using Trellis.Node.Tests.JsonRpc;
using Trellis.Node.Tests.Rpc;

namespace Trellis.Node.Tests.P2p;

/// <summary>
/// A certificate revoked by governance vote: real HotStuff nodes drop the peer holding it once the revocation is in
/// force and refuse its reconnects with the reason; calldata is hand-encoded (selector = Keccak-256 of the signature).
/// </summary>
public sealed class RevocationEnforcementTests
{
    private static readonly Address Recipient = Address.Parse("0x00000000000000000000000000000000000000cd");

    [Fact]
    public async Task PeerWhoseCertificateIsRevoked_IsDisconnectedAndRefusedWithTheReason()
    {
        await using var cluster = new P2pCluster(nodes: 4, engine: "hotstuff");
        var options = new NodeStartOptions { Engines = NetworkedEngineRegistry.CreateDefault(), PeerNetwork = P2pCluster.FastOptions };
        var logs = new CapturingLoggerFactory();
        await using TrellisNode first = await TrellisNode.StartAsync(cluster.ConfigFor(0, []), options, logs);
        var nodes = new List<TrellisNode> { first };
        for (int i = 1; i < 4; i++)
        {
            nodes.Add(await cluster.StartWithAsync(i, options, [.. nodes]));
        }

        foreach (TrellisNode node in nodes)
        {
            await PeerNetworkTests.WaitForPeersAsync(node, 3);
        }

        NetworkHost rogue = await cluster.StartRogueAsync([.. nodes]);
        await Eventually.MatchAsync(() => Task.FromResult(rogue.Peers.Count), n => n == 4, "the rogue connected to all four", 20);
        Hash256 fingerprint = cluster.Rogue.Certificate.Fingerprint;

        // org1's admin proposes revoking the rogue's TLS certificate; org2's admin votes yes: 2 of 2 members pass.
        using var client = new TestRpcClient(nodes[1].RpcAddress);
        await client.ResultAsync("eth_sendRawTransaction", $"[\"{cluster.Call(0, 0, GovernanceAddresses.Governance, ProposeRevokeCertificate(fingerprint, "stolen laptop"))}\"]");
        await client.ResultAsync("eth_sendRawTransaction", $"[\"{cluster.Call(1, 0, GovernanceAddresses.Governance, Vote(1))}\"]");

        ulong nonce = 0;
        for (int round = 0; round < 80 && (rogue.Peers.Count > 0 || nodes.Any(n => n.Network!.PeersExpelled == 0)); round++)
        {
            await client.ResultAsync("eth_sendRawTransaction", $"[\"{cluster.Transfer(2, nonce++, Recipient, UInt256.One)}\"]");
            await Task.Delay(250);
        }

        Assert.Empty(rogue.Peers);
        Assert.All(nodes, n => Assert.True(n.Network!.PeersExpelled >= 1, $"{n.Name} closed the revoked node's connection"));

        // Its transport keeps redialling; every handshake is refused because the certificate is revoked.
        await Eventually.MatchAsync(
            () => Task.FromResult(logs.Messages.Count(m => m.Contains("handshake", StringComparison.Ordinal) && m.Contains($"fingerprint {fingerprint}) is revoked: revoked by governance proposal 1", StringComparison.Ordinal))),
            n => n >= 1,
            "a reconnect refused as revoked",
            30);
        Assert.Contains(logs.Messages, m => m.Contains($"node certificate {fingerprint} is revoked: revoked by governance proposal 1 from block", StringComparison.Ordinal) && m.EndsWith(": stolen laptop", StringComparison.Ordinal));
        Assert.Empty(rogue.Peers);
        Assert.All(nodes, n => Assert.Equal(3, n.Network!.PeerCount));
    }

    private static byte[] ProposeRevokeCertificate(Hash256 fingerprint, string reason)
    {
        byte[] text = Encoding.UTF8.GetBytes(reason);
        int padded = (text.Length + 31) / 32 * 32;
        var data = new byte[4 + 32 + 32 + 32 + padded];
        Selector("proposeRevokeCertificate(bytes32,string)").CopyTo(data, 0);
        fingerprint.Bytes.CopyTo(data.AsSpan(4));
        BinaryPrimitives.WriteUInt64BigEndian(data.AsSpan(4 + 32 + 24), 64);
        BinaryPrimitives.WriteUInt64BigEndian(data.AsSpan(4 + 64 + 24), (ulong)text.Length);
        text.CopyTo(data, 4 + 96);
        return data;
    }

    private static byte[] Vote(ulong id)
    {
        var data = new byte[4 + 64];
        Selector("vote(uint64,bool)").CopyTo(data, 0);
        BinaryPrimitives.WriteUInt64BigEndian(data.AsSpan(4 + 24), id);
        data[^1] = 1;
        return data;
    }

    private static byte[] Selector(string signature) => Keccak256.Hash(Encoding.ASCII.GetBytes(signature)).Bytes[..4].ToArray();
}
