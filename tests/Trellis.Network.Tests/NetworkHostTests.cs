using System.Net;
using System.Security.Authentication;
using Trellis.Network.Admission;
using Trellis.Network.Certificates;
using Trellis.Network.Framing;
using Trellis.Network.Messages;
using Trellis.Network.Peers;

namespace Trellis.Network.Tests;

public sealed class NetworkHostTests
{
    private static readonly byte[] Hello = "hello"u8.ToArray();

    [Fact]
    public async Task TwoNodes_ConnectAndExchangeMessagesBothWays()
    {
        await using var consortium = new TestConsortium(organisations: 2, nodes: 2);
        NetworkHost a = await consortium.StartAsync(consortium.Nodes[0], TestConsortium.Options());
        NetworkHost b = await consortium.StartAsync(consortium.Nodes[1], TestConsortium.Options([a.LocalEndpoint!]));

        await Eventually.TrueAsync(() => a.Peers.Count == 1 && b.Peers.Count == 1, "a and b connected");
        PeerIdentity seenByA = a.Peers[0].Remote;
        Assert.Equal(consortium.Nodes[1].Fingerprint, seenByA.NodeFingerprint);
        Assert.Equal("node1", seenByA.Name);
        Assert.Equal("org1", seenByA.Organisation);
        Assert.Equal(TestConsortium.AddressOf(1), seenByA.SigningAddress);
        Assert.Equal(consortium.Authorities[1].Fingerprint, seenByA.AuthorityFingerprint);

        await a.SendAsync(b.NodeId, MessageType.Transaction, Hello);
        InboundMessage atB = await b.Inbound.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(MessageType.Transaction, atB.Type);
        Assert.Equal(Hello, atB.Payload.ToArray());
        Assert.Equal(a.NodeId, atB.Peer.NodeFingerprint);

        await b.SendAsync(a.NodeId, MessageType.BlockAnnouncement, new byte[] { 1, 2, 3 });
        InboundMessage atA = await a.Inbound.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(MessageType.BlockAnnouncement, atA.Type);
        Assert.Equal(new byte[] { 1, 2, 3 }, atA.Payload.ToArray());
    }

    [Fact]
    public async Task FourNodes_DiallingEachOther_KeepOneConnectionPerPairAndBroadcastByRole()
    {
        // Every node dials every other, so each pair dials simultaneously and must settle on one connection.
        await using var consortium = new TestConsortium(organisations: 2, nodes: 4, observers: 1);
        var endpoints = new IPEndPoint[4];
        for (int i = 0; i < 4; i++)
        {
            endpoints[i] = ReserveLoopbackEndpoint();
        }

        var hosts = new NetworkHost[4];
        for (int i = 0; i < 4; i++)
        {
            hosts[i] = await consortium.StartAsync(consortium.Nodes[i], TestConsortium.Options([.. endpoints], endpoints[i]));
        }

        await Eventually.TrueAsync(() => hosts.All(h => h.Peers.Count == 3), "full mesh of 4");
        await Task.Delay(300);
        Assert.All(hosts, h => Assert.Equal(3, h.Peers.Count));

        // node3 is the observer: transaction gossip goes to validators only, block announcements to everyone.
        Assert.Equal(2, hosts[0].Broadcast(MessageType.Transaction, Hello, PeerRoles.Validators));
        Assert.Equal(3, hosts[0].Broadcast(MessageType.BlockAnnouncement, Hello, PeerRoles.All));
        for (int i = 1; i < 3; i++)
        {
            Assert.Equal(MessageType.Transaction, (await ReadAsync(hosts[i])).Type);
            Assert.Equal(MessageType.BlockAnnouncement, (await ReadAsync(hosts[i])).Type);
        }

        InboundMessage atObserver = await ReadAsync(hosts[3]);
        Assert.Equal(MessageType.BlockAnnouncement, atObserver.Type);
        Assert.False(hosts[3].Inbound.TryRead(out _));
    }

    [Fact]
    public async Task NodeWithCertificateFromNonMemberCa_IsRefused()
    {
        await using var consortium = new TestConsortium(organisations: 1, nodes: 1);
        using CertificateAuthority outsider = CertificateAuthority.Create("outsider");
        using NodeCertificate intruder = outsider.IssueNodeCertificate("intruder", TestConsortium.AddressOf(9));
        var logger = new TestLogger<NetworkHost>();
        NetworkHost host = await consortium.StartAsync(consortium.Nodes[0], TestConsortium.Options(), logger);

        // The intruder even trusts itself and admits everyone: the member host must still refuse it.
        var intruderPolicy = new GenesisAdmissionPolicy(
            [outsider.Certificate, consortium.Authorities[0].Certificate],
            [new AdmittedNode(consortium.Authorities[0].Fingerprint, consortium.Nodes[0].Fingerprint, PeerRole.Validator)]);
        var intruderLogger = new TestLogger<NetworkHost>();
        NetworkHost intruding = await consortium.StartAsync(intruder, TestConsortium.Options([host.LocalEndpoint!]), intruderLogger, intruderPolicy);

        await Eventually.TrueAsync(() => logger.Contains("not valid under the member CAs"), "refusal logged");
        Assert.Empty(host.Peers);
        Assert.Empty(intruding.Peers);
        await Eventually.TrueAsync(() => intruderLogger.Contains("handshake with"), "intruder saw the refusal");
    }

    [Fact]
    public async Task NodeNotInAdmittedSet_IsRefused()
    {
        await using var consortium = new TestConsortium(organisations: 1, nodes: 1);
        using NodeCertificate stranger = consortium.Authorities[0].IssueNodeCertificate("stranger", TestConsortium.AddressOf(7));
        var logger = new TestLogger<NetworkHost>();
        NetworkHost host = await consortium.StartAsync(consortium.Nodes[0], TestConsortium.Options(), logger);

        var strangerPolicy = new GenesisAdmissionPolicy(
            [consortium.Authorities[0].Certificate],
            [new AdmittedNode(consortium.Authorities[0].Fingerprint, consortium.Nodes[0].Fingerprint, PeerRole.Validator)]);
        NetworkHost strangerHost = await consortium.StartAsync(stranger, TestConsortium.Options([host.LocalEndpoint!]), policy: strangerPolicy);

        await Eventually.TrueAsync(() => logger.Contains("is not in the admitted set"), "refusal logged");
        await Task.Delay(200);
        Assert.Empty(host.Peers);
        Assert.Empty(strangerHost.Peers);
    }

    [Fact]
    public async Task PeerOnAnotherNetworkId_IsRefused()
    {
        await using var consortium = new TestConsortium(organisations: 1, nodes: 2);
        var logger = new TestLogger<NetworkHost>();
        NetworkHost host = await consortium.StartAsync(consortium.Nodes[0], TestConsortium.Options(), logger);
        await using RawPeer peer = await RawPeer.ConnectAsync(host.LocalEndpoint!, consortium.Nodes[1]);
        await peer.WriteAsync(FrameFormat.Encode(new Envelope
        {
            Type = MessageType.Hello,
            Payload = Google.Protobuf.MessageExtensions.ToByteString(new Messages.Hello { ProtocolVersion = 1, NetworkId = "other" }),
        }));

        Assert.True(await peer.IsClosedByPeerAsync());
        await Eventually.TrueAsync(() => logger.Contains("is on network \"other\", not \"test\""), "refusal logged");
        Assert.Empty(host.Peers);
    }

    [Fact]
    public async Task Tls12OnlyClient_IsRefused()
    {
        await using var consortium = new TestConsortium(organisations: 1, nodes: 2);
        var logger = new TestLogger<NetworkHost>();
        NetworkHost host = await consortium.StartAsync(consortium.Nodes[0], TestConsortium.Options(), logger);

#pragma warning disable CA5398 // The point of the test is a client that insists on TLS 1.2.
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using RawPeer peer = await RawPeer.ConnectAsync(host.LocalEndpoint!, consortium.Nodes[1], SslProtocols.Tls12);
            await peer.ReadEnvelopeAsync();
        });
#pragma warning restore CA5398
        await Eventually.TrueAsync(() => logger.Contains("TLS handshake failed"), "refusal logged");
        Assert.Empty(host.Peers);
        await AssertStillServesAsync(consortium, host, consortium.Nodes[1]);
    }

    [Fact]
    public async Task OversizedFrame_DisconnectsThePeerAndHostKeepsServing()
    {
        await using var consortium = new TestConsortium(organisations: 1, nodes: 3);
        var logger = new TestLogger<NetworkHost>();
        NetworkHost host = await consortium.StartAsync(consortium.Nodes[0], TestConsortium.Options(), logger);
        await using RawPeer good = await RawPeer.ConnectWithHelloAsync(host.LocalEndpoint!, consortium.Nodes[2]);
        await using RawPeer bad = await RawPeer.ConnectWithHelloAsync(host.LocalEndpoint!, consortium.Nodes[1]);
        await Eventually.TrueAsync(() => host.Peers.Count == 2, "both raw peers connected");

        await bad.WriteAsync([0x01, 0x00, 0x00, 0x01]); // 16 MiB + 1
        Assert.True(await bad.IsClosedByPeerAsync());
        await Eventually.TrueAsync(() => logger.Contains("frame length 16777217 exceeds the maximum frame size 16777216"), "oversize logged");

        await good.WriteAsync(FrameFormat.Encode(new Envelope { Type = MessageType.Transaction, Payload = Google.Protobuf.ByteString.CopyFrom(Hello) }));
        InboundMessage received = await ReadAsync(host);
        Assert.Equal(consortium.Nodes[2].Fingerprint, received.Peer.NodeFingerprint);
        Assert.Single(host.Peers);
    }

    [Fact]
    public async Task GarbageBytes_DisconnectThePeer()
    {
        await using var consortium = new TestConsortium(organisations: 1, nodes: 2);
        var logger = new TestLogger<NetworkHost>();
        NetworkHost host = await consortium.StartAsync(consortium.Nodes[0], TestConsortium.Options(), logger);
        await using RawPeer bad = await RawPeer.ConnectWithHelloAsync(host.LocalEndpoint!, consortium.Nodes[1]);

        // A 6-byte body of 0xff bytes: a field tag that is not a valid varint.
        await bad.WriteAsync([0, 0, 0, 6, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
        Assert.True(await bad.IsClosedByPeerAsync());
        await Eventually.TrueAsync(() => logger.Contains("is not a valid envelope"), "malformed frame logged");
        await AssertStillServesAsync(consortium, host, consortium.Nodes[1]);
    }

    [Fact]
    public async Task TruncatedFrame_DisconnectsThePeer()
    {
        await using var consortium = new TestConsortium(organisations: 1, nodes: 2);
        var logger = new TestLogger<NetworkHost>();
        NetworkHost host = await consortium.StartAsync(consortium.Nodes[0], TestConsortium.Options(), logger);
        RawPeer bad = await RawPeer.ConnectWithHelloAsync(host.LocalEndpoint!, consortium.Nodes[1]);

        await bad.WriteAsync([0, 0, 0, 100, 0x08, 0x10, 0x12]);
        await bad.Stream.ShutdownAsync();
        await bad.DisposeAsync();
        await Eventually.TrueAsync(() => logger.Contains("stream ended inside a frame: got 3 of 100 body bytes"), "truncation logged", detail: () => string.Join(" | ", logger.Lines));
        await Eventually.TrueAsync(() => host.Peers.Count == 0, "peer dropped");
        await AssertStillServesAsync(consortium, host, consortium.Nodes[1]);
    }

    [Fact]
    public async Task HundredRandomMalformedFrames_NeverCrashTheHost()
    {
        await using var consortium = new TestConsortium(organisations: 1, nodes: 2);
        var logger = new TestLogger<NetworkHost>();
        NetworkHost host = await consortium.StartAsync(consortium.Nodes[0], TestConsortium.Options(), logger);
        var random = new Random(20240605);
        int closed = 0;
        for (int i = 0; i < 100; i++)
        {
            await using RawPeer bad = await RawPeer.ConnectWithHelloAsync(host.LocalEndpoint!, consortium.Nodes[1]);
            await bad.WriteAsync(MalformedFrame(random));
            await bad.Stream.ShutdownAsync();
            if (await bad.IsClosedByPeerAsync())
            {
                closed++;
            }
        }

        Assert.Equal(100, closed);
        await AssertStillServesAsync(consortium, host, consortium.Nodes[1]);
    }

    [Fact]
    public async Task SilentPeer_IsDisconnectedAfterThePingTimeout()
    {
        await using var consortium = new TestConsortium(organisations: 1, nodes: 2);
        var logger = new TestLogger<NetworkHost>();
        NetworkOptions options = new()
        {
            NetworkId = "test",
            PingInterval = TimeSpan.FromMilliseconds(100),
            PingTimeout = TimeSpan.FromMilliseconds(400),
        };
        NetworkHost host = await consortium.StartAsync(consortium.Nodes[0], options, logger);
        await using RawPeer silent = await RawPeer.ConnectWithHelloAsync(host.LocalEndpoint!, consortium.Nodes[1]);

        Envelope ping = await silent.ReadEnvelopeAsync();
        Assert.Equal(MessageType.Ping, ping.Type);
        await Eventually.TrueAsync(() => logger.Contains("ping timeout"), "ping timeout logged");
        Assert.True(await silent.IsClosedByPeerAsync());
    }

    [Fact]
    public async Task PingIsAnsweredWithPong()
    {
        await using var consortium = new TestConsortium(organisations: 1, nodes: 2);
        NetworkHost host = await consortium.StartAsync(consortium.Nodes[0], TestConsortium.Options());
        await using RawPeer peer = await RawPeer.ConnectWithHelloAsync(host.LocalEndpoint!, consortium.Nodes[1]);

        await peer.WriteAsync(FrameFormat.Encode(new Envelope { Type = MessageType.Ping }));
        Envelope answer = await peer.ReadEnvelopeAsync();
        Assert.Equal(MessageType.Pong, answer.Type);
    }

    [Fact]
    public async Task Reconnects_AfterThePeerRestarts()
    {
        await using var consortium = new TestConsortium(organisations: 2, nodes: 2);
        IPEndPoint bEndpoint = ReserveLoopbackEndpoint();
        NetworkHost b = await consortium.StartAsync(consortium.Nodes[1], TestConsortium.Options(listen: bEndpoint));
        NetworkHost a = await consortium.StartAsync(consortium.Nodes[0], TestConsortium.Options([bEndpoint]));
        await Eventually.TrueAsync(() => a.Peers.Count == 1, "first connection");

        await b.DisposeAsync();
        await Eventually.TrueAsync(() => a.Peers.Count == 0, "a notices b is gone");
        await Task.Delay(300); // a few failed redials

        NetworkHost restarted = await consortium.StartAsync(consortium.Nodes[1], TestConsortium.Options(listen: bEndpoint));
        await Eventually.TrueAsync(() => a.Peers.Count == 1 && restarted.Peers.Count == 1, "reconnected");
        await a.SendAsync(restarted.NodeId, MessageType.Transaction, Hello);
        Assert.Equal(Hello, (await ReadAsync(restarted)).Payload.ToArray());
    }

    [Fact]
    public async Task SlowReader_MakesSendAsyncWait_AndTrySendDrops()
    {
        await using var consortium = new TestConsortium(organisations: 1, nodes: 2);
        var options = new NetworkOptions { NetworkId = "test", SendQueueCapacity = 2, PingInterval = TimeSpan.FromSeconds(30), PingTimeout = TimeSpan.FromSeconds(60) };
        NetworkHost host = await consortium.StartAsync(consortium.Nodes[0], options);
        await using RawPeer slow = await RawPeer.ConnectWithHelloAsync(host.LocalEndpoint!, consortium.Nodes[1]);
        await Eventually.TrueAsync(() => host.Peers.Count == 1, "connected");
        PeerConnection connection = host.Peers[0];
        var payload = new byte[1024 * 1024];

        // The peer reads nothing: TCP buffers fill, then the queue, then SendAsync must wait.
        Task? blocked = null;
        int sent = 0;
        for (; sent < 200; sent++)
        {
            Task send = host.SendAsync(consortium.Nodes[1].Fingerprint, MessageType.BlockRangeResponse, payload).AsTask();
            if (await Task.WhenAny(send, Task.Delay(500)) != send)
            {
                blocked = send;
                break;
            }
        }

        Assert.True(sent < 200, "SendAsync never waited although the peer reads nothing");
        Assert.NotNull(blocked);
        Assert.False(blocked.IsCompleted);
        Assert.False(connection.TrySend(MessageType.Transaction, Hello));
        Assert.Equal(1, connection.DroppedMessages);
        Assert.Equal(0, host.Broadcast(MessageType.Transaction, Hello));
        Assert.Equal(2, connection.DroppedMessages);

        // Once the peer reads, the waiting send goes through.
        _ = slow.IsClosedByPeerAsync(timeoutMs: 10_000);
        await blocked.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task RequestAsync_ReturnsTheAnswer_AndTimesOutWithoutOne()
    {
        await using var consortium = new TestConsortium(organisations: 1, nodes: 2);
        NetworkHost a = await consortium.StartAsync(consortium.Nodes[0], TestConsortium.Options());
        NetworkHost b = await consortium.StartAsync(consortium.Nodes[1], TestConsortium.Options([a.LocalEndpoint!]));
        await Eventually.TrueAsync(() => a.Peers.Count == 1 && b.Peers.Count == 1, "connected");

        // b answers block-range requests with the requested heights; it ignores everything else.
        Task server = Task.Run(async () =>
        {
            await foreach (InboundMessage message in b.Inbound.ReadAllAsync())
            {
                if (message.Type == MessageType.BlockRangeRequest)
                {
                    var request = BlockRangeRequest.Parser.ParseFrom(message.Payload.Span);
                    var response = new BlockRangeResponse { FirstHeight = request.FirstHeight };
                    for (uint i = 0; i < request.Count; i++)
                    {
                        response.Blocks.Add(Google.Protobuf.ByteString.CopyFrom(BitConverter.GetBytes(request.FirstHeight + i)));
                    }

                    await b.RespondAsync(message, MessageType.BlockRangeResponse, Google.Protobuf.MessageExtensions.ToByteArray(response));
                }
            }
        });

        byte[] ask = Google.Protobuf.MessageExtensions.ToByteArray(new BlockRangeRequest { FirstHeight = 10, Count = 3 });
        InboundMessage answer = await a.RequestAsync(b.NodeId, MessageType.BlockRangeRequest, ask, TimeSpan.FromSeconds(5));
        Assert.Equal(MessageType.BlockRangeResponse, answer.Type);
        var blocks = BlockRangeResponse.Parser.ParseFrom(answer.Payload.Span);
        Assert.Equal(10UL, blocks.FirstHeight);
        Assert.Equal(3, blocks.Blocks.Count);
        Assert.Equal(12UL, BitConverter.ToUInt64(blocks.Blocks[2].Span));

        TimeoutException timeout = await Assert.ThrowsAsync<TimeoutException>(
            () => a.RequestAsync(b.NodeId, MessageType.Consensus, Hello, TimeSpan.FromMilliseconds(200)));
        Assert.Contains("got no response within 200 ms", timeout.Message, StringComparison.Ordinal);

        await Assert.ThrowsAsync<PeerDisconnectedException>(
            () => a.RequestAsync(consortium.Nodes[0].Fingerprint, MessageType.Consensus, Hello, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task Send_RefusesTransportTypesAndOversizedPayloads()
    {
        await using var consortium = new TestConsortium(organisations: 1, nodes: 2);
        NetworkHost a = await consortium.StartAsync(consortium.Nodes[0], new NetworkOptions { NetworkId = "test", MaxFrameSize = 1024 });
        NetworkHost b = await consortium.StartAsync(consortium.Nodes[1], new NetworkOptions { NetworkId = "test", MaxFrameSize = 1024, Peers = [a.LocalEndpoint!] });
        await Eventually.TrueAsync(() => a.Peers.Count == 1, "connected");

        ArgumentException tooBig = Assert.Throws<ArgumentException>(() => a.TrySend(b.NodeId, MessageType.Transaction, new byte[2000]));
        Assert.Contains("exceeds the maximum frame size 1024", tooBig.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => a.TrySend(b.NodeId, MessageType.Ping, Hello));
        Assert.Throws<ArgumentException>(() => a.TrySend(b.NodeId, MessageType.Unspecified, Hello));
    }

    private static async Task AssertStillServesAsync(TestConsortium consortium, NetworkHost host, NodeCertificate peer)
    {
        await using RawPeer good = await RawPeer.ConnectWithHelloAsync(host.LocalEndpoint!, peer);
        await good.WriteAsync(FrameFormat.Encode(new Envelope { Type = MessageType.Transaction, Payload = Google.Protobuf.ByteString.CopyFrom(Hello) }));
        InboundMessage received = await ReadAsync(host);
        Assert.Equal(peer.Fingerprint, received.Peer.NodeFingerprint);
        Assert.Equal(Hello, received.Payload.ToArray());
        _ = consortium;
    }

    private static async Task<InboundMessage> ReadAsync(NetworkHost host) =>
        await host.Inbound.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));

    private static IPEndPoint ReserveLoopbackEndpoint()
    {
        using var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var endpoint = (IPEndPoint)probe.LocalEndpoint;
        probe.Stop();
        return endpoint;
    }

    /// <summary>One frame that breaks a rule: oversized length, bad protobuf, type 0, or a response without an id.</summary>
    private static byte[] MalformedFrame(Random random)
    {
        switch (random.Next(5))
        {
            case 0:
                uint length = (uint)random.Next(16 * 1024 * 1024 + 1, int.MaxValue);
                return [(byte)(length >> 24), (byte)(length >> 16), (byte)(length >> 8), (byte)length];
            case 1:
                // Truncated: the length claims more than is sent before the stream ends.
                var partial = new byte[4 + random.Next(0, 50)];
                partial[3] = 100;
                random.NextBytes(partial.AsSpan(4));
                return partial;
            case 2:
                // An invalid tag (field number 0) followed by random bytes.
                var body = new byte[1 + random.Next(0, 40)];
                random.NextBytes(body);
                body[0] = (byte)random.Next(0, 8);
                return [0, 0, 0, (byte)body.Length, .. body];
            case 3:
                return FrameFormat.Encode(new Envelope { Payload = Google.Protobuf.ByteString.CopyFrom(RandomBytes(random)) });
            default:
                return FrameFormat.Encode(new Envelope { Type = MessageType.Transaction, IsResponse = true });
        }
    }

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(0, 64)];
        random.NextBytes(bytes);
        return bytes;
    }
}
