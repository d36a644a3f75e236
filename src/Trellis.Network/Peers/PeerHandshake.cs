using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
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
/// (protocol, network, nonce, the sender's CA certificates) and a proof of the ledger signing key
/// (<see cref="SigningKeyProof"/>). A peer whose issuer TLS could not find (a member admitted after genesis: TLS leaves
/// its root out) is judged, with the full check, once its offer arrives with its CA certificates; no proof goes to it
/// and no other frame is read from it before that check passes. The hello also
/// makes a refusal visible to the side that was refused: in TLS 1.3 a client finishes its handshake before the server
/// has judged the client certificate, so only a missing hello tells it the server said no.
/// </summary>
internal static class PeerHandshake
{
    public const uint ProtocolVersion = 1;

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
        using var check = new PeerCertificateCheck(policy);
        try
        {
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

            if (check.Identity is null && !check.IsDeferred)
            {
                throw new HandshakeException(check.Rejection ?? "peer certificate was not checked");
            }

            if (ssl.SslProtocol != SslProtocols.Tls13)
            {
                throw new HandshakeException($"peer negotiated {ssl.SslProtocol}; only TLS 1.3 is allowed");
            }

            if (check.NodeFingerprint == local.Fingerprint)
            {
                throw new HandshakeException("the peer is this node itself", isSelf: true);
            }

            PipeReader reader = PipeReader.Create(ssl, new StreamPipeReaderOptions(leaveOpen: true));
            PipeWriter writer = PipeWriter.Create(ssl, new StreamPipeWriterOptions(leaveOpen: true));
            PeerIdentity remote = await ExchangeHelloAsync(reader, writer, local, check, options, suite, signingKey, cancellationToken).ConfigureAwait(false);
            return new PeerConnection(ssl, reader, writer, remote, outbound, options, inbound, logger);
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Exchanges the offer (with this node's CA certificates) and the proof. Between the two, the peer's certificate
    /// check is completed with the CA certificates of its offer when TLS alone could not find its issuer; no proof is
    /// sent to, and nothing else read from, a peer before that full check passes. A host given a suite requires a valid
    /// proof from every validator peer and checks any proof an observer sends; a host without a suite (tests, legacy)
    /// neither requires nor checks proofs.
    /// </summary>
    private static async Task<PeerIdentity> ExchangeHelloAsync(
        PipeReader reader,
        PipeWriter writer,
        NodeCertificate local,
        PeerCertificateCheck check,
        NetworkOptions options,
        ICryptoSuite? suite,
        PrivateKey? signingKey,
        CancellationToken cancellationToken)
    {
        byte[] nonce = RandomNumberGenerator.GetBytes(SigningKeyProof.NonceLength);
        int maxHelloFrame = Math.Min(HelloCertificates.MaxHelloFrameSize, options.MaxFrameSize);
        var frames = new FrameWriter(writer, maxHelloFrame);
        var incoming = new FrameReader(reader, maxHelloFrame);
        var offer = new Hello { ProtocolVersion = ProtocolVersion, NetworkId = options.NetworkId, Nonce = ByteString.CopyFrom(nonce) };
        HelloCertificates.AddTo(offer.CaCertificates, local);
        frames.Write(new Envelope { Type = MessageType.Hello, Payload = offer.ToByteString() });
        string who = check.Describe();
        Hello theirs = await ReadHelloAsync(frames, incoming, who, "hello", cancellationToken).ConfigureAwait(false);
        if (theirs.ProtocolVersion != ProtocolVersion)
        {
            throw new HandshakeException($"{who} speaks protocol version {theirs.ProtocolVersion}; this node speaks {ProtocolVersion}");
        }

        if (!string.Equals(theirs.NetworkId, options.NetworkId, StringComparison.Ordinal))
        {
            throw new HandshakeException($"{who} is on network \"{theirs.NetworkId}\", not \"{options.NetworkId}\"");
        }

        if (theirs.Nonce.Length != SigningKeyProof.NonceLength)
        {
            throw new HandshakeException($"{who} sent a hello nonce of {theirs.Nonce.Length} bytes; it must be {SigningKeyProof.NonceLength}");
        }

        PeerIdentity remote = CompleteCertificateCheck(check, theirs, who);

        byte[] theirNonce = theirs.Nonce.ToByteArray();
        byte[] proof = signingKey is null || suite is null
            ? []
            : SigningKeyProof.Create(suite, signingKey, options.NetworkId, local.Fingerprint, remote.NodeFingerprint, nonce, theirNonce);
        frames.Write(new Envelope { Type = MessageType.Hello, Payload = new Hello { KeyProof = ByteString.CopyFrom(proof) }.ToByteString() });
        Hello theirProof = await ReadHelloAsync(frames, incoming, remote.ToString(), "signing key proof", cancellationToken).ConfigureAwait(false);
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
    private static async Task<Hello> ReadHelloAsync(FrameWriter frames, FrameReader incoming, string remote, string what, CancellationToken cancellationToken)
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

    /// <summary>
    /// Bounds and decodes the CA certificates of the peer's offer and, when the TLS callback deferred, finishes the full
    /// certificate check and admission with them. Every refusal names the peer and the rule.
    /// </summary>
    private static PeerIdentity CompleteCertificateCheck(PeerCertificateCheck check, Hello offer, string who)
    {
        if (!HelloCertificates.TryRead(offer.CaCertificates, out List<X509Certificate2>? authorities, out string? error))
        {
            throw new HandshakeException($"{who} is refused: {error}");
        }

        try
        {
            return check.Complete(authorities)
                ?? throw new HandshakeException(check.Rejection ?? $"{who}: peer certificate was not checked");
        }
        finally
        {
            HelloCertificates.Dispose(authorities);
        }
    }

    private static string Describe(Exception e) =>
        e.InnerException is null ? e.Message : $"{e.Message} ({e.InnerException.Message})";
}
