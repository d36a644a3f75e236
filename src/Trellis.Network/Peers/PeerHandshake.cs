using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Threading.Channels;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Trellis.Network.Admission;
using Trellis.Network.Certificates;
using Trellis.Network.Framing;
using Trellis.Network.Messages;

namespace Trellis.Network.Peers;

/// <summary>
/// Turns a connected socket into a <see cref="PeerConnection"/>: mutual TLS 1.3 with certificates checked against the
/// member CAs and the admission policy (both directions), then one <see cref="Hello"/> each way. The hello also makes
/// a refusal visible to the side that was refused: in TLS 1.3 a client finishes its handshake before the server has
/// judged the client certificate, so only a missing hello tells it the server said no.
/// </summary>
internal static class PeerHandshake
{
    public const uint ProtocolVersion = 1;

    // A hello is a few dozen bytes; anything large in its place is refused before it is read.
    private const int MaxHelloFrameSize = 4096;

    public static async Task<PeerConnection> RunAsync(
        Socket socket,
        bool outbound,
        NodeCertificate local,
        SslStreamCertificateContext certificateContext,
        IAdmissionPolicy policy,
        NetworkOptions options,
        ChannelWriter<InboundMessage> inbound,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        var ssl = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
        try
        {
            var check = new PeerCertificateCheck(policy);
            try
            {
                if (outbound)
                {
                    await ssl.AuthenticateAsClientAsync(
                        new SslClientAuthenticationOptions
                        {
                            // Peers are identified by certificate fingerprint, not by host name.
                            TargetHost = "trellis-node",
                            ClientCertificateContext = certificateContext,
                            EnabledSslProtocols = SslProtocols.Tls13,
                            CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
                            RemoteCertificateValidationCallback = check.Validate,
                        },
                        cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await ssl.AuthenticateAsServerAsync(
                        new SslServerAuthenticationOptions
                        {
                            ServerCertificateContext = certificateContext,
                            ClientCertificateRequired = true,
                            EnabledSslProtocols = SslProtocols.Tls13,
                            CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
                            RemoteCertificateValidationCallback = check.Validate,
                        },
                        cancellationToken).ConfigureAwait(false);
                }
            }
            catch (AuthenticationException e)
            {
                throw new HandshakeException(check.Rejection ?? $"TLS handshake failed: {Describe(e)}", innerException: e);
            }

            PeerIdentity remote = check.Identity
                ?? throw new HandshakeException(check.Rejection ?? "peer certificate was not checked");
            if (ssl.SslProtocol != SslProtocols.Tls13)
            {
                throw new HandshakeException($"peer negotiated {ssl.SslProtocol}; only TLS 1.3 is allowed");
            }

            if (remote.NodeFingerprint == local.Fingerprint)
            {
                throw new HandshakeException("the peer is this node itself", isSelf: true);
            }

            PipeReader reader = PipeReader.Create(ssl, new StreamPipeReaderOptions(leaveOpen: true));
            PipeWriter writer = PipeWriter.Create(ssl, new StreamPipeWriterOptions(leaveOpen: true));
            await ExchangeHelloAsync(reader, writer, remote, options, cancellationToken).ConfigureAwait(false);
            return new PeerConnection(ssl, reader, writer, remote, outbound, options, inbound, logger);
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task ExchangeHelloAsync(PipeReader reader, PipeWriter writer, PeerIdentity remote, NetworkOptions options, CancellationToken cancellationToken)
    {
        var hello = new Hello { ProtocolVersion = ProtocolVersion, NetworkId = options.NetworkId };
        var frames = new FrameWriter(writer, MaxHelloFrameSize);
        frames.Write(new Envelope { Type = MessageType.Hello, Payload = hello.ToByteString() });
        Envelope? first;
        try
        {
            await frames.FlushAsync(cancellationToken).ConfigureAwait(false);
            first = await new FrameReader(reader, MaxHelloFrameSize).ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (FrameException e)
        {
            throw new HandshakeException($"{remote} sent a bad first frame: {e.Message}", innerException: e);
        }
        catch (IOException e)
        {
            // Typically the other side refused our certificate after TLS completed on our side.
            throw new HandshakeException($"{remote} closed the connection during the hello ({Describe(e)}); it may not admit this node", innerException: e);
        }

        if (first is null)
        {
            throw new HandshakeException($"{remote} closed the connection before its hello; it may not admit this node");
        }

        if (first.Type != MessageType.Hello)
        {
            throw new HandshakeException($"{remote} sent {first.Type} before its hello");
        }

        Hello theirs;
        try
        {
            theirs = Hello.Parser.ParseFrom(first.Payload);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new HandshakeException($"{remote} sent a malformed hello: {e.Message}", innerException: e);
        }

        if (theirs.ProtocolVersion != ProtocolVersion)
        {
            throw new HandshakeException($"{remote} speaks protocol version {theirs.ProtocolVersion}; this node speaks {ProtocolVersion}");
        }

        if (!string.Equals(theirs.NetworkId, options.NetworkId, StringComparison.Ordinal))
        {
            throw new HandshakeException($"{remote} is on network \"{theirs.NetworkId}\", not \"{options.NetworkId}\"");
        }
    }

    private static string Describe(Exception e) =>
        e.InnerException is null ? e.Message : $"{e.Message} ({e.InnerException.Message})";
}
