using System.Buffers.Binary;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Trellis.Network.Certificates;
using Trellis.Network.Framing;
using Trellis.Network.Messages;

namespace Trellis.Network.Tests;

/// <summary>
/// A hand-driven peer: a real TLS client with a real certificate that can complete the hello and then write any bytes
/// it likes, or read nothing at all.
/// </summary>
internal sealed class RawPeer : IAsyncDisposable
{
    private readonly TcpClient _client;

    private RawPeer(TcpClient client, SslStream stream)
    {
        _client = client;
        Stream = stream;
    }

    public SslStream Stream { get; }

    public static async Task<RawPeer> ConnectAsync(IPEndPoint endpoint, NodeCertificate certificate, SslProtocols protocols = SslProtocols.Tls13)
    {
        var client = new TcpClient();
        await client.ConnectAsync(endpoint);
        var ssl = new SslStream(client.GetStream(), leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "trellis-node",
                ClientCertificateContext = SslStreamCertificateContext.Create(
                    certificate.Certificate, new X509Certificate2Collection(certificate.Authority), offline: true),
                EnabledSslProtocols = protocols,
                // The tests aim at the host's checks of this peer; whom this peer talks to is known.
#pragma warning disable CA5359
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
#pragma warning restore CA5359
            });
        }
        catch
        {
            await ssl.DisposeAsync();
            client.Dispose();
            throw;
        }

        return new RawPeer(client, ssl);
    }

    /// <summary>
    /// Connects and exchanges hellos like a real node: the offer with a nonce, then the proof frame (empty unless
    /// <paramref name="proof"/> makes one from the host's nonce).
    /// </summary>
    public static async Task<RawPeer> ConnectWithHelloAsync(IPEndPoint endpoint, NodeCertificate certificate, string networkId = "test", Func<byte[], byte[], byte[]>? proof = null)
    {
        RawPeer peer = await ConnectAsync(endpoint, certificate);
        byte[] nonce = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        var hello = new Hello { ProtocolVersion = Trellis.Network.Peers.PeerHandshake.ProtocolVersion, NetworkId = networkId, Nonce = ByteString.CopyFrom(nonce) };
        await peer.WriteAsync(FrameFormat.Encode(new Envelope { Type = MessageType.Hello, Payload = hello.ToByteString() }));
        Envelope theirs = await peer.ReadEnvelopeAsync();
        Assert.Equal(MessageType.Hello, theirs.Type);
        byte[] theirNonce = Hello.Parser.ParseFrom(theirs.Payload).Nonce.ToByteArray();
        byte[] signature = proof?.Invoke(nonce, theirNonce) ?? [];
        await peer.WriteAsync(FrameFormat.Encode(new Envelope { Type = MessageType.Hello, Payload = new Hello { KeyProof = ByteString.CopyFrom(signature) }.ToByteString() }));
        Envelope theirProof = await peer.ReadEnvelopeAsync();
        Assert.Equal(MessageType.Hello, theirProof.Type);
        return peer;
    }

    public async Task WriteAsync(byte[] bytes)
    {
        await Stream.WriteAsync(bytes);
        await Stream.FlushAsync();
    }

    public async Task<Envelope> ReadEnvelopeAsync()
    {
        var header = new byte[4];
        await Stream.ReadExactlyAsync(header);
        var body = new byte[BinaryPrimitives.ReadUInt32BigEndian(header)];
        await Stream.ReadExactlyAsync(body);
        return Envelope.Parser.ParseFrom(body);
    }

    /// <summary>True once the other side has closed the connection (reads end or fail), within the timeout.</summary>
    public async Task<bool> IsClosedByPeerAsync(int timeoutMs = 5000)
    {
        var buffer = new byte[64 * 1024];
        using var timeout = new CancellationTokenSource(timeoutMs);
        try
        {
            while (true)
            {
                int read = await Stream.ReadAsync(buffer, timeout.Token);
                if (read == 0)
                {
                    return true;
                }
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (Exception e) when (e is IOException or AuthenticationException or ObjectDisposedException)
        {
            return true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Stream.DisposeAsync();
        _client.Dispose();
    }
}
