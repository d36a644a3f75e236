using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Trellis.Core;
using Trellis.Crypto;
using Trellis.Network.Admission;
using Trellis.Network.Certificates;
using Trellis.Network.Messages;
using Trellis.Network.Peers;

namespace Trellis.Network;

/// <summary>
/// A node's place in the peer network: listens for peers, dials the configured ones (redialling with capped,
/// jittered exponential backoff), keeps one connection per peer, and offers broadcast, direct sends,
/// request/response and a channel of inbound messages.
/// </summary>
/// <remarks>
/// Payloads are sent without copying: do not change a payload's bytes after handing it to a send method.
/// </remarks>
public sealed class NetworkHost : IAsyncDisposable
{
    private readonly NodeCertificate _certificate;
    private readonly IAdmissionPolicy _admission;
    private readonly NetworkOptions _options;
    private readonly ICryptoSuite? _suite;
    private readonly PrivateKey? _signingKey;
    private readonly ILogger _logger;
    private readonly SslStreamCertificateContext _certificateContext;
    private readonly Channel<InboundMessage> _inbound;
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _handshakeSlots;
    private readonly List<Task> _loops = [];

    // Guards _connections: at most one registered connection per peer fingerprint.
    private readonly Lock _gate = new();
    private readonly Dictionary<Hash256, PeerConnection> _connections = [];
    private Socket? _listener;
    private int _disposed;

    /// <summary>
    /// Creates a host for the node holding <paramref name="certificate"/> that neither proves nor checks ledger signing
    /// keys in the handshake (tests and tools); a node uses the constructor that takes the suite.
    /// </summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public NetworkHost(NodeCertificate certificate, IAdmissionPolicy admission, NetworkOptions options, ILogger<NetworkHost>? logger = null)
        : this(certificate, admission, options, null, null, logger)
    {
    }

    /// <summary>
    /// Creates a host for the node holding <paramref name="certificate"/> whose handshakes prove and check ledger
    /// signing keys of <paramref name="suite"/>: it proves <paramref name="signingKey"/> (null for an observer without
    /// one) to every peer, and refuses a validator peer that does not prove the key its certificate names.
    /// </summary>
    /// <exception cref="ArgumentException">An option is out of range, or the signing key is not the one the
    /// certificate names (or not of the suite).</exception>
    public NetworkHost(NodeCertificate certificate, IAdmissionPolicy admission, NetworkOptions options, ICryptoSuite? suite, PrivateKey? signingKey, ILogger<NetworkHost>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(admission);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (signingKey is not null)
        {
            if (suite is null)
            {
                throw new ArgumentException("a signing key needs its crypto suite", nameof(suite));
            }

            if (signingKey.Curve != suite.Curve)
            {
                throw new ArgumentException($"signing key is a {signingKey.Curve} key; the {suite.Name} suite uses {suite.Curve} keys", nameof(signingKey));
            }

            Address keyAddress = suite.ToAddress(suite.DerivePublicKey(signingKey));
            if (keyAddress != certificate.SigningAddress)
            {
                throw new ArgumentException(
                    $"signing key has address {keyAddress.ToLowerHex()}, but node certificate \"{certificate.Name}\" names {certificate.SigningAddress.ToLowerHex()}", nameof(signingKey));
            }
        }

        _suite = suite;
        _signingKey = signingKey;
        _certificate = certificate;
        _admission = admission;
        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _certificateContext = SslStreamCertificateContext.Create(
            certificate.Certificate, new X509Certificate2Collection(certificate.Authority), offline: true);
        _inbound = Channel.CreateBounded<InboundMessage>(new BoundedChannelOptions(options.InboundQueueCapacity)
        {
            SingleWriter = false,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _handshakeSlots = new SemaphoreSlim(options.MaxPendingHandshakes, options.MaxPendingHandshakes);
    }

    /// <summary>Raised when a peer's connection is established (on a pool thread; keep handlers short).</summary>
    public event EventHandler<PeerEventArgs>? PeerConnected;

    /// <summary>Raised when a peer's connection ends (on a pool thread; keep handlers short).</summary>
    public event EventHandler<PeerEventArgs>? PeerDisconnected;

    /// <summary>This node's identity: the SHA-256 fingerprint of its certificate.</summary>
    public Hash256 NodeId => _certificate.Fingerprint;

    /// <summary>The endpoint actually listened on (with the real port), once started.</summary>
    public IPEndPoint? LocalEndpoint { get; private set; }

    /// <summary>Messages from all peers, in arrival order per peer. Answers to requests are not included.</summary>
    public ChannelReader<InboundMessage> Inbound => _inbound.Reader;

    /// <summary>A snapshot of the open connections.</summary>
    public IReadOnlyList<PeerConnection> Peers
    {
        get
        {
            lock (_gate)
            {
                return [.. _connections.Values];
            }
        }
    }

    /// <summary>Binds the listener and starts accepting and dialling.</summary>
    /// <exception cref="SocketException">The listen endpoint cannot be bound.</exception>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (_listener is not null)
        {
            throw new InvalidOperationException("the network host is already started");
        }

        cancellationToken.ThrowIfCancellationRequested();
        var listener = new Socket(_options.ListenEndpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // A restarted node must get its port back at once, not after TIME_WAIT.
            listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Bind(_options.ListenEndpoint);
            listener.Listen(128);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        _listener = listener;
        LocalEndpoint = (IPEndPoint)listener.LocalEndPoint!;
        NetworkLog.Listening(_logger, LocalEndpoint, _certificate.Name);
        lock (_gate)
        {
            _loops.Add(AcceptLoopAsync(listener, _stopping.Token));
            foreach (EndPoint peer in _options.Peers)
            {
                _loops.Add(DialLoopAsync(peer, _stopping.Token));
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>The open connection to <paramref name="peer"/>, if any.</summary>
    public bool TryGetPeer(Hash256 peer, [NotNullWhen(true)] out PeerConnection? connection)
    {
        lock (_gate)
        {
            return _connections.TryGetValue(peer, out connection);
        }
    }

    /// <summary>
    /// Queues a message to every connected peer whose role is in <paramref name="roles"/>, dropping it (and counting
    /// the drop) for peers whose send queue is full. Returns how many peers it was queued for.
    /// </summary>
    public int Broadcast(MessageType type, ReadOnlyMemory<byte> payload, PeerRoles roles = PeerRoles.All)
    {
        int queued = 0;
        foreach (PeerConnection connection in Peers)
        {
            if (connection.Remote.HasRoleIn(roles) && connection.TrySend(type, payload))
            {
                queued++;
            }
        }

        return queued;
    }

    /// <summary>Queues a message to one peer, waiting while its send queue is full.</summary>
    /// <exception cref="PeerDisconnectedException">The peer is not connected.</exception>
    public ValueTask SendAsync(Hash256 peer, MessageType type, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default) =>
        Connection(peer).SendAsync(type, payload, cancellationToken);

    /// <summary>Queues a message to one peer if it is connected and its queue has room.</summary>
    public bool TrySend(Hash256 peer, MessageType type, ReadOnlyMemory<byte> payload) =>
        TryGetPeer(peer, out PeerConnection? connection) && connection.TrySend(type, payload);

    /// <summary>Sends a request to one peer and waits for its answer (block-range sync uses this).</summary>
    /// <exception cref="TimeoutException">No answer within <paramref name="timeout"/>.</exception>
    /// <exception cref="PeerDisconnectedException">The peer is not connected, or disconnects first.</exception>
    public Task<InboundMessage> RequestAsync(Hash256 peer, MessageType type, ReadOnlyMemory<byte> payload, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        Connection(peer).RequestAsync(type, payload, timeout, cancellationToken);

    /// <summary>Answers a request received on <see cref="Inbound"/>, on the connection it came on.</summary>
    /// <exception cref="ArgumentException">The message is not a request.</exception>
    /// <exception cref="PeerDisconnectedException">That connection has closed.</exception>
    public ValueTask RespondAsync(InboundMessage request, MessageType type, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (!request.ExpectsResponse)
        {
            throw new ArgumentException($"the {request.Type} message from {request.Peer} is not a request; nothing waits for an answer", nameof(request));
        }

        return request.Connection.RespondAsync(request.RequestId, type, payload, cancellationToken);
    }

    /// <summary>Stops listening and dialling and closes every connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener?.Dispose();
        PeerConnection[] open;
        Task[] loops;
        lock (_gate)
        {
            open = [.. _connections.Values];
            loops = [.. _loops];
        }

        foreach (PeerConnection connection in open)
        {
            connection.Close("node shutting down");
        }

        await Task.WhenAll(loops).ConfigureAwait(false);
        foreach (PeerConnection connection in open)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        _inbound.Writer.TryComplete();
        _stopping.Dispose();
        _handshakeSlots.Dispose();
    }

    private PeerConnection Connection(Hash256 peer) =>
        TryGetPeer(peer, out PeerConnection? connection)
            ? connection
            : throw new PeerDisconnectedException($"peer {peer} is not connected");

    private async Task AcceptLoopAsync(Socket listener, CancellationToken stopping)
    {
        var handshakes = new List<Task>();
        while (!stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                break;
            }
            catch (SocketException)
            {
                // A connection reset before it was accepted; the listener itself is fine.
                continue;
            }

            handshakes.RemoveAll(task => task.IsCompleted);
            if (!_handshakeSlots.Wait(0, CancellationToken.None))
            {
                NetworkLog.TooManyHandshakes(_logger, Describe(socket), _options.MaxPendingHandshakes);
                socket.Dispose();
                continue;
            }

            handshakes.Add(AcceptAsync(socket, stopping));
        }

        await Task.WhenAll(handshakes).ConfigureAwait(false);
    }

    private async Task AcceptAsync(Socket socket, CancellationToken stopping)
    {
        string endpoint = Describe(socket);
        try
        {
            PeerConnection connection = await HandshakeAsync(socket, outbound: false, stopping).ConfigureAwait(false);
            _ = Register(connection);
        }
        catch (Exception e) when (e is HandshakeException or IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            if (!stopping.IsCancellationRequested)
            {
                NetworkLog.HandshakeFailed(_logger, endpoint, Reason(e));
            }
        }
        finally
        {
            _handshakeSlots.Release();
        }
    }

    private async Task DialLoopAsync(EndPoint endpoint, CancellationToken stopping)
    {
        var backoff = new ExponentialBackoff(_options.ReconnectInitialDelay, _options.ReconnectMaxDelay, _options.ReconnectJitter);
        Hash256? knownPeer = null;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                // Connected already (perhaps through the peer's own dial): wait until that connection ends.
                if (knownPeer is { } id && TryGetPeer(id, out PeerConnection? existing))
                {
                    await existing.Completion.WaitAsync(stopping).ConfigureAwait(false);
                    await Task.Delay(backoff.NextDelay(), stopping).ConfigureAwait(false);
                    continue;
                }

                PeerConnection connection = await DialAsync(endpoint, stopping).ConfigureAwait(false);
                knownPeer = connection.Remote.NodeFingerprint;
                if (Register(connection))
                {
                    backoff.Reset();
                    await connection.Completion.WaitAsync(stopping).ConfigureAwait(false);
                    await Task.Delay(backoff.NextDelay(), stopping).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (HandshakeException e) when (e.IsSelf)
            {
                NetworkLog.DialedSelf(_logger, endpoint);
                break;
            }
            catch (Exception e) when (e is HandshakeException or IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                TimeSpan delay = backoff.NextDelay();
                if (e is HandshakeException)
                {
                    NetworkLog.HandshakeFailed(_logger, endpoint.ToString() ?? "?", Reason(e));
                }

                NetworkLog.DialFailed(_logger, endpoint, Reason(e), delay);
                try
                {
                    await Task.Delay(delay, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    private async Task<PeerConnection> DialAsync(EndPoint endpoint, CancellationToken stopping)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timeout.CancelAfter(_options.HandshakeTimeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint, timeout.Token).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return await HandshakeAsync(socket, outbound: true, stopping).ConfigureAwait(false);
    }

    private async Task<PeerConnection> HandshakeAsync(Socket socket, bool outbound, CancellationToken stopping)
    {
        socket.NoDelay = true;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timeout.CancelAfter(_options.HandshakeTimeout);
        try
        {
            return await PeerHandshake.RunAsync(
                socket, outbound, _certificate, _certificateContext, _admission, _options, _suite, _signingKey, _inbound.Writer, _logger, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            throw new HandshakeException($"handshake did not finish within {_options.HandshakeTimeout.TotalSeconds:F1} s");
        }
    }

    /// <summary>
    /// Registers a new connection, resolving duplicates so both ends keep the same one: between two nodes the
    /// connection dialled by the one with the smaller fingerprint wins; a newer connection in the same direction
    /// replaces an older one (the older is most likely stale, from before a restart).
    /// </summary>
    private bool Register(PeerConnection connection)
    {
        PeerConnection? replaced = null;
        Hash256 peer = connection.Remote.NodeFingerprint;
        lock (_gate)
        {
            if (Volatile.Read(ref _disposed) != 0)
            {
                connection.Start();
                connection.Close("node shutting down");
                return false;
            }

            if (_connections.TryGetValue(peer, out PeerConnection? existing) && existing.IsOpen)
            {
                bool newPreferred = IsPreferred(connection);
                if (!newPreferred && IsPreferred(existing))
                {
                    NetworkLog.DuplicateConnection(_logger, connection.Remote, "the other direction is kept");
                    connection.Start();
                    connection.Close("duplicate connection; the other direction is kept");
                    return false;
                }

                replaced = existing;
            }

            _connections[peer] = connection;
            connection.Start();
        }

        if (replaced is not null)
        {
            NetworkLog.DuplicateConnection(_logger, replaced.Remote, "replaced by a newer connection");
            replaced.Close("replaced by a newer connection to the same peer");
        }

        NetworkLog.PeerConnected(_logger, connection.Remote, connection.IsOutbound ? "outbound" : "inbound");
        Raise(PeerConnected, new PeerEventArgs(connection.Remote, null));
        _ = WatchAsync(connection);
        return true;
    }

    private async Task WatchAsync(PeerConnection connection)
    {
        await connection.Completion.ConfigureAwait(false);
        lock (_gate)
        {
            if (_connections.TryGetValue(connection.Remote.NodeFingerprint, out PeerConnection? current) && ReferenceEquals(current, connection))
            {
                _connections.Remove(connection.Remote.NodeFingerprint);
            }
        }

        string reason = connection.CloseReason ?? "closed";
        NetworkLog.PeerDisconnected(_logger, connection.Remote, reason);
        Raise(PeerDisconnected, new PeerEventArgs(connection.Remote, reason));
    }

    private bool IsPreferred(PeerConnection connection)
    {
        bool localIsSmaller = NodeId < connection.Remote.NodeFingerprint;
        return connection.IsOutbound == localIsSmaller;
    }

    private void Raise(EventHandler<PeerEventArgs>? handler, PeerEventArgs args)
    {
        try
        {
            handler?.Invoke(this, args);
        }
#pragma warning disable CA1031 // A consumer's faulty handler must not take the transport down with it.
        catch (Exception e)
#pragma warning restore CA1031
        {
            NetworkLog.EventHandlerFailed(_logger, e);
        }
    }

    private static string Describe(Socket socket)
    {
        try
        {
            return socket.RemoteEndPoint?.ToString() ?? "unknown endpoint";
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return "unknown endpoint";
        }
    }

    private static string Reason(Exception e) => e switch
    {
        HandshakeException => e.Message,
        OperationCanceledException => "timed out",
        _ => e.InnerException is null ? e.Message : $"{e.Message} ({e.InnerException.Message})",
    };
}
