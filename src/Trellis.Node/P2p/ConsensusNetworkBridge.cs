using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Trellis.Consensus;
using Trellis.Core;
using Trellis.Network;
using Trellis.Network.Admission;
using Trellis.Network.Messages;

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

    // Signing address -> certificate fingerprint of the connected peer holding it. Updated from the host's events.
    private readonly ConcurrentDictionary<Address, Hash256> _peers = new();
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
    internal void OnPeerConnected(PeerIdentity peer) => _peers[peer.SigningAddress] = peer.NodeFingerprint;

    /// <summary>Forgets a peer once it has no connection left (a replacement connection keeps it).</summary>
    internal void OnPeerDisconnected(PeerIdentity peer)
    {
        if (!_host.TryGetPeer(peer.NodeFingerprint, out _))
        {
            _peers.TryRemove(new KeyValuePair<Address, Hash256>(peer.SigningAddress, peer.NodeFingerprint));
        }
    }
}
