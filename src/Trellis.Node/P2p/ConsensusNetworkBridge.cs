using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Trellis.Consensus;
using Trellis.Core;
using Trellis.Network;
using Trellis.Network.Admission;
using Trellis.Network.Messages;
using Trellis.Network.Peers;

namespace Trellis.Node.P2p;

/// <summary>
/// The consensus engine's view of the peer network (<see cref="IConsensusNetwork"/>): validators are addressed by
/// their ledger signing address, which is mapped to the peer connection whose certificate carries it. Messages go as
/// CONSENSUS frames; delivery is best effort (a missing peer or a full send queue drops the message).
/// </summary>
public sealed class ConsensusNetworkBridge : IConsensusNetwork
{
    private readonly NetworkHost _host;
    private readonly ILogger _logger;

    // Signing address -> certificate fingerprint of the connected peer holding it. Updated from the host's events;
    // _gate makes a disconnect's check-and-forget atomic with respect to a connect's add.
    private readonly ConcurrentDictionary<Address, Hash256> _peers = new();
    private readonly Lock _gate = new();
    private long _dropped;

    /// <summary>Creates the bridge over <paramref name="host"/>; <see cref="PeerNetwork"/> feeds it the peer events.</summary>
    public ConsensusNetworkBridge(NetworkHost host, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        _host = host;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Messages that could not be queued (peer not connected, queue full or message too large).</summary>
    public long DroppedMessages => Interlocked.Read(ref _dropped);

    /// <inheritdoc/>
    public bool Send(Address validator, ReadOnlyMemory<byte> message)
    {
        try
        {
            if (_peers.TryGetValue(validator, out Hash256 peer) && _host.TrySend(peer, MessageType.Consensus, message))
            {
                return true;
            }

            // Not mapped (or mapped to a connection that just closed), yet perhaps connected: a peer must never become
            // unreachable for consensus while its connection is up, so ask the host and remember what it says.
            if (FindConnected(validator) is { } connected && _host.TrySend(connected, MessageType.Consensus, message))
            {
                return true;
            }
        }
        catch (ArgumentException e)
        {
            P2pLog.ConsensusMessageRefused(_logger, message.Length, e.Message);
        }

        Interlocked.Increment(ref _dropped);
        return false;
    }

    /// <inheritdoc/>
    public int Broadcast(ReadOnlyMemory<byte> message)
    {
        try
        {
            return _host.Broadcast(MessageType.Consensus, message, PeerRoles.Validators);
        }
        catch (ArgumentException e)
        {
            P2pLog.ConsensusMessageRefused(_logger, message.Length, e.Message);
            Interlocked.Increment(ref _dropped);
            return 0;
        }
    }

    /// <summary>Makes a newly connected peer addressable by its signing address.</summary>
    internal void OnPeerConnected(PeerIdentity peer)
    {
        lock (_gate)
        {
            _peers[peer.SigningAddress] = peer.NodeFingerprint;
        }
    }

    /// <summary>Forgets a peer once it has no connection left (a replacement connection keeps it).</summary>
    /// <remarks>
    /// The host registers a replacement connection before it raises its connect event, and the events of the old and
    /// the new connection may be handled in either order on different threads. Checking the host and forgetting under
    /// the lock the connect handler takes means a replacement registered after the check is added after the removal:
    /// checking outside it once let a disconnect of the old connection forget the new one, and every consensus message
    /// to that validator was dropped while it stayed connected.
    /// </remarks>
    internal void OnPeerDisconnected(PeerIdentity peer)
    {
        lock (_gate)
        {
            if (!_host.TryGetPeer(peer.NodeFingerprint, out _))
            {
                _peers.TryRemove(new KeyValuePair<Address, Hash256>(peer.SigningAddress, peer.NodeFingerprint));
            }
        }
    }

    private Hash256? FindConnected(Address validator)
    {
        foreach (PeerConnection connection in _host.Peers)
        {
            if (connection.IsOpen && connection.Remote.SigningAddress == validator)
            {
                lock (_gate)
                {
                    _peers[validator] = connection.Remote.NodeFingerprint;
                }

                return connection.Remote.NodeFingerprint;
            }
        }

        return null;
    }
}
