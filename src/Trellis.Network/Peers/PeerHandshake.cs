using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Threading.Channels;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Trellis.Crypto;
using Trellis.Network.Admission;
using Trellis.Network.Certificates;
using Trellis.Network.Framing;
using Trellis.Network.Messages;

namespace Trellis.Network.Peers;

/// <summary>
/// Turns a connected socket into a <see cref="PeerConnection"/>: mutual TLS 1.3 with certificates checked against the
/// member CAs and the admission policy (both directions), then two <see cref="Hello"/> frames each way: an offer
/// (protocol, network, nonce) and a proof of the ledger signing key (<see cref="SigningKeyProof"/>). The hello also
/// makes a refusal visible to the side that was refused: in TLS 1.3 a client finishes its handshake before the server
/// has judged the client certificate, so only a missing hello tells it the server said no.
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
        ICryptoSuite? suite,
        PrivateKey? signingKey,
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
            remote = await ExchangeHelloAsync(reader, writer, local, remote, options, suite, signingKey, cancellationToken).ConfigureAwait(false);
            return new PeerConnection(ssl, reader, writer, remote, outbound, options, inbound, logger);
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Exchanges the offer and the proof. A host given a suite requires a valid proof from every validator peer and
    /// checks any proof an observer sends; a host without a suite (tests, legacy) neither requires nor checks proofs.
    /// </summary>
    private static async Task<PeerIdentity> ExchangeHelloAsync(
        PipeReader reader,
        PipeWriter writer,
        NodeCertificate local,
        PeerIdentity remote,
        NetworkOptions options,
        ICryptoSuite? suite,
        PrivateKey? signingKey,
        CancellationToken cancellationToken)
    {
        byte[] nonce = RandomNumberGenerator.GetBytes(SigningKeyProof.NonceLength);
        var frames = new FrameWriter(writer, MaxHelloFrameSize);
        var incoming = new FrameReader(reader, MaxHelloFrameSize);
        var offer = new Hello { ProtocolVersion = ProtocolVersion, NetworkId = options.NetworkId, Nonce = ByteString.CopyFrom(nonce) };
        frames.Write(new Envelope { Type = MessageType.Hello, Payload = offer.ToByteString() });
        Hello theirs = await ReadHelloAsync(frames, incoming, remote, "hello", cancellationToken).ConfigureAwait(false);
        if (theirs.ProtocolVersion != ProtocolVersion)
        {
            throw new HandshakeException($"{remote} speaks protocol version {theirs.ProtocolVersion}; this node speaks {ProtocolVersion}");
        }

        if (!string.Equals(theirs.NetworkId, options.NetworkId, StringComparison.Ordinal))
        {
            throw new HandshakeException($"{remote} is on network \"{theirs.NetworkId}\", not \"{options.NetworkId}\"");
        }

        if (theirs.Nonce.Length != SigningKeyProof.NonceLength)
        {
            throw new HandshakeException($"{remote} sent a hello nonce of {theirs.Nonce.Length} bytes; it must be {SigningKeyProof.NonceLength}");
        }

        byte[] theirNonce = theirs.Nonce.ToByteArray();
        byte[] proof = signingKey is null || suite is null
            ? []
            : SigningKeyProof.Create(suite, signingKey, options.NetworkId, local.Fingerprint, remote.NodeFingerprint, nonce, theirNonce);
        frames.Write(new Envelope { Type = MessageType.Hello, Payload = new Hello { KeyProof = ByteString.CopyFrom(proof) }.ToByteString() });
        Hello theirProof = await ReadHelloAsync(frames, incoming, remote, "signing key proof", cancellationToken).ConfigureAwait(false);
        if (suite is null)
        {
            return remote;
        }

        if (theirProof.KeyProof.IsEmpty)
        {
            if (remote.Role == PeerRole.Validator)
            {
                throw new HandshakeException($"{remote} did not prove it holds the signing key of {remote.SigningAddress.ToLowerHex()}; a validator must");
            }

            return remote;
        }

        if (!SigningKeyProof.TryVerify(
            suite, theirProof.KeyProof.Span, remote.SigningAddress, options.NetworkId, remote.NodeFingerprint, local.Fingerprint, theirNonce, nonce, out string? error))
        {
            throw new HandshakeException($"{remote} failed the signing key proof: {error}");
        }

        return remote with { SigningKeyProven = true };
    }

    /// <summary>Flushes what was written, then reads one hello frame.</summary>
    private static async Task<Hello> ReadHelloAsync(FrameWriter frames, FrameReader incoming, PeerIdentity remote, string what, CancellationToken cancellationToken)
    {
        Envelope? envelope;
        try
        {
            await frames.FlushAsync(cancellationToken).ConfigureAwait(false);
            envelope = await incoming.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (FrameException e)
        {
            throw new HandshakeException($"{remote} sent a bad frame in place of its {what}: {e.Message}", innerException: e);
        }
        catch (IOException e)
        {
            // Typically the other side refused our certificate (or our proof) after TLS completed on our side.
            throw new HandshakeException($"{remote} closed the connection during the {what} ({Describe(e)}); it may not admit this node", innerException: e);
        }

        if (envelope is null)
        {
            throw new HandshakeException($"{remote} closed the connection before its {what}; it may not admit this node");
        }

        if (envelope.Type != MessageType.Hello)
        {
            throw new HandshakeException($"{remote} sent {envelope.Type} before its {what}");
        }

        try
        {
            return Hello.Parser.ParseFrom(envelope.Payload);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new HandshakeException($"{remote} sent a malformed {what}: {e.Message}", innerException: e);
        }
    }

    private static string Describe(Exception e) =>
        e.InnerException is null ? e.Message : $"{e.Message} ({e.InnerException.Message})";
}
